// TreeEnsemble against XGBoost itself: margins and TreeSHAP contributions of XGBoost models
// trained here (boosting with and without early stopping, a random forest, other base scores and
// objectives) on thousands of rows with missing values and values equal to split thresholds; a
// hand-written model pins the split rule and the SHAP values by hand; bad models are errors.
#include "credo/train/tree_ensemble.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "credo/base/random.h"

namespace credo::train {
namespace {

// rows x 30 features: 0-9 normal, 10-19 small integers (0..4, so rows hit split thresholds
// exactly), 20-29 uniform; every value 10% missing, 20-24 60% missing. Defaults ~15%.
struct EnsembleTestRows {
  size_t rows = 0, cols = 30;
  std::vector<float> x, y;
  DenseRows dense() const { return {x.data(), rows, cols}; }
};

EnsembleTestRows make_ensemble_test_rows(size_t rows, uint64_t seed) {
  Rng rng(seed);
  EnsembleTestRows d;
  d.rows = rows;
  d.x.resize(rows * d.cols);
  d.y.resize(rows);
  for (size_t i = 0; i < rows; ++i) {
    float* row = &d.x[i * d.cols];
    for (size_t j = 0; j < d.cols; ++j) {
      const double value = j < 10 ? rng.normal() : j < 20 ? static_cast<double>(rng.below(5)) : rng.uniform();
      row[j] = static_cast<float>(value);
    }
    double margin = -2.2 + 0.9 * row[0] - 0.7 * row[1] + 0.5 * row[2] * row[3] + 0.4 * (row[10] - 2) -
                    0.3 * (row[11] == 0 ? 1 : 0) + 1.5 * (row[20] - 0.5) - (row[21] > 0.8 ? 1 : 0);
    d.y[i] = rng.bernoulli(1 / (1 + std::exp(-margin))) ? 1.0f : 0.0f;
    for (size_t j = 0; j < d.cols; ++j)
      if (rng.bernoulli(j >= 20 && j < 25 ? 0.6 : 0.1)) row[j] = NAN;
  }
  return d;
}

std::vector<int32_t> index_range(int32_t begin, int32_t end) {
  std::vector<int32_t> out;
  for (int32_t i = begin; i < end; ++i) out.push_back(i);
  return out;
}

// The largest differences seen between TreeEnsemble and XGBoost on a set of rows.
// XGBoost adds trees up in float (TreeSHAP too), credo in double: the differences are XGBoost's
// rounding, a few float ulps of the value (|value| x 6e-8 each), so they are also measured
// relative to max(1, |value|). (Added up in float in tree order, the leaves TreeEnsemble reaches
// give XGBoost's margins bit for bit: checked once on the full-scale benchmark's 300 trees.)
struct EnsembleDifferences {
  double margin = 0;        // |ours - XGBoost's predict_margin|
  double contribution = 0;  // |ours - XGBoost's contributions|, bias included
  double relative = 0;      // the largest of either, over max(1, |XGBoost's value|)
  double additivity = 0;    // |sum of our contributions - our margin|
};

EnsembleDifferences compare_with_xgboost(const TreeEnsemble& ensemble, const XgbModel& model, DenseRows rows) {
  EnsembleDifferences seen;
  auto margins = model.predict_margin(rows);
  auto contributions = model.contributions(rows);
  EXPECT_TRUE(margins.ok() && contributions.ok());
  if (!margins.ok() || !contributions.ok()) return seen;
  std::vector<double> phi(rows.cols + 1);
  for (size_t i = 0; i < rows.rows; ++i) {
    const float* row = rows.data + i * rows.cols;
    const double margin = ensemble.margin(row);
    seen.margin = std::max(seen.margin, std::abs(margin - (*margins)[i]));
    seen.relative = std::max(seen.relative, std::abs(margin - (*margins)[i]) / std::max(1.0f, std::abs((*margins)[i])));
    ensemble.contributions(row, phi.data());
    double sum = 0;
    for (size_t j = 0; j <= rows.cols; ++j) {
      sum += phi[j];
      const float theirs = (*contributions)[i * (rows.cols + 1) + j];
      seen.contribution = std::max(seen.contribution, std::abs(phi[j] - theirs));
      seen.relative = std::max(seen.relative, std::abs(phi[j] - theirs) / std::max(1.0f, std::abs(theirs)));
    }
    seen.additivity = std::max(seen.additivity, std::abs(sum - margin));
  }
  return seen;
}

// Rows 0-1999 train, 2000-2499 validate (early stopping); all 3,000 and 1,000 unseen rows are
// compared.
class TreeEnsembleTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = make_ensemble_test_rows(3000, 21);
    unseen_ = make_ensemble_test_rows(1000, 22);
    auto all = XgbData::from_rows(data_.dense(), data_.y, {}, 2);
    ASSERT_TRUE(all.ok()) << all.status().to_string();
    all_ = std::move(all).value();
    auto train = all_.slice(index_range(0, 2000));
    auto valid = all_.slice(index_range(2000, 2500));
    ASSERT_TRUE(train.ok() && valid.ok());
    train_ = std::move(train).value();
    valid_ = std::move(valid).value();
  }

