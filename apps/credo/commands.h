// Each subcommand of `credo` lives in its own file and registers itself here.
// A command only parses flags and calls the library; its exit code goes to `exit_code`.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "credo/base/status.h"

namespace credo::cli {

void add_version_command(CLI::App& app, int& exit_code);
void add_synth_command(CLI::App& app, int& exit_code);
void add_inspect_command(CLI::App& app, int& exit_code);
void add_features_command(CLI::App& app, int& exit_code);
void add_experiments_command(CLI::App& app, int& exit_code);
void add_runs_command(CLI::App& app, int& exit_code);
void add_models_command(CLI::App& app, int& exit_code);
void add_export_command(CLI::App& app, int& exit_code);
void add_train_command(CLI::App& app, int& exit_code);
void add_predict_command(CLI::App& app, int& exit_code);
void add_serve_command(CLI::App& app, int& exit_code);

// The two output flags, spelled and meant the same way by every command:
//   -q, --quiet  nothing on stderr but errors (no progress bar, no hint, no log); the result
//                (table, summary or JSON) still goes to stdout.
//   --json       the result on stdout as one JSON document instead of text.
inline CLI::Option* add_quiet_flag(CLI::App* cmd, bool& quiet) {
  return cmd->add_flag("-q,--quiet", quiet, "Nothing on stderr but errors (no progress bars, no hints)");
}
inline CLI::Option* add_json_flag(CLI::App* cmd, bool& json) {
  return cmd->add_flag("--json", json, "Print the result as JSON instead of text");
}

// "a, b,c" -> {"a", "b", "c"} (blanks trimmed, empty items dropped): list-valued flags.
std::vector<std::string> split_comma_list(const std::string& text);

// The metrics shown first in tables of runs and model versions, when a run has them: what a
// credit-risk reader compares models on.
inline const std::vector<std::string>& headline_metrics() {
  static const std::vector<std::string> keys = {"business_cost", "auc", "accuracy", "threshold",
                                                "holdout/business_cost", "holdout/auc"};
  return keys;
}

// Prints "credo: <error>" on stderr and returns the process exit code for it (0 when ok).
int report(const Status& status);

}  // namespace credo::cli
