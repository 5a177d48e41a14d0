// `credo version`: the program's version and how it was built.
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"

namespace credo::cli {

void add_version_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("version", "Print credo's version and build");
  auto json = std::make_shared<bool>(false);
  add_json_flag(cmd, *json);
  cmd->callback([json, &exit_code] {
    const long standard = __cplusplus / 100 % 100;
#if defined(__clang__)
    const char *compiler = "clang", *compiler_version = __clang_version__;
#else
    const char *compiler = "gcc", *compiler_version = __VERSION__;
#endif
    if (*json) {
      nlohmann::ordered_json out = {{"version", CREDO_VERSION},
                                    {"cxx_standard", standard},
                                    {"compiler", std::string(compiler) + " " + compiler_version}};
      std::cout << out.dump(2) << "\n";
    } else {
      std::printf("credo %s (C++%ld, %s %s)\n", CREDO_VERSION, standard, compiler, compiler_version);
    }
    exit_code = 0;
  });
}

}  // namespace credo::cli