  static XgbTrainOptions options(std::vector<std::pair<std::string, std::string>> params, int rounds,
                                 int early_stopping_rounds = 0) {
    XgbTrainOptions options;
    options.params = std::move(params);
    options.num_boost_round = rounds;
    options.early_stopping_rounds = early_stopping_rounds;
    options.threads = 2;
    options.seed = 5;
    return options;
  }

  // The model's ensemble has `trees` trees and equals XGBoost on all rows, within 1e-5 (the
  // task's bound) and 1.5e-6 relative (what float rounding explains).
  void expect_equal_to_xgboost(const XgbModel& model, size_t trees) {
    auto ensemble = TreeEnsemble::from_xgboost(model);
    ASSERT_TRUE(ensemble.ok()) << ensemble.status().to_string();
    EXPECT_EQ(ensemble->num_features(), 30u);
    EXPECT_EQ(ensemble->num_trees(), trees);
    EnsembleDifferences seen = compare_with_xgboost(*ensemble, model, data_.dense());
    EnsembleDifferences unseen = compare_with_xgboost(*ensemble, model, unseen_.dense());
    seen.margin = std::max(seen.margin, unseen.margin);
    seen.contribution = std::max(seen.contribution, unseen.contribution);
    seen.relative = std::max(seen.relative, unseen.relative);
    seen.additivity = std::max(seen.additivity, unseen.additivity);
    EXPECT_LT(seen.margin, 1e-5);
    EXPECT_LT(seen.contribution, 1e-5);
    EXPECT_LT(seen.relative, 1.5e-6);
    EXPECT_LT(seen.additivity, 1e-9);  // exact up to double rounding
  }

  EnsembleTestRows data_, unseen_;
  XgbData all_, train_, valid_;
};

// 150 rounds of depth-6 trees. Largest differences seen from XGBoost over the 4,000 rows: margin
// 4.1e-6, contributions 2.2e-6, relative 9.2e-7 (margins reach |8|, contributions |3|, where a
// float's ulp is 5e-7 and 2.4e-7); contributions add up to the margin within 1.2e-14.
TEST_F(TreeEnsembleTest, BoostedTreesEqualXgboost) {
  auto model = XgbModel::train(all_, nullptr,
                               options({{"eta", "0.1"},
                                        {"max_depth", "6"},
                                        {"subsample", "0.8"},
                                        {"colsample_bynode", "0.7"},
                                        {"min_child_weight", "0.5"}},
                                       150));
  ASSERT_TRUE(model.ok()) << model.status().to_string();
  expect_equal_to_xgboost(*model, 150);
}

