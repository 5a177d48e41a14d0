// The one adapter around XGBoost's C API (every XGD*/XGBooster* call in credo is in
// xgboost_adapter.cc): data matrices built once and sliced per fold, training with early stopping
// on a validation set, probabilities, exact TreeSHAP contributions, gain importance, and the
// booster's bytes for the model bundle. Gradient boosting and random forests (XGBoost's
// num_parallel_tree mode) both go through it.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "credo/base/status.h"

namespace credo::train {

// The version of the XGBoost library credo runs with, "1.7.4": what MLflow's xgboost flavour
// records as xgb_version.
std::string xgboost_version();

// Rows of float features, row-major, NaN = missing (a FeatureMatrix's values, or a copy).
struct DenseRows {
  const float* data = nullptr;
  size_t rows = 0;
  size_t cols = 0;
};

// An XGBoost DMatrix: features, labels and optional per-row weights. XGBoost caches its histogram
// index in it at the first training (kept for the next ones), so one XgbData must not be trained
// on from two threads at once; slices are separate matrices.
class XgbData {
 public:
  // Copies `rows` into XGBoost's own storage; labels are 0/1, weights empty for none (else one
  // finite weight >= 0 per row). `rows` may be freed afterwards.
  static StatusOr<XgbData> from_rows(DenseRows rows, std::span<const float> labels, std::span<const float> weights,
                                     int threads);
  // The rows at `indices` (in that order, each in 0..rows()-1), with their labels and weights;
  // weights given here (one per index) replace the parent's.
  StatusOr<XgbData> slice(std::span<const int32_t> indices, std::span<const float> weights = {}) const;
  size_t rows() const;
  size_t cols() const;

  XgbData();
  ~XgbData();
  XgbData(XgbData&&) noexcept;
  XgbData& operator=(XgbData&&) noexcept;

 private:
  friend class XgbModel;
  struct Handle;
  std::unique_ptr<Handle> handle_;
};

struct XgbTrainOptions {
  // XGBoost parameters as strings, e.g. {"objective", "binary:logistic"}, {"tree_method", "hist"},
  // {"eta", "0.05"}, {"max_depth", "6"}, {"num_parallel_tree", "200"} for a random forest.
  // "nthread" and "seed" come from `threads` and `seed` (giving them here, or their aliases
  // "n_jobs" and "random_state", is an error). Unless given: "objective" "binary:logistic",
  // "tree_method" "hist". "eval_metric" "logloss" is always added (and "auc" when it stops).
  // XGBoost 1.7 ignores unknown names, with a warning on stderr ("Parameters: {...} are not used").
  std::vector<std::pair<std::string, std::string>> params;
  int num_boost_round = 500;
  int early_stopping_rounds = 50;  // stop when the validation metric has not improved for this many rounds; 0: never
  // What early stopping watches on the validation rows: the log-loss (lower is better), or the
  // AUC (higher is better). The AUC is blind to calibration, so it is the one to watch when the
  // training rows are re-weighted or re-sampled (class weights, under-sampling, SMOTE) and the
  // validation rows are not: their log-loss then mostly measures the shifted prior.
  bool stop_on_auc = false;
  int threads = 1;
  uint64_t seed = 42;
  // Called after each round with the train and validation log-loss (validation NaN without one).
  std::function<void(int round, double train_logloss, double valid_logloss)> on_round;
};

class XgbModel {
 public:
  // Trains on `train`; with `valid`, keeps the best round by the validation metric (the first of
  // equal ones). Same data, params and seed give bit-identical models (1 and 2 threads alike, checked).
  static StatusOr<XgbModel> train(const XgbData& train, const XgbData* valid, const XgbTrainOptions& options);
  // A booster saved by save(); `threads` is used for prediction. Bytes that are not an XGBoost
  // JSON/UBJSON model are a parse error.
  static StatusOr<XgbModel> load(std::span<const char> bytes, int threads);

  // Probabilities of default, one per row, from the trees up to the best round.
  StatusOr<std::vector<float>> predict(const XgbData& data) const;
  // In place (no DMatrix is built): no copy of the rows into XGBoost's sparse format.
  StatusOr<std::vector<float>> predict(DenseRows rows) const;
  // Margins (log-odds), one per row.
  StatusOr<std::vector<float>> predict_margin(DenseRows rows) const;
  // Exact TreeSHAP contributions in log-odds: rows x (cols + 1), the bias (base value) last;
  // each row sums to that row's margin.
  StatusOr<std::vector<float>> contributions(DenseRows rows) const;
  // Total gain of the splits on each feature (index 0..cols-1), 0 for unused features, over the
  // trees up to the best round (those predict() uses).
  StatusOr<std::vector<double>> gain_importance(size_t cols) const;

  // 0-based; the last round when trained without a validation set.
  int best_iteration() const { return best_iteration_; }
  int rounds_trained() const { return rounds_trained_; }
  size_t num_features() const { return num_features_; }  // the columns every input must have
  // The booster (UBJSON) up to its best round, the rounds predict() uses; best_iteration as attribute.
  StatusOr<std::vector<char>> save() const;

  XgbModel();
  ~XgbModel();
  XgbModel(XgbModel&&) noexcept;
  XgbModel& operator=(XgbModel&&) noexcept;

 private:
  struct Handle;
  std::unique_ptr<Handle> handle_;
  int best_iteration_ = 0;
  int rounds_trained_ = 0;
  size_t num_features_ = 0;
};

}  // namespace credo::train
