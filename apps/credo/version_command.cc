// `credo version`: the program's version and how it was built.
#include <cstdio>

#include "commands.h"

namespace credo::cli {

void add_version_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("version", "Print credo's version and build");
  cmd->callback([&exit_code] {
    std::printf("credo %s (C++%ld, %s %s)\n", CREDO_VERSION, __cplusplus / 100 % 100,
#if defined(__clang__)
                "clang", __clang_version__
#else
                "gcc", __VERSION__
#endif
    );
    exit_code = 0;
  });
}

}  // namespace credo::cli
