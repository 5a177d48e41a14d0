// The XGBoost adapter against the real libxgboost: ranking held-out rows, early stopping on the
// best round, slices, SHAP additivity, random forests, saved models, weights, determinism and
// errors as values. Data is synthetic (a logistic truth, 10% missing, ~10% defaults), seeded here.
#include "credo/train/xgboost_adapter.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <thread>

#include "credo/base/auc.h"
#include "credo/base/random.h"

namespace credo::train {
namespace {

// rows x 10 features: 0-5 carry the signal (with an interaction), 6-8 are noise, 9 is constant.
struct Synthetic {
  size_t rows = 0, cols = 10;
  std::vector<float> x, y;
  DenseRows dense() const { return {x.data(), rows, cols}; }
  DenseRows dense_rows(size_t begin, size_t end) const { return {x.data() + begin * cols, end - begin, cols}; }
};

Synthetic make_data(size_t rows, uint64_t seed) {
  const double beta[] = {1.2, -0.9, 0.7, 0.5, -0.4, 0.3, 0, 0, 0, 0};
  Rng rng(seed);
  Synthetic d;
  d.rows = rows;
  d.x.resize(rows * d.cols);
  d.y.resize(rows);
  for (size_t i = 0; i < rows; ++i) {
    float* row = &d.x[i * d.cols];
    double margin = -3.0;
    for (size_t j = 0; j < d.cols; ++j) {
      row[j] = j == 9 ? 1.0f : static_cast<float>(rng.normal());
      margin += beta[j] * row[j];
    }
    margin += 0.8 * row[0] * row[1];
    d.y[i] = rng.bernoulli(1 / (1 + std::exp(-margin))) ? 1.0f : 0.0f;
    for (size_t j = 0; j < 9; ++j)
      if (rng.bernoulli(0.1)) row[j] = NAN;  // missing after the truth is drawn, as in real data
  }
  return d;
}

std::vector<int32_t> range(int32_t begin, int32_t end) {
  std::vector<int32_t> out;
  for (int32_t i = begin; i < end; ++i) out.push_back(i);
  return out;
}

double auc(const std::vector<float>& scores, std::span<const float> labels) {
  std::vector<double> s(scores.begin(), scores.end());
  std::vector<uint8_t> l;
  for (float v : labels) l.push_back(v > 0.5f ? 1 : 0);
  return roc_auc(s, l);
}

bool bit_identical(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// Two models that should be the same: the same bits out of every output.
void expect_same_outputs(const XgbModel& a, const XgbModel& b, DenseRows rows) {
  auto pa = a.predict(rows), pb = b.predict(rows);
  ASSERT_TRUE(pa.ok() && pb.ok());
  EXPECT_TRUE(bit_identical(*pa, *pb)) << "predict";
  auto ma = a.predict_margin(rows), mb = b.predict_margin(rows);
  ASSERT_TRUE(ma.ok() && mb.ok());
  EXPECT_TRUE(bit_identical(*ma, *mb)) << "predict_margin";
  auto ca = a.contributions(rows), cb = b.contributions(rows);
  ASSERT_TRUE(ca.ok() && cb.ok());
  EXPECT_TRUE(bit_identical(*ca, *cb)) << "contributions";
  auto ga = a.gain_importance(rows.cols), gb = b.gain_importance(rows.cols);
  ASSERT_TRUE(ga.ok() && gb.ok());
  EXPECT_EQ(*ga, *gb) << "gain_importance";
}

XgbTrainOptions boosting(int rounds, int early_stopping_rounds = 0) {
  XgbTrainOptions options;
  options.params = {{"eta", "0.1"}, {"max_depth", "4"}, {"subsample", "0.8"}, {"colsample_bynode", "0.8"}};
  options.num_boost_round = rounds;
  options.early_stopping_rounds = early_stopping_rounds;
  options.threads = 2;
  options.seed = 7;
  return options;
}

// Rows 0-1999 train, 2000-2499 validate, 2500-2999 test.
class XgbAdapterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = make_data(3000, 11);
    auto all = XgbData::from_rows(data_.dense(), data_.y, {}, 2);
    ASSERT_TRUE(all.ok()) << all.status().to_string();
    all_ = std::move(all).value();
    auto train = all_.slice(range(0, 2000));
    auto valid = all_.slice(range(2000, 2500));
    ASSERT_TRUE(train.ok() && valid.ok());
    train_ = std::move(train).value();
    valid_ = std::move(valid).value();
  }
  std::span<const float> test_labels() const { return std::span<const float>(data_.y).subspan(2500); }
  DenseRows test_rows() const { return data_.dense_rows(2500, 3000); }