// Early stopping keeps fewer rounds than were trained; only those count. Largest differences
// seen: margin 6.9e-7, contributions 3.4e-7 (best round 10 of 21).
TEST_F(TreeEnsembleTest, EarlyStoppedModelUsesTheBestRoundOnly) {
  auto model =
      XgbModel::train(train_, &valid_, options({{"eta", "0.3"}, {"max_depth", "6"}, {"subsample", "0.8"}}, 200, 10));
  ASSERT_TRUE(model.ok()) << model.status().to_string();
  ASSERT_LT(model->best_iteration() + 1, model->rounds_trained());
  expect_equal_to_xgboost(*model, static_cast<size_t>(model->best_iteration() + 1));

  // The bundle's bytes and the best iteration give the same ensemble.
  auto ensemble = TreeEnsemble::from_xgboost(*model);
  ASSERT_TRUE(ensemble.ok());
  auto bytes = model->save();
  ASSERT_TRUE(bytes.ok());
  auto from_bytes = TreeEnsemble::from_xgboost_bytes(*bytes, model->best_iteration());
  ASSERT_TRUE(from_bytes.ok()) << from_bytes.status().to_string();
  EXPECT_EQ(from_bytes->num_trees(), ensemble->num_trees());
  for (size_t i = 0; i < 100; ++i)
    EXPECT_EQ(from_bytes->margin(&unseen_.x[i * 30]), ensemble->margin(&unseen_.x[i * 30]));
}

// XGBoost's random-forest mode: one round of many deep trees; all of them count. Largest
// differences seen: margin 4.3e-7, contributions 2.7e-7.
TEST_F(TreeEnsembleTest, RandomForestEqualsXgboost) {
  auto model = XgbModel::train(all_, nullptr,
                               options({{"eta", "1"},
                                        {"num_parallel_tree", "40"},
                                        {"max_depth", "8"},
                                        {"subsample", "0.632"},
                                        {"colsample_bynode", "0.3"}},
                                       1));
  ASSERT_TRUE(model.ok()) << model.status().to_string();
  expect_equal_to_xgboost(*model, 40);

  // Two rounds of 5 trees each: round 0 is the first 5 trees, rounds 0-1 are all 10.
  auto two_rounds = XgbModel::train(train_, nullptr, options({{"num_parallel_tree", "5"}, {"max_depth", "4"}}, 2));
  ASSERT_TRUE(two_rounds.ok());
  auto bytes = two_rounds->save();
  ASSERT_TRUE(bytes.ok());
  auto first_round = TreeEnsemble::from_xgboost_bytes(*bytes, 0);
  ASSERT_TRUE(first_round.ok()) << first_round.status().to_string();
  EXPECT_EQ(first_round->num_trees(), 5u);
  auto both_rounds = TreeEnsemble::from_xgboost_bytes(*bytes, 1);
  ASSERT_TRUE(both_rounds.ok());
  EXPECT_EQ(both_rounds->num_trees(), 10u);
}

// base_score is saved as a probability for the logistic objectives and as a margin for the others
// (binary:logitraw outputs margins); either way it starts every margin and the bias. Largest
// differences seen: margin 1.7e-6, contributions 5.7e-7.
TEST_F(TreeEnsembleTest, BaseScoreBecomesTheObjectivesMargin) {
  const struct {
    const char* objective;
    const char* base_score;
    double expected_base_margin;
  } cases[] = {{"binary:logistic", "0.5", 0.0},
               {"binary:logistic", "0.2", std::log(0.2 / 0.8)},
               {"reg:logistic", "0.2", std::log(0.2 / 0.8)},
               {"binary:logitraw", "0.2", 0.2},
               {"reg:squarederror", "0.2", 0.2}};
  for (const auto& c : cases) {
    SCOPED_TRACE(std::string(c.objective) + " " + c.base_score);
    auto model = XgbModel::train(
        all_, nullptr, options({{"objective", c.objective}, {"base_score", c.base_score}, {"max_depth", "5"}}, 30));
    ASSERT_TRUE(model.ok()) << model.status().to_string();
    auto ensemble = TreeEnsemble::from_xgboost(*model);
    ASSERT_TRUE(ensemble.ok()) << ensemble.status().to_string();
    EXPECT_NEAR(ensemble->base_margin(), c.expected_base_margin, 1e-7);
    expect_equal_to_xgboost(*model, 30);
  }
}

