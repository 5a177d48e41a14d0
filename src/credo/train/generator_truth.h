// On data made by `credo synth`, every client's true probability of default is known
// (synth_truth.csv): scoring the hold-out with it is the best any model could do. Comparing the
// chosen model with it on the same clients says how much of the learnable signal was captured.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "credo/base/status.h"
#include "credo/train/metrics.h"

namespace credo::train {

// The true probabilities of `ids` (in that order) read from a synth_truth.csv (columns
// SK_ID_CURR and TRUE_PD). An id absent from the file is an error naming it and the file.
StatusOr<std::vector<float>> read_true_probabilities(const std::string& path, std::span<const int64_t> ids);

struct TruthComparison {
  std::string path;
  double bayes_auc = 0;    // AUC of the true probabilities on the hold-out
  double bayes_cost = 0;   // their cost per client at their own best threshold
  std::vector<RocPoint> roc;  // their ROC curve, for the plot
};

// The Bayes-optimal AUC and cost of `true_probabilities` against `labels`.
TruthComparison compare_with_truth(std::string path, std::span<const float> true_probabilities,
                                   std::span<const uint8_t> labels, const CostMatrix& cost);

}  // namespace credo::train
