// The imbalance treatments touch only the training rows they are given, and do what they say.
#include "credo/train/imbalance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace credo::train {
namespace {

TEST(ImbalanceTest, ClassWeightsBalanceTheClasses) {
  std::vector<float> data(10, 0.0f);
  std::vector<int32_t> rows = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  std::vector<uint8_t> labels = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0};
  auto out = treat_imbalance(Imbalance::kClassWeights, {data.data(), 10, 1}, rows, labels, {});
  ASSERT_TRUE(out.ok());
  EXPECT_FLOAT_EQ(out->weights[0], 4.0f);  // 8 negatives / 2 positives
  EXPECT_FLOAT_EQ(out->weights[1], 1.0f);
  EXPECT_EQ(out->rows, rows);
}

TEST(ImbalanceTest, UndersamplingKeepsEveryDefaulterAndOnlyTrainingRows) {
  std::vector<float> data(1000, 0.0f);
  std::vector<int32_t> train;
  std::vector<uint8_t> labels;
  for (int32_t r = 0; r < 1000; r += 2) {  // odd rows are another fold's validation rows
    train.push_back(r);
    labels.push_back(r % 20 == 0);
  }
  ImbalanceOptions options;
  options.undersample_ratio = 2;
  auto out = treat_imbalance(Imbalance::kUndersample, {data.data(), 1000, 1}, train, labels, options);
  ASSERT_TRUE(out.ok());
  size_t positives = std::count(labels.begin(), labels.end(), 1);
  EXPECT_EQ(std::count(out->labels.begin(), out->labels.end(), 1), static_cast<std::ptrdiff_t>(positives));
  EXPECT_EQ(out->rows.size(), 3 * positives);
  for (int32_t r : out->rows) EXPECT_EQ(r % 2, 0) << "a validation row was sampled";
  auto again = treat_imbalance(Imbalance::kUndersample, {data.data(), 1000, 1}, train, labels, options);
  EXPECT_EQ(again->rows, out->rows);  // seeded
}

TEST(ImbalanceTest, SmoteInterpolatesBetweenNearTrainingDefaultersOnly) {
  // One feature. Training defaulters at 0, 1 (a pair) and 10, 11 (another pair); a validation
  // defaulter at 500 and training negatives elsewhere. With one neighbour, every synthetic value
  // lies in [0, 1] or [10, 11]: never between the pairs, never near the validation row.
  std::vector<float> data = {0, 1, 10, 11, 500, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15, 16, 17, 18, 19};
  std::vector<int32_t> train = {0, 1, 2, 3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
  std::vector<uint8_t> labels(train.size(), 0);
  for (size_t i = 0; i < 4; ++i) labels[i] = 1;
  ImbalanceOptions options;
  options.smote_neighbours = 1;
  options.smote_target_share = 1.0;  // as many defaulters as others: 15
  auto out = treat_imbalance(Imbalance::kSmote, {data.data(), 20, 1}, train, labels, options);
  ASSERT_TRUE(out.ok()) << out.status().to_string();
  EXPECT_EQ(out->synthetic_rows(), 11u);
  EXPECT_EQ(out->rows, train);
  for (float v : out->synthetic) EXPECT_TRUE((v >= 0 && v <= 1) || (v >= 10 && v <= 11)) << v;
  for (size_t i = train.size(); i < out->labels.size(); ++i) EXPECT_EQ(out->labels[i], 1);
  ImbalanceOptions one_thread = options;
  one_thread.threads = 1;
  EXPECT_EQ(treat_imbalance(Imbalance::kSmote, {data.data(), 20, 1}, train, labels, one_thread)->synthetic,
            out->synthetic);
}

TEST(ImbalanceTest, SmoteKeepsMissingValuesOfTheBaseRow) {
  // Two features; the second is missing for one defaulter.
  std::vector<float> data = {0, NAN, 1, 5, 0.5f, 6, 9, 9, 8, 8, 7, 7, 6, 6};
  std::vector<int32_t> train = {0, 1, 2, 3, 4, 5, 6};
  std::vector<uint8_t> labels = {1, 1, 1, 0, 0, 0, 0};
  ImbalanceOptions options;
  options.smote_neighbours = 2;
  options.smote_target_share = 2.0;
  auto out = treat_imbalance(Imbalance::kSmote, {data.data(), 7, 2}, train, labels, options);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->synthetic_rows(), 5u);
  for (size_t s = 0; s < 5; ++s) {
    float a = out->synthetic[2 * s], b = out->synthetic[2 * s + 1];
    EXPECT_TRUE(a >= 0 && a <= 1);
    EXPECT_TRUE(std::isnan(b) || (b >= 5 && b <= 6)) << b;
  }
  EXPECT_EQ(parse_imbalance("smote").value(), Imbalance::kSmote);
  EXPECT_FALSE(parse_imbalance("oversample").ok());
}

}  // namespace
}  // namespace credo::train