  Synthetic data_;
  XgbData all_, train_, valid_;
};

TEST_F(XgbAdapterTest, TrainedModelRanksHeldOutRows) {
  double positives = 0;
  for (float v : data_.y) positives += v;
  EXPECT_GT(positives / 3000, 0.05);  // the data is what the tests assume: ~10% defaults
  EXPECT_LT(positives / 3000, 0.2);
  EXPECT_EQ(all_.rows(), 3000u);
  EXPECT_EQ(all_.cols(), 10u);
  EXPECT_EQ(train_.rows(), 2000u);

  auto model = XgbModel::train(train_, &valid_, boosting(100, 20));
  ASSERT_TRUE(model.ok()) << model.status().to_string();
  EXPECT_EQ(model->num_features(), 10u);
  auto p = model->predict(test_rows());
  ASSERT_TRUE(p.ok()) << p.status().to_string();
  ASSERT_EQ(p->size(), 500u);
  for (float v : *p) {
    EXPECT_GT(v, 0);
    EXPECT_LT(v, 1);
  }
  EXPECT_GT(auc(*p, test_labels()), 0.75);

  // In place (DenseRows) and through a DMatrix give the same bits.
  auto test = all_.slice(range(2500, 3000));
  ASSERT_TRUE(test.ok());
  auto via_dmatrix = model->predict(*test);
  ASSERT_TRUE(via_dmatrix.ok()) << via_dmatrix.status().to_string();
  EXPECT_TRUE(bit_identical(*p, *via_dmatrix));
}

TEST_F(XgbAdapterTest, OnRoundReportsBothLossesAndNaNWithoutValidation) {
  std::vector<double> train_losses, valid_losses;
  XgbTrainOptions options = boosting(5);
  options.on_round = [&](int round, double train_loss, double valid_loss) {
    EXPECT_EQ(round, static_cast<int>(train_losses.size()));
    train_losses.push_back(train_loss);
    valid_losses.push_back(valid_loss);
  };
  auto with_valid = XgbModel::train(train_, &valid_, options);
  ASSERT_TRUE(with_valid.ok());
  ASSERT_EQ(train_losses.size(), 5u);
  EXPECT_LT(train_losses[4], train_losses[0]);  // boosting lowers the training loss
  EXPECT_GT(train_losses[0], 0.2);
  EXPECT_LT(train_losses[0], 0.7);
  for (double v : valid_losses) EXPECT_TRUE(std::isfinite(v));

  train_losses.clear();
  valid_losses.clear();
  auto without = XgbModel::train(train_, nullptr, options);
  ASSERT_TRUE(without.ok());
  ASSERT_EQ(valid_losses.size(), 5u);
  for (double v : valid_losses) EXPECT_TRUE(std::isnan(v));
  EXPECT_EQ(without->best_iteration(), 4);  // no validation: the last round
  EXPECT_EQ(without->rounds_trained(), 5);
}

TEST_F(XgbAdapterTest, EarlyStoppingPredictsWithTheBestRoundOnly) {
  // Deep trees and a large step overfit 2,000 rows within a few rounds.
  XgbTrainOptions options = boosting(300, 10);
  options.params = {{"eta", "0.6"}, {"max_depth", "8"}, {"min_child_weight", "0"}};
  std::vector<double> valid_losses;
  options.on_round = [&](int, double, double valid_loss) { valid_losses.push_back(valid_loss); };
  auto stopped = XgbModel::train(train_, &valid_, options);
  ASSERT_TRUE(stopped.ok()) << stopped.status().to_string();
  int best = stopped->best_iteration();
  EXPECT_LT(stopped->rounds_trained(), 300);
  EXPECT_LT(best, stopped->rounds_trained());
  EXPECT_EQ(stopped->rounds_trained(), best + 1 + 10);  // stopped after 10 rounds without improvement
  ASSERT_EQ(valid_losses.size(), static_cast<size_t>(stopped->rounds_trained()));
  EXPECT_EQ(std::min_element(valid_losses.begin(), valid_losses.end()) - valid_losses.begin(), best);

  // A model trained for exactly best + 1 rounds (no validation set) predicts the same bits.
  XgbTrainOptions exact = options;
  exact.num_boost_round = best + 1;
  exact.early_stopping_rounds = 0;
  exact.on_round = nullptr;
  auto short_model = XgbModel::train(train_, nullptr, exact);
  ASSERT_TRUE(short_model.ok());
  // Gain importance included: it counts the trees predictions use, not the later ones.
  expect_same_outputs(*stopped, *short_model, test_rows());

  // The training and validation matrices hold XGBoost's cached predictions of every round; predicting
  // on them must still stop at the best round.
  auto on_train = stopped->predict(train_);
  auto on_valid = stopped->predict(valid_);
  auto train_in_place = stopped->predict(data_.dense_rows(0, 2000));
  auto valid_in_place = stopped->predict(data_.dense_rows(2000, 2500));
  ASSERT_TRUE(on_train.ok() && on_valid.ok() && train_in_place.ok() && valid_in_place.ok());
  EXPECT_TRUE(bit_identical(*on_train, *train_in_place));
  EXPECT_TRUE(bit_identical(*on_valid, *valid_in_place));
}

// With class weights the validation log-loss mostly measures the shifted prior; stopping on the
// AUC keeps the round that ranks the validation rows best: checked against models trained for
// exactly k rounds, for every k.
TEST_F(XgbAdapterTest, EarlyStoppingOnAucKeepsTheRoundThatRanksBest) {
  std::vector<float> weights(2000);
  for (size_t i = 0; i < 2000; ++i) weights[i] = data_.y[i] > 0.5f ? 9.0f : 1.0f;
  auto weighted = XgbData::from_rows(data_.dense_rows(0, 2000), std::span<const float>(data_.y).subspan(0, 2000),
                                     weights, 2);
  ASSERT_TRUE(weighted.ok());
  XgbTrainOptions options = boosting(200, 8);
  options.params = {{"eta", "0.5"}, {"max_depth", "6"}, {"min_child_weight", "0"}};
  options.stop_on_auc = true;
  std::vector<double> valid_losses;
  options.on_round = [&](int, double, double valid_loss) { valid_losses.push_back(valid_loss); };
  auto stopped = XgbModel::train(*weighted, &valid_, options);
  ASSERT_TRUE(stopped.ok()) << stopped.status().to_string();
  EXPECT_EQ(stopped->rounds_trained(), stopped->best_iteration() + 1 + 8);
  std::span<const float> valid_labels = std::span<const float>(data_.y).subspan(2000, 500);
  std::vector<double> aucs;
  for (int k = 1; k <= stopped->rounds_trained(); ++k) {
    XgbTrainOptions exact = options;
    exact.num_boost_round = k;
    exact.early_stopping_rounds = 0;
    exact.on_round = nullptr;
    auto model = XgbModel::train(*weighted, nullptr, exact);
    ASSERT_TRUE(model.ok());
    aucs.push_back(auc(model->predict(data_.dense_rows(2000, 2500)).value(), valid_labels));
  }
  // XGBoost's AUC and ours agree to rounding; the first best round is the one kept.
  double best_auc = *std::max_element(aucs.begin(), aucs.end());
  size_t first_best = 0;
  while (aucs[first_best] < best_auc - 1e-9) ++first_best;
  EXPECT_EQ(static_cast<int>(first_best), stopped->best_iteration());
  // Here the log-loss still falls after the best AUC (it approaches the re-weighted prior): the
  // two criteria disagree, so this test tells them apart.
  EXPECT_NE(std::min_element(valid_losses.begin(), valid_losses.end()) - valid_losses.begin(),
            stopped->best_iteration());
}

TEST_F(XgbAdapterTest, SlicePredictsLikeTheSameRowsOfTheFullMatrix) {
  auto model = XgbModel::train(train_, nullptr, boosting(30));
  ASSERT_TRUE(model.ok());
  auto full = model->predict(all_);
  ASSERT_TRUE(full.ok());
  std::vector<int32_t> picked = {2999, 5, 1234, 5, 0, 2500};  // any order, repeats allowed
  auto part = all_.slice(picked);
  ASSERT_TRUE(part.ok());
  EXPECT_EQ(part->rows(), picked.size());
  auto sliced = model->predict(*part);
  ASSERT_TRUE(sliced.ok());
  ASSERT_EQ(sliced->size(), picked.size());
  for (size_t i = 0; i < picked.size(); ++i) EXPECT_EQ((*sliced)[i], (*full)[static_cast<size_t>(picked[i])]) << i;
}

TEST_F(XgbAdapterTest, SliceKeepsLabelsAndTrainsLikeACopyOfItsRows) {
  std::vector<int32_t> picked;
  for (int32_t i = 0; i < 3000; i += 2) picked.push_back(i);
  auto sliced = all_.slice(picked);
  ASSERT_TRUE(sliced.ok());
  std::vector<float> x, y;
  for (int32_t i : picked) {
    x.insert(x.end(), &data_.x[static_cast<size_t>(i) * 10], &data_.x[static_cast<size_t>(i) * 10 + 10]);
    y.push_back(data_.y[static_cast<size_t>(i)]);
  }
  auto copied = XgbData::from_rows({x.data(), picked.size(), 10}, y, {}, 1);
  ASSERT_TRUE(copied.ok());
  auto a = XgbModel::train(*sliced, nullptr, boosting(20));
  auto b = XgbModel::train(*copied, nullptr, boosting(20));
  ASSERT_TRUE(a.ok() && b.ok());
  auto pa = a->predict(test_rows());
  auto pb = b->predict(test_rows());
  ASSERT_TRUE(pa.ok() && pb.ok());
  EXPECT_TRUE(bit_identical(*pa, *pb));
}

// TreeSHAP is exact: each row's contributions and bias add up to its margin, and the logistic
// function of the margin is the probability.
void expect_additive(const XgbModel& model, DenseRows rows) {
  auto contributions = model.contributions(rows);
  auto margins = model.predict_margin(rows);
  auto probabilities = model.predict(rows);
  ASSERT_TRUE(contributions.ok()) << contributions.status().to_string();
  ASSERT_TRUE(margins.ok() && probabilities.ok());
  ASSERT_EQ(contributions->size(), rows.rows * (rows.cols + 1));
  double largest_bias = 0;
  for (size_t i = 0; i < rows.rows; ++i) {
    double sum = 0;
    for (size_t j = 0; j <= rows.cols; ++j) sum += (*contributions)[i * (rows.cols + 1) + j];
    EXPECT_NEAR(sum, (*margins)[i], 1e-4) << "row " << i;
    EXPECT_NEAR(1 / (1 + std::exp(-static_cast<double>((*margins)[i]))), (*probabilities)[i], 1e-6) << "row " << i;
    // The constant feature 9 never splits, so it never contributes.
    EXPECT_EQ((*contributions)[i * (rows.cols + 1) + 9], 0.0f);
    largest_bias =
        std::max(largest_bias, std::abs(static_cast<double>((*contributions)[i * (rows.cols + 1) + rows.cols])));
  }
  EXPECT_GT(largest_bias, 0);  // the bias is last and is the base value, not a feature's share
}

TEST_F(XgbAdapterTest, ContributionsAddUpToTheMargin) {
  auto model = XgbModel::train(train_, &valid_, boosting(200, 10));
  ASSERT_TRUE(model.ok());
  EXPECT_LT(model->best_iteration() + 1, model->rounds_trained());  // the best-round limit applies too
  expect_additive(*model, test_rows());
}

TEST_F(XgbAdapterTest, RandomForestModeUsesAllTreesOfItsOneRound) {
  XgbTrainOptions options;
  options.params = {{"num_parallel_tree", "50"},
                    {"subsample", "0.63"},
                    {"colsample_bynode", "0.5"},
                    {"eta", "1"},
                    {"max_depth", "6"}};
  options.num_boost_round = 1;
  options.threads = 2;
  auto forest = XgbModel::train(train_, &valid_, options);
  ASSERT_TRUE(forest.ok()) << forest.status().to_string();
  EXPECT_EQ(forest->best_iteration(), 0);
  EXPECT_EQ(forest->rounds_trained(), 1);
  auto p = forest->predict(test_rows());
  ASSERT_TRUE(p.ok());
  EXPECT_GT(auc(*p, test_labels()), 0.75);
  // One depth-6 tree has at most 64 leaves, so at most 64 distinct probabilities: many more means
  // iteration_end = 1 took the whole round of 50 trees.
  std::set<float> distinct(p->begin(), p->end());
  EXPECT_GT(distinct.size(), 64u);
  expect_additive(*forest, test_rows());

  auto bytes = forest->save();
  ASSERT_TRUE(bytes.ok());
  auto loaded = XgbModel::load(*bytes, 2);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->rounds_trained(), 1);  // rounds, not trees
  EXPECT_EQ(loaded->best_iteration(), 0);
  expect_same_outputs(*forest, *loaded, test_rows());
}

