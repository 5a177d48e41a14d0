// How runs are shown on the command line: columns of params, metrics, tags and attributes, and
// the `runs show` and `runs compare` subcommands.
#pragma once

#include <CLI/CLI.hpp>
#include <string>

#include "credo/store/entities.h"
#include "credo/store/run_filter.h"

namespace credo::cli {

// One column of a run table, such as metrics.auc or params.algo.
struct RunColumn {
  store::FilterEntity entity;
  std::string key;
  bool operator==(const RunColumn&) const = default;
  std::string header() const;                   // "metrics.auc"
  std::string value(const store::Run& run) const;  // "0.7812", or "-" when the run has none
};

// "12.3s", "4m05s", or "running" for a run without an end.
std::string run_duration(const store::RunInfo& info);

// Adds `show` and `compare` to the `runs` command.
void add_runs_view_commands(CLI::App* runs, int& exit_code);

}  // namespace credo::cli
