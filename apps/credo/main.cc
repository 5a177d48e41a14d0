// credo: one program, one subcommand per stage of the credit-scoring loop.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>

#include "commands.h"

namespace credo::cli {

std::vector<std::string> split_comma_list(const std::string& text) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(start, end - start);
    part.erase(0, part.find_first_not_of(' '));
    part.erase(part.find_last_not_of(' ') + 1);
    if (!part.empty()) parts.push_back(part);
    start = end + 1;
  }
  return parts;
}

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

// XGBoost's OpenMP threads spin while they wait. On a 2-core machine shared with other work that
// spinning made training several times slower (measured: 32 s vs 5 s for the trainer's tests), and
// libgomp reads its wait policy once, when it loads, before main(). So credo restarts itself once
// with OMP_WAIT_POLICY=passive unless the user chose a policy.
static void use_passive_openmp_waits(char** argv) {
  if (std::getenv("OMP_WAIT_POLICY") != nullptr) return;
  ::setenv("OMP_WAIT_POLICY", "passive", 1);
  ::execv("/proc/self/exe", argv);  // returns only on failure: carry on with spinning waits
}

int main(int argc, char** argv) {
  use_passive_openmp_waits(argv);
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
  credo::cli::add_train_command(app, exit_code);
  credo::cli::add_predict_command(app, exit_code);
  credo::cli::add_serve_command(app, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return app.exit(e);  // --help, --version
    // A usage error (an unknown flag, a missing required option, a value of the wrong type) is
    // bad input like any other: "credo: ..." and exit 2, not CLI11's own codes (105-114), which
    // a script cannot tell from a crash.
    std::fprintf(stderr, "credo: %s\nRun with --help for more information.\n", e.what());
    return 2;
  }
  return exit_code;
}
