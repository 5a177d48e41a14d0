#include "credo/synth/summary.h"

#include <cstdio>
#include <nlohmann/json.hpp>

namespace credo::synth {

nlohmann::ordered_json summary_to_json(const SynthOptions& options, const SynthSummary& summary) {
  nlohmann::ordered_json j;
  j["generator"] = "credo synth";
  j["seed"] = options.seed;
  j["clients"] = options.clients;
  j["train_clients"] = summary.train_clients;
  j["test_clients"] = summary.test_clients;
  j["drift"] = {
      {"strength", options.drift},
      {"AMT_INCOME_TOTAL", "test values multiplied by 1 + 0.10 * drift"},
      {"EXT_SOURCE_3", "test values lowered by 0.05 * drift (clamped to [0.0005, 0.9])"},
      {"NAME_CONTRACT_TYPE", "test share of 'Revolving loans' multiplied by max(0, 1 - 0.5 * drift)"},
  };
  nlohmann::ordered_json rows, bytes;
  for (const auto& info : homecredit_tables()) {
    rows[std::string(info.file_name)] = summary.rows[static_cast<size_t>(info.id)];
    bytes[std::string(info.file_name)] = summary.bytes[static_cast<size_t>(info.id)];
  }
  j["rows"] = rows;
  j["bytes"] = bytes;
  j["default_rate"] = summary.default_rate;
  j["bayes_auc_all_tables"] = summary.bayes_auc;
  j["bayes_auc_application_only"] = summary.app_only_auc;
  j["seconds"] = summary.seconds;
  return j;
}

Status write_summary_json(const std::string& dir, const SynthOptions& options, const SynthSummary& summary) {
  std::string path = dir + "/synth_summary.json";
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::IoError("cannot write " + path);
  std::string text = summary_to_json(options, summary).dump(2) + "\n";
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  return ok ? Status::Ok() : Status::IoError("write failed: " + path);
}

}  // namespace credo::synth
