// The side files of a synthetic data set: synth_truth.csv (each client's true default
// probability) and synth_summary.json (what was generated, how separable the target is).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "credo/base/status.h"
#include "credo/synth/synth.h"

namespace credo::synth {

// What was generated, as written to synth_summary.json (and printed by `credo synth --json`).
nlohmann::ordered_json summary_to_json(const SynthOptions& options, const SynthSummary& summary);

// Writes synth_summary.json into `dir`.
Status write_summary_json(const std::string& dir, const SynthOptions& options, const SynthSummary& summary);

}  // namespace credo::synth
