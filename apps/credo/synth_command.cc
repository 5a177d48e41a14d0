// `credo synth`: writes a realistic synthetic Home Credit data set (the eight Kaggle CSV
// files plus the truth and summary files) and prints what it wrote.
#include <cstdio>
#include <iostream>
#include <string>

#include "commands.h"
#include "credo/base/progress.h"
#include "credo/synth/summary.h"
#include "credo/synth/synth.h"

namespace credo::cli {

namespace {
void print_summary(const SynthOptions& o, const SynthSummary& s) {
  std::printf("%-28s %12s %10s\n", "file", "rows", "MB");
  uint64_t total_bytes = 0;
  int64_t total_rows = 0;
  for (const auto& info : homecredit_tables()) {
    size_t t = static_cast<size_t>(info.id);
    std::printf("%-28s %12lld %10.1f\n", std::string(info.file_name).c_str(), static_cast<long long>(s.rows[t]),
                static_cast<double>(s.bytes[t]) / 1e6);
    total_bytes += s.bytes[t];
    total_rows += s.rows[t];
  }
  std::printf("%-28s %12lld %10.1f\n", "total", static_cast<long long>(total_rows),
              static_cast<double>(total_bytes) / 1e6);
  std::printf("\nclients            %lld (train %lld, test %lld), seed %llu, drift %g\n",
              static_cast<long long>(o.clients), static_cast<long long>(s.train_clients),
              static_cast<long long>(s.test_clients), static_cast<unsigned long long>(o.seed), o.drift);
  std::printf("default rate       %.2f%%\n", 100 * s.default_rate);
  std::printf("Bayes AUC          %.4f all tables, %.4f application only\n", s.bayes_auc, s.app_only_auc);
  std::printf("time               %s  -> %s\n", format_duration(s.seconds).c_str(), o.out_dir.c_str());
}
}  // namespace

void add_synth_command(CLI::App& app, int& exit_code) {
  auto* cmd = app.add_subcommand("synth", "Generate a realistic Home Credit data set (the 8 Kaggle CSV files)");
  auto options = std::make_shared<SynthOptions>();
  auto quiet = std::make_shared<bool>(false);
  auto json = std::make_shared<bool>(false);
  cmd->add_option("--clients", options->clients, "Number of applicants, train + test (real set: 356255)")
      ->capture_default_str();
  cmd->add_option("--seed", options->seed, "Random seed (same seed and size = same bytes)")->capture_default_str();
  cmd->add_option("--out", options->out_dir, "Output directory (created if missing)")->required();
  cmd->add_option("--drift", options->drift, "Strength of the train -> test drift (0 = none)")->capture_default_str();
  cmd->add_option("--threads", options->threads, "Worker threads (0 = all cores)")->capture_default_str();
  add_quiet_flag(cmd, *quiet);
  add_json_flag(cmd, *json);
  cmd->callback([options, quiet, json, &exit_code] {
    options->progress = *quiet ? nullptr : stderr;
    auto result = generate_homecredit(*options);
    if (!result.ok()) {
      exit_code = report(result.status());
      return;
    }
    if (*json) {
      // The summary written to synth_summary.json, and where the files are.
      nlohmann::ordered_json out = synth::summary_to_json(*options, *result);
      out["out"] = options->out_dir;
      std::cout << out.dump(2) << "\n";
    } else {
      print_summary(*options, *result);
    }
    exit_code = 0;
  });
}

}  // namespace credo::cli
