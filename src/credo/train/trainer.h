// `credo train`: from a feature file to a registered, explained model, chosen the way a careful
// credit-risk data scientist would, every step tracked in the store:
//   1. a stratified hold-out set aside first, used once at the end;
//   2. for each algorithm (dummy, logistic, random forest, XGBoost) a search over its
//      hyper-parameters and the imbalance treatment, each trial a nested run judged by the
//      cross-validated business cost at its own best threshold;
//   3. more trials on the best algorithm;
//   4. the best candidate refitted on the whole training part, checked on the hold-out at the
//      threshold chosen by cross-validation; warnings on suspicious AUC or overfitting;
//   5. leaderboard, cost curve, importance and example explanations saved as plots; the model
//      bundle saved, registered, and aliased champion (or challenger).
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "credo/base/status.h"
#include "credo/store/store.h"
#include "credo/train/cross_validation.h"
#include "credo/train/generator_truth.h"
#include "credo/train/train_config.h"

namespace credo::train {

struct LeaderboardEntry {
  Candidate candidate;
  CvResult cv;
  std::string run_id;
};

struct TrainResult {
  std::vector<LeaderboardEntry> leaderboard;  // the best trial of each algorithm, lowest cost first
  LeaderboardEntry chosen;
  BinaryMetrics holdout;                      // at the cross-validated threshold
  double holdout_best_cost = 0;               // at the hold-out's own best threshold (for reference)
  std::optional<TruthComparison> truth;       // on generated data with config.truth: the best possible
  std::vector<std::string> warnings;
  std::string run_id;                         // the parent run, which holds the bundle
  std::string model_uri;                      // models:/name/version
  std::string alias;                          // champion or challenger
  std::string report;                         // path of the run's reports/index.html
  int trials = 0;
  double seconds = 0;
};

// Runs the whole training; `progress` shows the search (nullptr for none).
StatusOr<TrainResult> train_models(const TrainConfig& config, store::Store& store, const std::string& command_line,
                                   FILE* progress);

// The chosen model's cross-validated cost against a baseline trained in the same search.
struct BaselineComparison {
  std::string baseline;           // the baseline algorithm's name: "dummy" or "logistic"
  double baseline_cost = 0;       // its cross-validated business cost per client
  double chosen_cost = 0;         // the chosen model's
  double change_percent = 0;      // 100 * (chosen - baseline) / baseline; NaN when the baseline cost is not positive
};

// The chosen model against each baseline on the leaderboard, the dummy first, then logistic;
// the terminal summary and the training page both print these.
std::vector<BaselineComparison> comparisons(const TrainResult& result);

// The leaderboard as a terminal table.
std::string render_leaderboard(const TrainResult& result);
// The whole result as JSON (`credo train --json`): leaderboard, chosen, hold-out, warnings, model.
nlohmann::json train_result_to_json(const TrainResult& result);

}  // namespace credo::train