TEST_F(XgbAdapterTest, SavedModelLoadsWithTheSamePredictions) {
  auto model = XgbModel::train(train_, &valid_, boosting(200, 10));
  ASSERT_TRUE(model.ok());
  ASSERT_LT(model->best_iteration() + 1, model->rounds_trained());
  auto bytes = model->save();
  ASSERT_TRUE(bytes.ok()) << bytes.status().to_string();
  ASSERT_GT(bytes->size(), 2u);
  EXPECT_EQ((*bytes)[0], '{');  // UBJSON

  auto loaded = XgbModel::load(*bytes, 1);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->best_iteration(), model->best_iteration());
  // The file holds only the rounds up to the best: any XGBoost reader, even one that scores with
  // every tree it finds, gives the same margins (model_bundle_interop_test.cc checks python's).
  EXPECT_EQ(loaded->rounds_trained(), model->best_iteration() + 1);
  EXPECT_EQ(loaded->num_features(), 10u);
  expect_same_outputs(*model, *loaded, test_rows());
  auto again = loaded->save();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, *bytes);  // saving is stable
}

TEST_F(XgbAdapterTest, GainImportanceFollowsTheSignal) {
  auto model = XgbModel::train(train_, nullptr, boosting(50));
  ASSERT_TRUE(model.ok());
  auto gain = model->gain_importance(10);
  ASSERT_TRUE(gain.ok()) << gain.status().to_string();
  ASSERT_EQ(gain->size(), 10u);
  for (double g : *gain) EXPECT_GE(g, 0);
  EXPECT_EQ(std::max_element(gain->begin(), gain->end()) - gain->begin(), 0);  // the strongest truth
  EXPECT_EQ((*gain)[9], 0);                                                    // constant: never split on
  // Noise features collect some gain from overfitting 2,000 rows, but less than any of the five
  // strongest ones (|beta| >= 0.4).
  double strongest_noise = *std::max_element(gain->begin() + 6, gain->begin() + 9);
  for (size_t signal = 0; signal < 5; ++signal) EXPECT_GT((*gain)[signal], strongest_noise) << signal;
  auto too_few = model->gain_importance(3);
  EXPECT_FALSE(too_few.ok());
}

