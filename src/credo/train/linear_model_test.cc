// The linear model's preprocessing (fitted on training rows only) and logistic regression
// (coefficients recovered, L1 sparsity, weights, exact SHAP, saved and loaded).
#include <gtest/gtest.h>

#include <cmath>

#include "credo/base/random.h"
#include "credo/train/linear_preprocess.h"
#include "credo/train/logistic_model.h"

namespace credo::train {
namespace {

TEST(LinearPreprocessTest, MedianIndicatorsAndStandardisationByHand) {
  // One column: 1, 2, 3, missing. Median 2; no skew; imputed values 1 2 3 2: mean 2, sd sqrt(0.5).
  std::vector<float> data = {1, 2, 3, NAN};
  std::vector<int32_t> rows = {0, 1, 2, 3};
  LinearPreprocess p = LinearPreprocess::fit({data.data(), 4, 1}, rows);
  ASSERT_EQ(p.output_columns(), 2u);  // the value and its missing indicator
  EXPECT_DOUBLE_EQ(p.columns()[0].median, 2);
  EXPECT_DOUBLE_EQ(p.columns()[0].mean, 2);
  EXPECT_NEAR(p.columns()[0].scale, std::sqrt(0.5), 1e-12);
  float out[2];
  p.transform_row(&data[3], out);
  EXPECT_FLOAT_EQ(out[0], 0);
  EXPECT_FLOAT_EQ(out[1], 1);
  p.transform_row(&data[2], out);
  EXPECT_NEAR(out[0], 1 / std::sqrt(0.5), 1e-6);
  EXPECT_FLOAT_EQ(out[1], 0);
}

TEST(LinearPreprocessTest, ValidationRowsNeverInformTheStatistics) {
  // Rows 0-2 are training rows; row 3 (validation) is extreme and missing-free. Fitting on the
  // training rows must give exactly what fitting on a copy without row 3 gives.
  std::vector<float> data = {1, 5, 2, NAN, 3, 7, 1e6, -1e6};
  std::vector<int32_t> train = {0, 1, 2};
  LinearPreprocess with = LinearPreprocess::fit({data.data(), 4, 2}, train);
  std::vector<float> train_only(data.begin(), data.begin() + 6);
  LinearPreprocess without = LinearPreprocess::fit({train_only.data(), 3, 2}, train);
  EXPECT_EQ(with.to_json(), without.to_json());
  EXPECT_DOUBLE_EQ(with.columns()[0].median, 2);
}

TEST(LinearPreprocessTest, SkewedColumnsAreStraightened) {
  Rng rng(5);
  std::vector<float> data;
  for (int i = 0; i < 5000; ++i) {
    data.push_back(static_cast<float>(std::exp(rng.normal(10, 1))));  // an amount: log-normal
    data.push_back(static_cast<float>(-std::exp(rng.normal(2, 1))));  // skewed with negatives
    data.push_back(static_cast<float>(rng.normal()));                 // symmetric
  }
  std::vector<int32_t> rows(5000);
  for (int i = 0; i < 5000; ++i) rows[static_cast<size_t>(i)] = i;
  LinearPreprocess p = LinearPreprocess::fit({data.data(), 5000, 3}, rows);
  EXPECT_EQ(p.columns()[0].straighten, Straighten::kLog1p);
  EXPECT_EQ(p.columns()[1].straighten, Straighten::kYeoJohnson);
  EXPECT_EQ(p.columns()[2].straighten, Straighten::kNone);
  auto restored = LinearPreprocess::from_json(p.to_json());
  ASSERT_TRUE(restored.ok());
  EXPECT_EQ(restored->to_json(), p.to_json());
}

TEST(LinearPreprocessTest, YeoJohnsonKnownValues) {
  EXPECT_DOUBLE_EQ(yeo_johnson(3, 1), 3);
  EXPECT_DOUBLE_EQ(yeo_johnson(-3, 1), -3);
  EXPECT_NEAR(yeo_johnson(3, 0), std::log(4.0), 1e-12);
  EXPECT_NEAR(yeo_johnson(-3, 2), -std::log(4.0), 1e-12);
  EXPECT_NEAR(yeo_johnson(3, 0.5), (std::sqrt(4.0) - 1) / 0.5, 1e-12);
}

// n rows of `cols` standard normal features; P(y=1) = sigmoid(intercept + sum coef_j x_j).
struct LogisticSample {
  std::vector<float> x;
  std::vector<uint8_t> y;
};
LogisticSample logistic_data(size_t n, const std::vector<double>& coef, double intercept, uint64_t seed) {
  Rng rng(seed);
  LogisticSample s;
  for (size_t i = 0; i < n; ++i) {
    double z = intercept;
    for (double c : coef) {
      float v = static_cast<float>(rng.normal());
      s.x.push_back(v);
      z += c * v;
    }
    s.y.push_back(rng.bernoulli(1 / (1 + std::exp(-z))));
  }
  return s;
}

TEST(LogisticModelTest, RecoversTheCoefficientsOfItsOwnModel) {
  std::vector<double> truth = {1.0, -0.5, 0.0, 2.0};
  LogisticSample s = logistic_data(40000, truth, -2.0, 11);
  LogisticOptions options;
  options.c = 1e6;  // almost no penalty
  auto model = LogisticModel::fit(s.x, 4, s.y, {}, options);
  ASSERT_TRUE(model.ok()) << model.status().to_string();
  for (size_t j = 0; j < 4; ++j) EXPECT_NEAR(model->coefficients()[j], truth[j], 0.06) << j;
  EXPECT_NEAR(model->intercept(), -2.0, 0.06);
  EXPECT_GT(model->iterations(), 0);
}

TEST(LogisticModelTest, L1ZeroesUselessFeaturesAndL2Shrinks) {
  LogisticSample s = logistic_data(5000, {1.5, 0, 0, 0, 0, 0}, -1, 12);
  LogisticOptions l1;
  l1.penalty = "l1";
  l1.c = 0.002;
  auto sparse = LogisticModel::fit(s.x, 6, s.y, {}, l1);
  ASSERT_TRUE(sparse.ok());
  EXPECT_GT(std::abs(sparse->coefficients()[0]), 0.3);
  for (size_t j = 1; j < 6; ++j) EXPECT_EQ(sparse->coefficients()[j], 0.0) << j;
  LogisticOptions strong, weak;
  strong.c = 1e-4;
  weak.c = 1e4;
  EXPECT_LT(std::abs(LogisticModel::fit(s.x, 6, s.y, {}, strong)->coefficients()[0]),
            std::abs(LogisticModel::fit(s.x, 6, s.y, {}, weak)->coefficients()[0]));
}

TEST(LogisticModelTest, AWeightOfTwoIsARowTwice) {
  LogisticSample s = logistic_data(2000, {1.0, -1.0}, 0, 13);
  std::vector<float> weights(2000, 1.0f);
  LogisticSample doubled = s;
  for (size_t i = 0; i < 500; ++i) {
    weights[i] = 2;
    doubled.x.insert(doubled.x.end(), s.x.begin() + static_cast<std::ptrdiff_t>(2 * i),
                     s.x.begin() + static_cast<std::ptrdiff_t>(2 * i + 2));
    doubled.y.push_back(s.y[i]);
  }
  LogisticOptions options;
  auto weighted = LogisticModel::fit(s.x, 2, s.y, weights, options);
  auto repeated = LogisticModel::fit(doubled.x, 2, doubled.y, {}, options);
  ASSERT_TRUE(weighted.ok() && repeated.ok());
  for (size_t j = 0; j < 2; ++j) EXPECT_NEAR(weighted->coefficients()[j], repeated->coefficients()[j], 1e-4);
}

TEST(LogisticModelTest, ShapSumsToTheMarginAndTheModelSurvivesJson) {
  LogisticSample s = logistic_data(3000, {0.8, -0.3, 0.5}, -1, 14);
  auto model = LogisticModel::fit(s.x, 3, s.y, {}, LogisticOptions{});
  ASSERT_TRUE(model.ok());
  auto restored = LogisticModel::from_json(model->to_json());
  ASSERT_TRUE(restored.ok());
  std::vector<float> before = model->predict(s.x), after = restored->predict(s.x);
  EXPECT_EQ(before, after);
  float phi[4];
  for (size_t i = 0; i < 3000; ++i) {
    model->contributions(&s.x[i * 3], phi);
    EXPECT_NEAR(phi[0] + phi[1] + phi[2] + phi[3], model->margin(&s.x[i * 3]), 1e-4);
  }
  EXPECT_EQ(LogisticModel::fit(s.x, 3, s.y, {}, LogisticOptions{"l3"}).status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(LogisticModel::from_json(nlohmann::json{{"coefficients", 1}}).ok());
}

}  // namespace
}  // namespace credo::train
