// credo: one program, one subcommand per stage of the credit-scoring loop.
#include <cstdio>

#include "commands.h"

namespace credo::cli {

int report(const Status& status) {
  if (status.ok()) return 0;
  std::fprintf(stderr, "credo: %s\n", status.to_string().c_str());
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
    case StatusCode::kNotFound:
    case StatusCode::kParseError:
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 2;
    default:
      return 1;
  }
}

}  // namespace credo::cli

int main(int argc, char** argv) {
  CLI::App app{
      "credo: credit default scoring, from the Home Credit tables to a served, explained, monitored model."};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("credo ") + CREDO_VERSION);
  int exit_code = 0;
  credo::cli::add_version_command(app, exit_code);
  credo::cli::add_synth_command(app, exit_code);
  credo::cli::add_inspect_command(app, exit_code);
  credo::cli::add_features_command(app, exit_code);
  credo::cli::add_experiments_command(app, exit_code);
  credo::cli::add_runs_command(app, exit_code);
  credo::cli::add_models_command(app, exit_code);
  credo::cli::add_export_command(app, exit_code);
  CLI11_PARSE(app, argc, argv);
  return exit_code;
}