// Zero-weight rows add nothing to the gradients and hessians the trees are grown from. XGBoost
// promises no more than that (its weighted quantile sketch could place a bin cut differently), so
// the model of the other half is matched to 1e-6 in probability, not bit for bit.
TEST_F(XgbAdapterTest, ZeroWeightRowsAreIgnored) {
  std::vector<int32_t> first_half = range(0, 1000);
  std::vector<float> weights(2000, 0.0f);
  std::fill(weights.begin(), weights.begin() + 1000, 1.0f);
  auto weighted = all_.slice(range(0, 2000), weights);
  auto half = all_.slice(first_half);
  ASSERT_TRUE(weighted.ok() && half.ok());
  XgbTrainOptions options = boosting(30);
  options.params = {{"eta", "0.1"}, {"max_depth", "4"}};  // row subsampling would draw among all 2,000 rows
  auto a = XgbModel::train(*weighted, nullptr, options);
  auto b = XgbModel::train(*half, nullptr, options);
  ASSERT_TRUE(a.ok() && b.ok());
  auto pa = a->predict(test_rows());
  auto pb = b->predict(test_rows());
  ASSERT_TRUE(pa.ok() && pb.ok());
  double largest = 0;
  for (size_t i = 0; i < pa->size(); ++i)
    largest = std::max(largest, std::abs(static_cast<double>((*pa)[i] - (*pb)[i])));
  EXPECT_LT(largest, 1e-6) << "largest difference in probability";  // 1.7.4 gives identical bits here

  // And the weights really are applied: all-ones weights give another model.
  auto unweighted = all_.slice(range(0, 2000), std::vector<float>(2000, 1.0f));
  ASSERT_TRUE(unweighted.ok());
  auto c = XgbModel::train(*unweighted, nullptr, options);
  ASSERT_TRUE(c.ok());
  auto pc = c->predict(test_rows());
  ASSERT_TRUE(pc.ok());
  EXPECT_FALSE(bit_identical(*pa, *pc));
}

