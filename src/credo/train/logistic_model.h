// Logistic regression, the linear model of the leaderboard: fitted by L-BFGS (liblbfgs, with
// OWL-QN for the L1 penalty) on preprocessed features, the loss and gradient computed with
// Eigen on both cores. Its SHAP values are exact and cheap: w_j (x_j - mean_j).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/base/status.h"

namespace credo::train {

struct LogisticOptions {
  std::string penalty = "l2";  // "l2" or "l1"
  double c = 1.0;              // inverse strength of the penalty, as scikit-learn's C
  int max_iterations = 300;
  double tolerance = 1e-6;     // relative decrease of the objective over 5 iterations
  int threads = 0;
};

class LogisticModel {
 public:
  // Fits on `x` (rows x cols, row-major, no missing values: see LinearPreprocess), 0/1 labels and
  // per-row weights (empty: all 1). Minimises
  //   sum_i w_i logloss_i / sum_i w_i + penalty(coef) / (C * sum_i w_i)
  // with penalty 0.5 |coef|^2 (l2) or |coef|_1 (l1); the intercept is not penalised.
  static StatusOr<LogisticModel> fit(std::span<const float> x, size_t cols, std::span<const uint8_t> labels,
                                     std::span<const float> weights, const LogisticOptions& options);

  // Log-odds of default of one preprocessed row.
  double margin(const float* row) const;
  // Probabilities of default of preprocessed rows.
  std::vector<float> predict(std::span<const float> x) const;
  // SHAP contributions of one preprocessed row in log-odds: cols values then the base value
  // (intercept + sum coef_j mean_j); they sum to margin(row).
  void contributions(const float* row, float* out) const;

  const std::vector<double>& coefficients() const { return coef_; }
  double intercept() const { return intercept_; }
  int iterations() const { return iterations_; }

  nlohmann::json to_json() const;
  static StatusOr<LogisticModel> from_json(const nlohmann::json& json);

 private:
  std::vector<double> coef_;
  std::vector<double> feature_means_;  // of the training rows, the reference point of SHAP
  double intercept_ = 0;
  int iterations_ = 0;
};

}  // namespace credo::train
