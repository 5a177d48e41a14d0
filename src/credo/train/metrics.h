// How a scoring model is judged: the business cost of its decisions under a cost matrix, at the
// threshold that minimises it (an exact scan over every distinct score), with AUC, accuracy and
// the other usual metrics kept beside it for control.
//
// Convention everywhere in credo: a score is the probability of default; a client whose score is
// >= the threshold is predicted to default and REFUSED; "positive" means default (TARGET = 1).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/base/status.h"

namespace credo::train {

// The cost of each outcome, per client. The default says a defaulter granted credit (a false
// negative) costs ten times a good client refused (a false positive).
struct CostMatrix {
  double false_negative = 10;
  double false_positive = 1;
  double true_positive = 0;
  double true_negative = 0;
};

struct Confusion {
  int64_t true_positive = 0, false_positive = 0, true_negative = 0, false_negative = 0;
};

// Outcomes when clients with score >= threshold are refused.
Confusion confusion_at(std::span<const float> scores, std::span<const uint8_t> labels, double threshold);

// Total cost of `confusion` divided by the number of clients.
double cost_per_client(const Confusion& confusion, const CostMatrix& cost);

struct ThresholdPoint {
  double threshold = 0;
  double cost_per_client = 0;
};

struct ThresholdScan {
  double best_threshold = 0.5;  // the lowest-cost threshold (the midpoint between two scores when it falls between)
  double best_cost = 0;         // normalised cost per client at best_threshold
  Confusion best_confusion;
  // The cost curve for plots: at most `max_curve_points` points spread over the thresholds,
  // always including the best one, sorted by threshold.
  std::vector<ThresholdPoint> curve;
};

// Exact scan over all distinct scores in O(n log n): every threshold that changes a decision is
// tried (refuse nobody and refuse everybody included). Labels are 0/1, scores finite.
// The reported thresholds reproduce their decisions with `score >= threshold` and sit mid-gap:
//   - refusing the scores >= s, where s' is the next lower distinct score: (s + s') / 2;
//   - refusing nobody: the double just above max(1, top score), so no probability is refused;
//   - refusing everybody: min(0, lowest score), so every probability is refused.
// Ties in cost go to the higher threshold (fewer clients refused). Empty input: the defaults
// (threshold 0.5, cost 0, empty curve).
ThresholdScan scan_thresholds(std::span<const float> scores, std::span<const uint8_t> labels, const CostMatrix& cost,
                              size_t max_curve_points = 400);

struct RocPoint {
  double false_positive_rate = 0;  // share of good clients refused
  double true_positive_rate = 0;   // share of defaulters refused
};

// The ROC curve, one point per distinct score from (0, 0) to (1, 1), thinned to at most
// `max_points` (>= 2) evenly spaced along the walk, the two ends always kept. One class absent:
// the diagonal.
std::vector<RocPoint> roc_curve(std::span<const float> scores, std::span<const uint8_t> labels, size_t max_points = 400);

struct BinaryMetrics {
  double auc = 0;          // ties counted as half
  double accuracy = 0;
  double precision = 0;    // 0 when nobody is refused
  double recall = 0;
  double f1 = 0;
  double f_beta = 0;       // with `beta` (2 by default: recall weighs more, as defaults cost more)
  double beta = 2;
  double brier = 0;
  double log_loss = 0;     // probabilities clipped to [1e-15, 1 - 1e-15]
  double ks = 0;           // Kolmogorov-Smirnov: the largest gap between the two classes' score CDFs
  double threshold = 0.5;
  double cost = 0;         // cost per client at `threshold`
  double cost_at_half = 0; // cost per client at 0.5, for comparison
  Confusion confusion;     // at `threshold`
};

// Every metric of scores against labels, decisions taken at `threshold`. With one class absent,
// AUC is 0.5 and KS 0; with no clients at all, every metric is 0.
BinaryMetrics evaluate(std::span<const float> scores, std::span<const uint8_t> labels, double threshold,
                       const CostMatrix& cost, double beta = 2);

// Every field, by name ("auc", "business_cost", "confusion": {"true_positive": ...}).
nlohmann::json metrics_to_json(const BinaryMetrics& metrics);

}  // namespace credo::train