TEST_F(XgbAdapterTest, SameSeedAndDataGiveBitIdenticalModels) {
  XgbTrainOptions options = boosting(40);  // row and column subsampling: the seed matters
  auto first = XgbModel::train(train_, &valid_, options);
  auto second = XgbModel::train(train_, &valid_, options);
  options.threads = 1;
  auto one_thread = XgbModel::train(train_, &valid_, options);
  options.threads = 2;
  StatusOr<XgbModel> elsewhere = Status::Internal("not run");
  std::thread([&] { elsewhere = XgbModel::train(train_, &valid_, options); }).join();  // no hidden per-thread state
  options.seed = 8;
  auto other_seed = XgbModel::train(train_, &valid_, options);
  ASSERT_TRUE(first.ok() && second.ok() && one_thread.ok() && elsewhere.ok() && other_seed.ok());
  auto p1 = first->predict(test_rows());
  auto p2 = second->predict(test_rows());
  auto p3 = one_thread->predict(test_rows());
  auto p4 = elsewhere->predict(test_rows());
  auto p5 = other_seed->predict(test_rows());
  ASSERT_TRUE(p1.ok() && p2.ok() && p3.ok() && p4.ok() && p5.ok());
  EXPECT_TRUE(bit_identical(*p1, *p2));
  EXPECT_TRUE(bit_identical(*p1, *p3));
  EXPECT_TRUE(bit_identical(*p1, *p4));
  EXPECT_FALSE(bit_identical(*p1, *p5));
  EXPECT_EQ(*first->save(), *second->save());
}