// An XGBoost 1.7 model document with one tree, written by hand.
std::string hand_written_model(const std::string& tree, int num_feature, const std::string& base_score) {
  std::string document = R"({"learner": {"attributes": {}, "feature_names": [], "feature_types": [],
    "gradient_booster": {"name": "gbtree", "model": {
      "gbtree_model_param": {"num_parallel_tree": "1", "num_trees": "1", "size_leaf_vector": "0"},
      "tree_info": [0], "trees": [TREE]}},
    "learner_model_param": {"base_score": "BASE_SCORE", "boost_from_average": "0", "num_class": "0",
                            "num_feature": "NUM_FEATURE", "num_target": "1"},
    "objective": {"name": "binary:logistic", "reg_loss_param": {"scale_pos_weight": "1"}}},
    "version": [1, 7, 4]})";
  auto fill = [&](const std::string& name, const std::string& value) {
    document.replace(document.find(name), name.size(), value);
  };
  fill("TREE", tree);
  fill("BASE_SCORE", base_score);
  fill("NUM_FEATURE", std::to_string(num_feature));
  return document;
}

// One split: feature 1 < 0.5 goes left (leaf -1, cover 30), else right (leaf 2, cover 10);
// missing goes left. Three features, base_score 0.2.
const std::string kOneSplitModel = hand_written_model(
    R"({"id": 0, "left_children": [1, -1, -1], "right_children": [2, -1, -1],
        "split_indices": [1, 0, 0], "split_conditions": [0.5, -1.0, 2.0], "default_left": [1, 0, 0],
        "split_type": [0, 0, 0], "sum_hessian": [40.0, 30.0, 10.0], "base_weights": [0, -1, 2],
        "loss_changes": [1, 0, 0], "parents": [2147483647, 0, 0],
        "tree_param": {"num_deleted": "0", "num_feature": "3", "num_nodes": "3", "size_leaf_vector": "0"}})",
    3, "2E-1");

// Feature 0 twice on a path: x0 < 0.5 (cover 100) ? (x1 < 0.5 (cover 60) ? 1 (cover 20) : 2 (cover 40))
//                                                : (x0 < 0.8 (cover 40) ? 3 (cover 10) : 4 (cover 30)).
const std::string kRepeatedFeatureModel = hand_written_model(
    R"({"id": 0, "left_children": [1, 3, 5, -1, -1, -1, -1], "right_children": [2, 4, 6, -1, -1, -1, -1],
        "split_indices": [0, 1, 0, 0, 0, 0, 0], "split_conditions": [0.5, 0.5, 0.8, 1, 2, 3, 4],
        "default_left": [1, 1, 1, 0, 0, 0, 0], "split_type": [0, 0, 0, 0, 0, 0, 0],
        "sum_hessian": [100, 60, 40, 20, 40, 10, 30], "base_weights": [0, 0, 0, 1, 2, 3, 4],
        "loss_changes": [1, 1, 1, 0, 0, 0, 0], "parents": [2147483647, 0, 0, 1, 1, 2, 2],
        "tree_param": {"num_deleted": "0", "num_feature": "2", "num_nodes": "7", "size_leaf_vector": "0"}})",
    2, "5E-1");

std::span<const char> model_text_bytes(std::string_view text) { return {text.data(), text.size()}; }

