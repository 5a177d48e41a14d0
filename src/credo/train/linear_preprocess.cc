// Fitting and applying the linear preprocessing. Statistics come from the training rows only:
// the fold's validation rows never inform a median, a lambda, a mean or a scale.
#include "credo/train/linear_preprocess.h"

#include <algorithm>
#include <cmath>

namespace credo::train {
namespace {

constexpr double kSkewToStraighten = 1.0;

double skewness(const std::vector<double>& v) {
  if (v.size() < 3) return 0;
  double mean = 0;
  for (double x : v) mean += x;
  mean /= static_cast<double>(v.size());
  double m2 = 0, m3 = 0;
  for (double x : v) {
    double d = x - mean;
    m2 += d * d;
    m3 += d * d * d;
  }
  m2 /= static_cast<double>(v.size());
  m3 /= static_cast<double>(v.size());
  return m2 > 0 ? m3 / std::pow(m2, 1.5) : 0;
}

// Yeo-Johnson's profile log-likelihood of lambda (Yeo & Johnson 2000, eq. 3.1).
double yeo_johnson_log_likelihood(const std::vector<double>& v, double lambda) {
  double mean = 0, jacobian = 0;
  std::vector<double> t(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    t[i] = yeo_johnson(v[i], lambda);
    mean += t[i];
    jacobian += std::copysign(std::log1p(std::abs(v[i])), v[i]);
  }
  mean /= static_cast<double>(v.size());
  double var = 0;
  for (double x : t) var += (x - mean) * (x - mean);
  var /= static_cast<double>(v.size());
  if (!(var > 0) || !std::isfinite(var)) return -INFINITY;
  return -0.5 * static_cast<double>(v.size()) * std::log(var) + (lambda - 1) * jacobian;
}

// The lambda in [-2, 2] of highest likelihood, by golden-section search (the likelihood is unimodal).
double fit_yeo_johnson_lambda(const std::vector<double>& v) {
  double lo = -2, hi = 2;
  const double g = (std::sqrt(5.0) - 1) / 2;
  double a = hi - g * (hi - lo), b = lo + g * (hi - lo);
  double fa = yeo_johnson_log_likelihood(v, a), fb = yeo_johnson_log_likelihood(v, b);
  for (int i = 0; i < 60 && hi - lo > 1e-4; ++i) {
    if (fa < fb) {
      lo = a;
      a = b;
      fa = fb;
      b = lo + g * (hi - lo);
      fb = yeo_johnson_log_likelihood(v, b);
    } else {
      hi = b;
      b = a;
      fb = fa;
      a = hi - g * (hi - lo);
      fa = yeo_johnson_log_likelihood(v, a);
    }
  }
  return (lo + hi) / 2;
}

double straighten(double x, const ColumnPreprocess& c) {
  switch (c.straighten) {
    case Straighten::kNone: return x;
    case Straighten::kLog1p: return std::log1p(std::max(0.0, x));  // clamped: a scoring-time negative can't take log
    case Straighten::kYeoJohnson: return yeo_johnson(x, c.lambda);
  }
  return x;
}

const char* straighten_name(Straighten s) {
  switch (s) {
    case Straighten::kNone: return "none";
    case Straighten::kLog1p: return "log1p";
    case Straighten::kYeoJohnson: return "yeo-johnson";
  }
  return "none";
}

}  // namespace

double yeo_johnson(double x, double lambda) {
  if (x >= 0) return std::abs(lambda) < 1e-9 ? std::log1p(x) : (std::pow(x + 1, lambda) - 1) / lambda;
  return std::abs(lambda - 2) < 1e-9 ? -std::log1p(-x) : -(std::pow(1 - x, 2 - lambda) - 1) / (2 - lambda);
}

LinearPreprocess LinearPreprocess::fit(DenseRows data, std::span<const int32_t> rows, size_t max_fit_rows) {
  LinearPreprocess p;
  p.columns_.resize(data.cols);
  size_t step = std::max<size_t>(1, (rows.size() + max_fit_rows - 1) / std::max<size_t>(1, max_fit_rows));
  std::vector<double> present;
  for (size_t c = 0; c < data.cols; ++c) {
    ColumnPreprocess& col = p.columns_[c];
    present.clear();
    size_t missing = 0;
    for (size_t i = 0; i < rows.size(); i += step) {
      float v = data.data[static_cast<size_t>(rows[i]) * data.cols + c];
      if (std::isnan(v)) ++missing;
      else present.push_back(v);
    }
    if (present.empty()) {
      col.indicator = missing ? 0 : -1;  // placed below; the value itself is a constant 0
      continue;
    }
    auto mid = present.begin() + static_cast<std::ptrdiff_t>(present.size() / 2);
    std::nth_element(present.begin(), mid, present.end());
    col.median = *mid;
    double skew = skewness(present);
    double min = *std::min_element(present.begin(), present.end());
    if (std::abs(skew) > kSkewToStraighten) {
      if (min >= 0) {
        col.straighten = Straighten::kLog1p;
      } else {
        col.straighten = Straighten::kYeoJohnson;
        col.lambda = fit_yeo_johnson_lambda(present);
      }
    }
    double sum = 0, sum2 = 0;
    for (double& v : present) v = straighten(v, col);
    double imputed = straighten(col.median, col);
    for (double v : present) sum += v;
    sum += imputed * static_cast<double>(missing);
    double n = static_cast<double>(present.size() + missing);
    col.mean = sum / n;
    for (double v : present) sum2 += (v - col.mean) * (v - col.mean);
    sum2 += (imputed - col.mean) * (imputed - col.mean) * static_cast<double>(missing);
    double sd = std::sqrt(sum2 / n);
    col.scale = sd > 1e-12 ? sd : 1;
    col.indicator = missing ? 0 : -1;
  }
  size_t next = data.cols;
  for (ColumnPreprocess& col : p.columns_)
    if (col.indicator >= 0) col.indicator = static_cast<int32_t>(next++);
  p.output_columns_ = next;
  return p;
}

void LinearPreprocess::transform_row(const float* in, float* out) const {
  for (size_t c = 0; c < columns_.size(); ++c) {
    const ColumnPreprocess& col = columns_[c];
    bool missing = std::isnan(in[c]);
    double v = straighten(missing ? col.median : in[c], col);
    out[c] = static_cast<float>((v - col.mean) / col.scale);
    if (col.indicator >= 0) out[col.indicator] = missing ? 1.0f : 0.0f;
  }
}

std::vector<float> LinearPreprocess::transform(DenseRows data, std::span<const int32_t> rows) const {
  std::vector<float> out(rows.size() * output_columns_);
  for (size_t i = 0; i < rows.size(); ++i)
    transform_row(data.data + static_cast<size_t>(rows[i]) * data.cols, out.data() + i * output_columns_);
  return out;
}

nlohmann::json LinearPreprocess::to_json() const {
  nlohmann::json cols = nlohmann::json::array();
  for (const ColumnPreprocess& c : columns_)
    cols.push_back({{"median", c.median}, {"straighten", straighten_name(c.straighten)}, {"lambda", c.lambda},
                    {"mean", c.mean}, {"scale", c.scale}, {"indicator", c.indicator}});
  return {{"columns", cols}, {"output_columns", output_columns_}};
}

StatusOr<LinearPreprocess> LinearPreprocess::from_json(const nlohmann::json& json) {
  LinearPreprocess p;
  try {
    for (const auto& c : json.at("columns")) {
      ColumnPreprocess col;
      col.median = c.at("median").get<double>();
      std::string s = c.at("straighten").get<std::string>();
      col.straighten = s == "log1p" ? Straighten::kLog1p : s == "yeo-johnson" ? Straighten::kYeoJohnson : Straighten::kNone;
      col.lambda = c.at("lambda").get<double>();
      col.mean = c.at("mean").get<double>();
      col.scale = c.at("scale").get<double>();
      col.indicator = c.at("indicator").get<int32_t>();
      p.columns_.push_back(col);
    }
    p.output_columns_ = json.at("output_columns").get<size_t>();
  } catch (const nlohmann::json::exception& e) {
    return Status::ParseError(std::string("linear preprocessing: ") + e.what());
  }
  return p;
}

}  // namespace credo::train