TEST_F(XgbAdapterTest, InvalidParametersAreErrorsWithXgboostsMessage) {
  XgbTrainOptions options = boosting(5);
  options.params = {{"max_depth", "-1"}};
  auto negative_depth = XgbModel::train(train_, nullptr, options);
  ASSERT_FALSE(negative_depth.ok());
  EXPECT_EQ(negative_depth.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(negative_depth.status().message().find("max_depth"), std::string::npos)
      << negative_depth.status().message();
  EXPECT_EQ(negative_depth.status().message().find("Stack trace"), std::string::npos);

  options.params = {{"objective", "binary:nonsense"}};
  auto unknown_objective = XgbModel::train(train_, nullptr, options);
  ASSERT_FALSE(unknown_objective.ok());
  EXPECT_NE(unknown_objective.status().message().find("Unknown objective"), std::string::npos)
      << unknown_objective.status().message();

  options.params = {{"nthread", "8"}};
  auto reserved = XgbModel::train(train_, nullptr, options);
  ASSERT_FALSE(reserved.ok());
  EXPECT_NE(reserved.status().message().find("threads"), std::string::npos);

  options.params = {};
  options.num_boost_round = 0;
  EXPECT_FALSE(XgbModel::train(train_, nullptr, options).ok());
}

TEST_F(XgbAdapterTest, BadDataAndBadRowsAreErrors) {
  std::vector<float> x = {1, 2, 3, 4};
  std::vector<float> two_labels = {0, 1};
  EXPECT_FALSE(XgbData::from_rows({x.data(), 2, 2}, std::vector<float>{0}, {}, 1).ok());              // labels short
  EXPECT_FALSE(XgbData::from_rows({x.data(), 2, 2}, std::vector<float>{0, 2}, {}, 1).ok());           // label 2
  EXPECT_FALSE(XgbData::from_rows({x.data(), 2, 2}, two_labels, std::vector<float>{1, -1}, 1).ok());  // negative weight
  EXPECT_FALSE(XgbData::from_rows({x.data(), 2, 2}, two_labels, std::vector<float>{1}, 1).ok());      // weights short
  auto out_of_range = all_.slice(std::vector<int32_t>{0, 3000});
  ASSERT_FALSE(out_of_range.ok());
  EXPECT_NE(out_of_range.status().message().find("3000"), std::string::npos);
  EXPECT_FALSE(all_.slice(std::vector<int32_t>{-1}).ok());
  EXPECT_FALSE(all_.slice(std::vector<int32_t>{0, 1}, std::vector<float>{1}).ok());

  auto model = XgbModel::train(train_, nullptr, boosting(3));
  ASSERT_TRUE(model.ok());
  auto narrow = model->predict(DenseRows{data_.x.data(), 10, 9});
  ASSERT_FALSE(narrow.ok());
  EXPECT_EQ(narrow.status().code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(model->contributions(DenseRows{data_.x.data(), 10, 11}).ok());
  auto none = model->predict(DenseRows{nullptr, 0, 10});
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(XgbAdapterTest, GarbageBytesDoNotLoad) {
  std::string text = "this is not a model";
  auto garbage = XgbModel::load(std::span<const char>(text.data(), text.size()), 1);
  ASSERT_FALSE(garbage.ok());
  EXPECT_EQ(garbage.status().code(), StatusCode::kParseError);
  EXPECT_FALSE(XgbModel::load({}, 1).ok());

  Rng rng(3);
  std::vector<char> noise(4096);
  for (char& c : noise) c = static_cast<char>(rng.next_u64());
  noise[0] = '{';  // looks like JSON / UBJSON to XGBoost
  auto random = XgbModel::load(noise, 1);
  ASSERT_FALSE(random.ok());
  EXPECT_EQ(random.status().code(), StatusCode::kParseError);

  auto model = XgbModel::train(train_, nullptr, boosting(5));
  ASSERT_TRUE(model.ok());
  auto bytes = model->save();
  ASSERT_TRUE(bytes.ok());
  for (size_t cut : {bytes->size() / 2, size_t{10}, size_t{1}}) {
    auto truncated = XgbModel::load(std::span<const char>(bytes->data(), cut), 1);
    EXPECT_FALSE(truncated.ok()) << cut;
  }
}

}  // namespace
}  // namespace credo::train
