// What a linear model needs before it sees the features, fitted on the training rows only and
// saved with the model so scoring applies exactly what training fitted:
//   - missing values replaced by the column's median, with a 0/1 "was missing" indicator for
//     every column that had missing values in training;
//   - skewed columns straightened: log1p for skewed non-negative amounts, Yeo-Johnson (lambda
//     fitted by maximum likelihood) for skewed columns with negative values;
//   - every column standardised to mean 0 and standard deviation 1 (constant columns to 0).
// Trees need none of this; logistic regression and SMOTE's distances do.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/base/status.h"
#include "credo/train/xgboost_adapter.h"

namespace credo::train {

enum class Straighten { kNone, kLog1p, kYeoJohnson };

struct ColumnPreprocess {
  double median = 0;
  Straighten straighten = Straighten::kNone;
  double lambda = 1;  // Yeo-Johnson's
  double mean = 0;    // of the straightened, imputed values
  double scale = 1;   // their standard deviation (1 for a constant column, so it maps to 0)
  int32_t indicator = -1;  // output position of its missing indicator, -1 when it has none
};

class LinearPreprocess {
 public:
  // Fits on `rows` of `data` (positions into data's rows). `max_fit_rows` caps the sample used for
  // medians and lambdas (evenly spaced rows) so that fitting stays cheap at full scale.
  static LinearPreprocess fit(DenseRows data, std::span<const int32_t> rows, size_t max_fit_rows = 100000);

  size_t input_columns() const { return columns_.size(); }
  // Inputs plus missing indicators.
  size_t output_columns() const { return output_columns_; }
  const std::vector<ColumnPreprocess>& columns() const { return columns_; }

  // Transforms one input row (NaN = missing) into output_columns() values.
  void transform_row(const float* in, float* out) const;
  // Transforms `rows` of `data` into a new row-major block (rows.size() x output_columns()).
  std::vector<float> transform(DenseRows data, std::span<const int32_t> rows) const;

  nlohmann::json to_json() const;
  static StatusOr<LinearPreprocess> from_json(const nlohmann::json& json);

 private:
  std::vector<ColumnPreprocess> columns_;
  size_t output_columns_ = 0;
};

// Yeo-Johnson's power transform of x with parameter lambda.
double yeo_johnson(double x, double lambda);

}  // namespace credo::train
