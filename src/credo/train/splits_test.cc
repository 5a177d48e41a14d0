// Splits are stratified, disjoint, cover everything once, and depend only on the seed.
#include "credo/train/splits.h"

#include <gtest/gtest.h>

#include <set>

#include "credo/base/random.h"

namespace credo::train {
namespace {

std::vector<uint8_t> imbalanced_labels(size_t n, double rate, uint64_t seed) {
  Rng rng(seed);
  std::vector<uint8_t> labels(n);
  for (auto& l : labels) l = rng.bernoulli(rate);
  return labels;
}

double positive_share(const std::vector<int32_t>& positions, const std::vector<uint8_t>& labels) {
  double positives = 0;
  for (int32_t p : positions) positives += labels[static_cast<size_t>(p)];
  return positives / static_cast<double>(positions.size());
}

TEST(SplitsTest, HoldoutIsStratifiedDisjointAndComplete) {
  auto labels = imbalanced_labels(10007, 0.08, 1);
  Split split = stratified_holdout(labels, 0.2, 42);
  EXPECT_NEAR(static_cast<double>(split.test.size()) / labels.size(), 0.2, 0.001);
  std::set<int32_t> seen(split.train.begin(), split.train.end());
  for (int32_t t : split.test) EXPECT_TRUE(seen.insert(t).second) << "row in both parts";
  EXPECT_EQ(seen.size(), labels.size());
  double overall = positive_share(split.train, labels) * split.train.size() / labels.size() +
                   positive_share(split.test, labels) * split.test.size() / labels.size();
  EXPECT_NEAR(positive_share(split.test, labels), overall, 0.001);
  EXPECT_NEAR(positive_share(split.train, labels), overall, 0.001);
}

TEST(SplitsTest, FoldsAreStratifiedDisjointAndCoverEachRowOnce) {
  auto labels = imbalanced_labels(5003, 0.08, 2);
  auto folds = stratified_kfold(labels, 5, 7);
  ASSERT_EQ(folds.size(), 5u);
  std::vector<int> validated(labels.size(), 0);
  size_t positives = 0;
  for (uint8_t l : labels) positives += l;
  for (const Split& fold : folds) {
    std::set<int32_t> train(fold.train.begin(), fold.train.end());
    for (int32_t v : fold.test) {
      EXPECT_EQ(train.count(v), 0u) << "validation row also in training";
      ++validated[static_cast<size_t>(v)];
    }
    EXPECT_EQ(fold.train.size() + fold.test.size(), labels.size());
    // Each fold holds a fifth of the defaulters, to within one.
    size_t fold_positives = 0;
    for (int32_t v : fold.test) fold_positives += labels[static_cast<size_t>(v)];
    EXPECT_LE(std::abs(static_cast<double>(fold_positives) - positives / 5.0), 1.0);
  }
  for (int count : validated) EXPECT_EQ(count, 1);
}

TEST(SplitsTest, TheSameSeedGivesTheSameSplitsAndAnotherSeedOthers) {
  auto labels = imbalanced_labels(2000, 0.1, 3);
  EXPECT_EQ(stratified_kfold(labels, 5, 1)[2].test, stratified_kfold(labels, 5, 1)[2].test);
  EXPECT_NE(stratified_kfold(labels, 5, 1)[2].test, stratified_kfold(labels, 5, 2)[2].test);
  EXPECT_EQ(stratified_holdout(labels, 0.2, 9).test, stratified_holdout(labels, 0.2, 9).test);
}

TEST(SplitsTest, AMatrixWithoutTargetIsAClearError) {
  FeatureMatrix test_only({FeatureInfo{"A", "", "", "", "", ""}}, 3);
  for (size_t r = 0; r < 3; ++r) test_only.set_client(r, 100 + static_cast<int64_t>(r), -1, true);
  auto none = labelled_rows(test_only, "features.credo");
  EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(none.status().message().find("no client has a TARGET"), std::string::npos);
  FeatureMatrix one_class({FeatureInfo{"A", "", "", "", "", ""}}, 3);
  for (size_t r = 0; r < 3; ++r) one_class.set_client(r, 100 + static_cast<int64_t>(r), 0, false);
  EXPECT_NE(labelled_rows(one_class, "f").status().message().find("single class"), std::string::npos);
}

}  // namespace
}  // namespace credo::train