TEST(TreeEnsemble, HandWrittenModelFollowsXgboostsSplitRule) {
  auto ensemble = TreeEnsemble::from_xgboost_bytes(model_text_bytes(kOneSplitModel), 0);
  ASSERT_TRUE(ensemble.ok()) << ensemble.status().to_string();
  EXPECT_EQ(ensemble->num_features(), 3u);
  EXPECT_EQ(ensemble->num_trees(), 1u);
  const double base = std::log(0.2 / 0.8);
  const float below[] = {7, 0.25f, 7}, equal[] = {7, 0.5f, 7}, missing[] = {7, NAN, 7};
  const float above[] = {NAN, INFINITY, NAN}, very_low[] = {0, -INFINITY, 0};
  EXPECT_DOUBLE_EQ(ensemble->margin(below), base - 1);
  EXPECT_DOUBLE_EQ(ensemble->margin(equal), base + 2);    // x < threshold goes left: equal goes right
  EXPECT_DOUBLE_EQ(ensemble->margin(missing), base - 1);  // the default direction
  EXPECT_DOUBLE_EQ(ensemble->margin(above), base + 2);
  EXPECT_DOUBLE_EQ(ensemble->margin(very_low), base - 1);

  // The expected value is (30 x -1 + 10 x 2) / 40 = -0.25; feature 1 carries the rest.
  double phi[4];
  ensemble->contributions(equal, phi);
  EXPECT_EQ(phi[0], 0.0);
  EXPECT_DOUBLE_EQ(phi[1], 2 - -0.25);
  EXPECT_EQ(phi[2], 0.0);
  EXPECT_DOUBLE_EQ(phi[3], base - 0.25);
  ensemble->contributions(missing, phi);
  EXPECT_DOUBLE_EQ(phi[1], -1 - -0.25);
}

// Shapley values by hand, f(S) being the tree's value with the features outside S integrated out
// by cover: E = f({}) = 0.6 x (1/3 x 1 + 2/3 x 2) + 0.4 x (1/4 x 3 + 3/4 x 4) = 2.5, and
// phi_0 = ((f({0}) - f({})) + (f({0, 1}) - f({1}))) / 2, phi_1 likewise.
TEST(TreeEnsemble, FeatureRepeatedOnAPathIsTakenOffAndPutBack) {
  auto ensemble = TreeEnsemble::from_xgboost_bytes(model_text_bytes(kRepeatedFeatureModel), 0);
  ASSERT_TRUE(ensemble.ok()) << ensemble.status().to_string();
  double phi[3];
  // x = (0.7, 0.1) ends in the leaf of value 3, the row following both splits on x0: f({0}) = 3, f({1}) =
  // 0.6 x 1 + 0.4 x 3.75 = 2.1; phi_0 = (0.5 + 0.9) / 2, phi_1 = (-0.4 + 0) / 2.
  const float right[] = {0.7f, 0.1f};
  EXPECT_DOUBLE_EQ(ensemble->margin(right), 3);
  ensemble->contributions(right, phi);
  EXPECT_NEAR(phi[0], 0.7, 1e-12);
  EXPECT_NEAR(phi[1], -0.2, 1e-12);
  EXPECT_NEAR(phi[2], 2.5, 1e-12);
  // x = (0.2, 0.1) ends in the leaf of value 1; the second split on x0 is on a branch the row does not take:
  // f({0}) = 5/3, f({1}) = 2.1; phi_0 = (5/3 - 2.5 + 1 - 2.1) / 2, phi_1 = (2.1 - 2.5 + 1 - 5/3) / 2.
  const float left[] = {0.2f, 0.1f};
  EXPECT_DOUBLE_EQ(ensemble->margin(left), 1);
  ensemble->contributions(left, phi);
  EXPECT_NEAR(phi[0], (5.0 / 3 - 2.5 + 1 - 2.1) / 2, 1e-12);
  EXPECT_NEAR(phi[1], (2.1 - 2.5 + 1 - 5.0 / 3) / 2, 1e-12);
  EXPECT_NEAR(phi[2], 2.5, 1e-12);
}

// XGBoost 2 saves where each round's trees begin; 1.7 (credo's) saves num_parallel_tree only.
TEST(TreeEnsemble, RoundsFollowIterationIndptrWhenSaved) {
  const std::string tree_info = "\"tree_info\": [0]";
  std::string model = kOneSplitModel;
  model.replace(model.find(tree_info), tree_info.size(), tree_info + ", \"iteration_indptr\": [0, 1]");
  auto ensemble = TreeEnsemble::from_xgboost_bytes(model_text_bytes(model), 0);
  ASSERT_TRUE(ensemble.ok()) << ensemble.status().to_string();
  EXPECT_EQ(ensemble->num_trees(), 1u);
}

