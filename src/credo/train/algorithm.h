// The algorithms of the leaderboard, from the simplest to the most complex (dummy, logistic
// regression, random forest, gradient boosting), behind one interface: each has defaults, a
// search space, fits on a fold's training rows and gives a ScoringModel that scores raw feature
// rows, explains them (SHAP) and saves itself into a model bundle. Looked up by name.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/base/status.h"
#include "credo/train/imbalance.h"
#include "credo/train/params.h"
#include "credo/train/row_scorer.h"
#include "credo/train/xgboost_adapter.h"

namespace credo::train {

// What a fit sees: the whole matrix of raw features, the fold's treated training rows, and
// optionally validation rows for early stopping (rows the fit may look at, never the fold's own
// validation part).
struct FitData {
  DenseRows data;
  const TrainingRows* train = nullptr;
  std::span<const int32_t> early_stopping_rows;
  std::span<const uint8_t> early_stopping_labels;
  uint64_t seed = 42;
  int threads = 0;
};

// A fitted model that scores raw feature rows (the feature matrix's columns, NaN = missing).
class ScoringModel {
 public:
  virtual ~ScoringModel() = default;
  virtual std::string algorithm() const = 0;
  // Probability of default of each row.
  virtual StatusOr<std::vector<float>> predict(DenseRows rows) const = 0;
  // SHAP contributions in log-odds: rows x (cols + 1), the base value last; each row sums to the
  // model's log-odds for that row.
  virtual StatusOr<std::vector<float>> contributions(DenseRows rows) const = 0;
  // The model's own importance of each input column (total gain for trees, |coefficient| for the
  // linear model), empty when it has none.
  virtual std::vector<double> native_importance(size_t cols) const = 0;
  // Writes the model's files into `dir`; returns what load() needs besides them (small JSON).
  virtual StatusOr<nlohmann::json> save(const std::filesystem::path& dir) const = 0;
  // Facts for the tracking store: rounds trained, best round, iterations...
  virtual std::map<std::string, double> fit_facts() const { return {}; }
  // Scores and explains one row of `num_features` inputs at a time, for the scoring service; the
  // model must outlive it. By default, through predict() and contributions() with one row.
  virtual StatusOr<std::unique_ptr<RowScorer>> row_scorer(size_t num_features) const {
    return batch_row_scorer(*this, num_features);
  }
};

class Algorithm {
 public:
  virtual ~Algorithm() = default;
  virtual std::string name() const = 0;
  virtual std::string description() const = 0;
  virtual Params defaults() const = 0;
  virtual SearchSpace search_space() const = 0;
  // Whether fit() uses early-stopping rows (the trainer then sets some training rows aside).
  virtual bool uses_early_stopping() const { return false; }
  // How many trials exhaust its search space (the dummy's two strategies), or 0 when the space is
  // open-ended. The search runs no more than that, and does not refine an exhausted algorithm.
  virtual int exhaustive_trials() const { return 0; }
  // How far the training AUC may exceed the cross-validated one before overfitting is suspected.
  virtual double overfitting_auc_gap() const { return 0.1; }
  virtual StatusOr<std::unique_ptr<ScoringModel>> fit(const FitData& data, const Params& params) const = 0;
  virtual StatusOr<std::unique_ptr<ScoringModel>> load(const std::filesystem::path& dir, const nlohmann::json& saved,
                                                       int threads) const = 0;
};

// The rows of `data` at `rows`, copied into one contiguous row-major block.
std::vector<float> gather_rows(DenseRows data, std::span<const int32_t> rows);
// A JSON file of a model bundle; errors name the file.
StatusOr<nlohmann::json> read_json_file(const std::filesystem::path& path);

// Every algorithm, simplest first: dummy, logistic, random_forest, xgboost.
const std::vector<const Algorithm*>& algorithms();
StatusOr<const Algorithm*> find_algorithm(std::string_view name);

// The algorithms, one per file (dummy_algorithm.cc, logistic_algorithm.cc, tree_algorithms.cc).
const Algorithm& dummy_algorithm();
const Algorithm& logistic_algorithm();
const Algorithm& random_forest_algorithm();
const Algorithm& xgboost_algorithm();

}  // namespace credo::train
