// `credo synth`: placeholder until src/credo/synth lands (being written now).
#include "commands.h"

namespace credo::cli {

void add_synth_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("synth", "Generate a realistic Home Credit data set");
  cmd->callback([&exit_code] { exit_code = report(Status::Internal("synth is not built yet")); });
}

}  // namespace credo::cli
