// One configuration (an algorithm, its hyper-parameters, an imbalance treatment) judged by
// stratified K-fold cross-validation: each fold's model is fitted on the other folds (imbalance
// treated there, early-stopping rows set aside from there) and predicts its own fold, giving one
// out-of-fold probability per client. The decision threshold is chosen on those out-of-fold
// predictions, never at 0.5 by default, and every metric is reported there and per fold.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <vector>

#include "credo/base/status.h"
#include "credo/train/algorithm.h"
#include "credo/train/metrics.h"
#include "credo/train/splits.h"

namespace credo::train {

struct Candidate {
  const Algorithm* algorithm = nullptr;
  Params params;                 // the algorithm's, plus "imbalance"
  Imbalance imbalance = Imbalance::kNone;
};

struct CvOptions {
  CostMatrix cost;
  uint64_t seed = 42;
  int threads = 0;
  double early_stopping_share = 0.1;  // of a fold's training rows, for algorithms that stop early
  ImbalanceOptions imbalance;
  size_t train_auc_sample = 20000;    // training rows scored per fold to measure the train/validation gap
  // When set, a fold does not start after this time: cross_validate returns a kFailedPrecondition
  // error saying the time budget ran out (the trial is abandoned, not half-counted).
  std::optional<std::chrono::steady_clock::time_point> deadline;
  // Called as each fold starts (for progress: a trial on a large matrix takes minutes).
  std::function<void(size_t fold, size_t folds)> on_fold_start;
};

struct CvResult {
  std::vector<float> out_of_fold;        // one probability per labelled position
  ThresholdScan scan;                    // over the out-of-fold predictions
  BinaryMetrics metrics;                 // out-of-fold, at scan.best_threshold
  std::vector<BinaryMetrics> fold_metrics;  // each fold's validation part, at the same threshold
  std::vector<double> fold_train_auc;    // AUC on (a sample of) each fold's training rows
  double fit_seconds = 0, predict_seconds = 0;  // totals over the folds
  std::map<std::string, double> facts;   // the models' fit facts, averaged over folds
};

// `rows` are the matrix rows of the positions that `labels` and `folds` index.
StatusOr<CvResult> cross_validate(const Candidate& candidate, DenseRows data, std::span<const int32_t> rows,
                                  std::span<const uint8_t> labels, const std::vector<Split>& folds,
                                  const CvOptions& options);

// Mean and standard deviation of one metric over the folds.
std::pair<double, double> fold_mean_sd(const std::vector<BinaryMetrics>& folds, double BinaryMetrics::*metric);

}  // namespace credo::train