TEST(TreeEnsemble, WhatIsNotAnXgboostTreeModelIsAnError) {
  auto expect_error = [](std::string_view bytes, int best_iteration, StatusCode code, const std::string& says) {
    auto ensemble = TreeEnsemble::from_xgboost_bytes(model_text_bytes(bytes), best_iteration);
    ASSERT_FALSE(ensemble.ok()) << bytes;
    EXPECT_EQ(ensemble.status().code(), code) << ensemble.status().to_string();
    EXPECT_NE(ensemble.status().message().find(says), std::string::npos) << ensemble.status().to_string();
  };
  expect_error("", 0, StatusCode::kParseError, "not an XGBoost JSON/UBJSON model");
  expect_error("credo", 0, StatusCode::kParseError, "not an XGBoost JSON/UBJSON model");
  expect_error("{\"learner\": ", 0, StatusCode::kParseError, "not JSON");
  expect_error("{\"scores\": [1, 2]}", 0, StatusCode::kParseError, "XGBoost model: no learner");
  expect_error("{Lgarbage", 0, StatusCode::kParseError, "not UBJSON");

  const std::string& model = kOneSplitModel;
  auto edited = [&](const std::string& from, const std::string& to) {
    std::string text = model;
    size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  expect_error(model, 1, StatusCode::kInvalidArgument, "best iteration 1 is not a round of the 1");
  expect_error(model, -1, StatusCode::kInvalidArgument, "best iteration -1");
  expect_error(edited("\"name\": \"gbtree\"", "\"name\": \"dart\""), 0, StatusCode::kParseError, "only gbtree");
  expect_error(edited("\"split_type\": [0, 0, 0]", "\"split_type\": [1, 0, 0]"), 0, StatusCode::kParseError,
               "categorical splits are not supported");
  expect_error(edited("\"split_indices\": [1, 0, 0]", "\"split_indices\": [3, 0, 0]"), 0, StatusCode::kParseError,
               "splits on feature 3 of 3");
  expect_error(edited("\"right_children\": [2, -1, -1]", "\"right_children\": [1, -1, -1]"), 0, StatusCode::kParseError,
               "child 1 is not a node of its own");
  expect_error(edited("\"sum_hessian\": [40.0, 30.0, 10.0]", "\"sum_hessian\": [40.0, 30.0]"), 0,
               StatusCode::kParseError, "sum_hessian has 2 values for 3 nodes");
  expect_error(edited("\"num_class\": \"0\"", "\"num_class\": \"3\""), 0, StatusCode::kParseError, "3 classes");
  expect_error(edited("\"binary:logistic\"", "\"count:poisson\""), 0, StatusCode::kParseError,
               "objective count:poisson");
  expect_error(edited("\"tree_info\": [0]", "\"tree_info\": [0], \"iteration_indptr\": [0, 2]"), 0,
               StatusCode::kParseError, "iteration_indptr ends round 0 at tree 2 of 1");
  expect_error(edited("\"split_conditions\": [0.5", "\"split_conditions\": [\"half\""), 0, StatusCode::kParseError,
               "split_conditions holds a value that is not a number");
}

// A linear booster has no trees to read.
TEST_F(TreeEnsembleTest, LinearBoosterIsAnError) {
  auto model = XgbModel::train(all_, nullptr, options({{"booster", "gblinear"}}, 3));
  ASSERT_TRUE(model.ok()) << model.status().to_string();
  auto ensemble = TreeEnsemble::from_xgboost(*model);
  ASSERT_FALSE(ensemble.ok());
  EXPECT_NE(ensemble.status().message().find("booster \"gblinear\": only gbtree"), std::string::npos)
      << ensemble.status().to_string();
}

}  // namespace
}  // namespace credo::train
