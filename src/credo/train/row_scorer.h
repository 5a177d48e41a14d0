// Scoring and explaining one application at a time, as the scoring service does: each model
// gives a RowScorer without per-call overhead where it matters (tree ensembles are evaluated by
// credo's TreeEnsemble, not through XGBoost's C API, which costs 20-80 us per single-row call);
// other models go through their batch interface with a batch of one.
#pragma once

#include <cstddef>
#include <memory>

#include "credo/base/status.h"

namespace credo::train {

class ScoringModel;

class RowScorer {
 public:
  virtual ~RowScorer() = default;
  // The inputs one row has (the model's features, in the bundle's order).
  virtual size_t num_features() const = 0;
  // The log-odds of default of one row of num_features() floats, NaN = missing.
  virtual StatusOr<double> margin(const float* row) const = 0;
  // SHAP contributions in log-odds of one row: num_features() + 1 values written to `out`, the
  // base value (expected log-odds) last; they sum to margin(row). Safe from many threads.
  virtual Status contributions(const float* row, double* out) const = 0;
};

// Probability of a log-odds value (the logistic function, stable for large |margin|).
double probability_of_margin(double margin);

// A RowScorer over any model's batch interface (predict and contributions with one row): for
// models whose own per-call cost is small (dummy, logistic regression). `model` must outlive it.
std::unique_ptr<RowScorer> batch_row_scorer(const ScoringModel& model, size_t num_features);

}  // namespace credo::train
