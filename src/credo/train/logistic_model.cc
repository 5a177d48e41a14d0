// Logistic regression by L-BFGS / OWL-QN. The objective's gradient is a pass over the rows:
// margins X w + b, residuals weight * (sigmoid - y), then X^T residuals; rows are split in blocks
// evaluated in parallel and summed in block order, so the result does not depend on timing.
#include "credo/train/logistic_model.h"

#include <lbfgs.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "credo/base/parallel.h"

namespace credo::train {
namespace {

using RowMatrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

struct Problem {
  Eigen::Map<const RowMatrix> x;
  std::span<const uint8_t> labels;
  std::vector<float> weights;  // normalised to sum to 1
  double l2 = 0;               // coefficient of 0.5 |w|^2
  int threads = 1;
  size_t blocks = 1;
  int iterations = 0;
};

double log1p_exp(double z) { return z > 30 ? z : std::log1p(std::exp(z)); }

lbfgsfloatval_t evaluate(void* instance, const lbfgsfloatval_t* params, lbfgsfloatval_t* gradient, int n, lbfgsfloatval_t) {
  Problem& p = *static_cast<Problem*>(instance);
  size_t cols = static_cast<size_t>(n) - 1;
  Eigen::VectorXf w = Eigen::Map<const Eigen::VectorXd>(params, static_cast<Eigen::Index>(cols)).cast<float>();
  double b = params[cols];
  size_t rows = static_cast<size_t>(p.x.rows());
  std::vector<double> losses(p.blocks, 0.0), bias_grads(p.blocks, 0.0);
  std::vector<Eigen::VectorXd> grads(p.blocks);
  parallel_for(p.blocks, p.threads, [&](size_t k) {
    size_t begin = rows * k / p.blocks, end = rows * (k + 1) / p.blocks;
    auto block = p.x.middleRows(static_cast<Eigen::Index>(begin), static_cast<Eigen::Index>(end - begin));
    Eigen::VectorXf z = block * w;
    Eigen::VectorXf residual(static_cast<Eigen::Index>(end - begin));
    double loss = 0, bias_grad = 0;
    for (size_t i = begin; i < end; ++i) {
      double zi = static_cast<double>(z[static_cast<Eigen::Index>(i - begin)]) + b;
      double wi = p.weights[i];
      // logloss = log(1 + e^z) - y z, its derivative sigmoid(z) - y.
      loss += wi * (log1p_exp(zi) - (p.labels[i] ? zi : 0.0));
      double r = wi * (1.0 / (1.0 + std::exp(-zi)) - p.labels[i]);
      residual[static_cast<Eigen::Index>(i - begin)] = static_cast<float>(r);
      bias_grad += r;
    }
    grads[k] = (block.transpose() * residual).cast<double>();
    losses[k] = loss;
    bias_grads[k] = bias_grad;
  });
  double loss = 0, bias_grad = 0;
  Eigen::Map<Eigen::VectorXd> g(gradient, static_cast<Eigen::Index>(cols));
  g.setZero();
  for (size_t k = 0; k < p.blocks; ++k) {
    loss += losses[k];
    bias_grad += bias_grads[k];
    g += grads[k];
  }
  Eigen::Map<const Eigen::VectorXd> coef(params, static_cast<Eigen::Index>(cols));
  if (p.l2 > 0) {
    loss += 0.5 * p.l2 * coef.squaredNorm();
    g += p.l2 * coef;
  }
  gradient[cols] = bias_grad;
  return loss;
}

}  // namespace

StatusOr<LogisticModel> LogisticModel::fit(std::span<const float> x, size_t cols, std::span<const uint8_t> labels,
                                           std::span<const float> weights, const LogisticOptions& options) {
  if (options.penalty != "l1" && options.penalty != "l2")
    return Status::InvalidArgument("logistic regression: penalty must be 'l1' or 'l2', not '" + options.penalty + "'");
  if (!(options.c > 0)) return Status::InvalidArgument("logistic regression: C must be positive");
  size_t rows = labels.size();
  if (cols == 0 || rows == 0 || x.size() != rows * cols)
    return Status::InvalidArgument("logistic regression: no rows or columns to fit");
  Problem p{Eigen::Map<const RowMatrix>(x.data(), static_cast<Eigen::Index>(rows), static_cast<Eigen::Index>(cols)),
            labels, {}, 0, options.threads > 0 ? options.threads : default_thread_count(), 1, 0};
  p.blocks = static_cast<size_t>(std::max(1, p.threads)) * 4;
  double total_weight = 0;
  p.weights.resize(rows);
  for (size_t i = 0; i < rows; ++i) {
    p.weights[i] = weights.empty() ? 1.0f : weights[i];
    total_weight += p.weights[i];
  }
  if (!(total_weight > 0)) return Status::InvalidArgument("logistic regression: the weights sum to zero");
  for (float& w : p.weights) w = static_cast<float>(w / total_weight);
  double penalty = 1.0 / (options.c * total_weight);

  lbfgs_parameter_t param;
  lbfgs_parameter_init(&param);
  param.max_iterations = options.max_iterations;
  param.past = 5;
  param.delta = options.tolerance;
  param.epsilon = 1e-6;
  if (options.penalty == "l1") {
    param.orthantwise_c = penalty;
    param.orthantwise_start = 0;
    param.orthantwise_end = static_cast<int>(cols);  // the intercept (last) is not penalised
    param.linesearch = LBFGS_LINESEARCH_BACKTRACKING;
  } else {
    p.l2 = penalty;
  }
  lbfgsfloatval_t* params = lbfgs_malloc(static_cast<int>(cols + 1));
  std::fill(params, params + cols + 1, 0.0);
  // The intercept starts at the log-odds of the base rate: the right answer with no features.
  double positives = 0;
  for (size_t i = 0; i < rows; ++i) positives += p.weights[i] * labels[i];
  positives = std::clamp(positives, 1e-6, 1 - 1e-6);
  params[cols] = std::log(positives / (1 - positives));
  lbfgsfloatval_t objective = 0;
  auto progress = [](void* instance, const lbfgsfloatval_t*, const lbfgsfloatval_t*, lbfgsfloatval_t,
                     lbfgsfloatval_t, lbfgsfloatval_t, lbfgsfloatval_t, int, int k, int) -> int {
    static_cast<Problem*>(instance)->iterations = k;
    return 0;
  };
  int rc = lbfgs(static_cast<int>(cols + 1), params, &objective, evaluate, progress, &p, &param);
  // Stopping on the iteration cap or a line search that can't improve further still leaves a
  // usable fit; only errors in the inputs are failures.
  if (rc < 0 && rc != LBFGSERR_MAXIMUMITERATION && rc != LBFGSERR_ROUNDING_ERROR && rc != LBFGSERR_MAXIMUMLINESEARCH &&
      rc != LBFGSERR_MINIMUMSTEP && rc != LBFGSERR_MAXIMUMSTEP && rc != LBFGSERR_CANCELED) {
    lbfgs_free(params);
    return Status::Internal("logistic regression: L-BFGS stopped with code " + std::to_string(rc));
  }
  LogisticModel model;
  model.coef_.assign(params, params + cols);
  model.intercept_ = params[cols];
  model.iterations_ = p.iterations;
  lbfgs_free(params);
  model.feature_means_.assign(cols, 0.0);
  for (size_t i = 0; i < rows; ++i)
    for (size_t j = 0; j < cols; ++j) model.feature_means_[j] += x[i * cols + j];
  for (double& m : model.feature_means_) m /= static_cast<double>(rows);
  return model;
}

double LogisticModel::margin(const float* row) const {
  double z = intercept_;
  for (size_t j = 0; j < coef_.size(); ++j) z += coef_[j] * row[j];
  return z;
}

std::vector<float> LogisticModel::predict(std::span<const float> x) const {
  size_t cols = coef_.size();
  std::vector<float> out(cols ? x.size() / cols : 0);
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<float>(1.0 / (1.0 + std::exp(-margin(x.data() + i * cols))));
  return out;
}

void LogisticModel::contributions(const float* row, float* out) const {
  double base = intercept_;
  for (size_t j = 0; j < coef_.size(); ++j) {
    out[j] = static_cast<float>(coef_[j] * (row[j] - feature_means_[j]));
    base += coef_[j] * feature_means_[j];
  }
  out[coef_.size()] = static_cast<float>(base);
}

nlohmann::json LogisticModel::to_json() const {
  return {{"coefficients", coef_}, {"intercept", intercept_}, {"feature_means", feature_means_},
          {"iterations", iterations_}};
}

StatusOr<LogisticModel> LogisticModel::from_json(const nlohmann::json& json) {
  LogisticModel m;
  try {
    m.coef_ = json.at("coefficients").get<std::vector<double>>();
    m.intercept_ = json.at("intercept").get<double>();
    m.feature_means_ = json.at("feature_means").get<std::vector<double>>();
    m.iterations_ = json.value("iterations", 0);
  } catch (const nlohmann::json::exception& e) {
    return Status::ParseError(std::string("logistic model: ") + e.what());
  }
  if (m.feature_means_.size() != m.coef_.size()) return Status::ParseError("logistic model: sizes disagree");
  return m;
}

}  // namespace credo::train
