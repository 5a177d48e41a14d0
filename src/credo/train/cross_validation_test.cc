// Cross-validation never lets a fold's validation clients into what is fitted: not into the
// model's rows, not into SMOTE's synthetic rows or the under-sampled rows, not into the early-
// stopping rows. A recording algorithm shows exactly what each fit saw.
#include "credo/train/cross_validation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "credo/base/random.h"

namespace credo::train {
namespace {

struct FitRecord {
  std::vector<int32_t> rows, stop_rows;
  std::vector<float> synthetic;
};

// Fits nothing: remembers what it was given and predicts each row's first feature.
class RecordingAlgorithm final : public Algorithm {
 public:
  explicit RecordingAlgorithm(bool early_stopping) : early_stopping_(early_stopping) {}
  std::string name() const override { return "recording"; }
  std::string description() const override { return "records its fits"; }
  Params defaults() const override { return {}; }
  SearchSpace search_space() const override { return {}; }
  bool uses_early_stopping() const override { return early_stopping_; }
  StatusOr<std::unique_ptr<ScoringModel>> fit(const FitData& data, const Params&) const override {
    fits.push_back({data.train->rows, {data.early_stopping_rows.begin(), data.early_stopping_rows.end()},
                    data.train->synthetic});
    return std::unique_ptr<ScoringModel>(new FirstFeature());
  }
  StatusOr<std::unique_ptr<ScoringModel>> load(const std::filesystem::path&, const nlohmann::json&, int) const override {
    return Status::Internal("not saved");
  }
  mutable std::vector<FitRecord> fits;

 private:
  class FirstFeature final : public ScoringModel {
   public:
    std::string algorithm() const override { return "recording"; }
    StatusOr<std::vector<float>> predict(DenseRows rows) const override {
      std::vector<float> out(rows.rows);
      for (size_t r = 0; r < rows.rows; ++r) out[r] = 1 / (1 + std::exp(-rows.data[r * rows.cols]));
      return out;
    }
    StatusOr<std::vector<float>> contributions(DenseRows) const override { return Status::Internal("none"); }
    std::vector<double> native_importance(size_t) const override { return {}; }
    StatusOr<nlohmann::json> save(const std::filesystem::path&) const override { return nlohmann::json{}; }
  };
  bool early_stopping_;
};

class CrossValidationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Rng rng(4);
    for (int32_t r = 0; r < 600; ++r) {
      rows_.push_back(r);
      labels_.push_back(rng.bernoulli(0.15));
      data_.push_back(static_cast<float>(rng.normal()) + labels_.back());
      data_.push_back(static_cast<float>(r));  // the row's own number: shows where a value came from
    }
    folds_ = stratified_kfold(labels_, 3, 1);
  }
  // Runs the candidate once per fold f with fold f's validation rows marked (their second
  // feature moved to 10000 + row), and checks what fold f's fit saw: no validation row among its
  // rows or early-stopping rows, and no marked value in SMOTE's synthetic rows (interpolations
  // between training defaulters only).
  void expect_validation_rows_never_fitted(Imbalance treatment, bool early_stopping) const {
    for (size_t f = 0; f < folds_.size(); ++f) {
      std::vector<float> marked = data_;
      std::set<int32_t> validation(folds_[f].test.begin(), folds_[f].test.end());
      for (int32_t v : validation) marked[static_cast<size_t>(v) * 2 + 1] = 10000.0f + static_cast<float>(v);
      RecordingAlgorithm algorithm(early_stopping);
      auto cv = cross_validate({&algorithm, {}, treatment}, {marked.data(), 600, 2}, rows_, labels_, folds_, CvOptions{});
      ASSERT_TRUE(cv.ok()) << cv.status().to_string();
      const FitRecord& fit = algorithm.fits[f];
      for (int32_t r : fit.rows) EXPECT_EQ(validation.count(r), 0u) << "fold " << f;
      for (int32_t r : fit.stop_rows) EXPECT_EQ(validation.count(r), 0u) << "fold " << f;
      EXPECT_EQ(fit.stop_rows.empty(), !early_stopping);
      EXPECT_EQ(fit.synthetic.empty(), treatment != Imbalance::kSmote);
      for (size_t s = 1; s < fit.synthetic.size(); s += 2) EXPECT_LT(fit.synthetic[s], 600.0f) << "fold " << f;
      for (float p : cv->out_of_fold) EXPECT_FALSE(std::isnan(p));  // one prediction per client
      EXPECT_EQ(cv->fold_metrics.size(), 3u);
    }
  }
  std::vector<int32_t> rows_;
  std::vector<uint8_t> labels_;
  std::vector<float> data_;
  std::vector<Split> folds_;
};

TEST_F(CrossValidationTest, ValidationRowsAreNeverFittedWhateverTheTreatment) {
  for (Imbalance treatment : {Imbalance::kNone, Imbalance::kClassWeights, Imbalance::kUndersample, Imbalance::kSmote})
    for (bool early_stopping : {false, true}) expect_validation_rows_never_fitted(treatment, early_stopping);
}

TEST_F(CrossValidationTest, TheThresholdIsChosenOnTheOutOfFoldPredictions) {
  RecordingAlgorithm algorithm(false);
  CvOptions options;
  std::vector<std::pair<size_t, size_t>> started;
  options.on_fold_start = [&](size_t fold, size_t folds) { started.emplace_back(fold, folds); };
  auto cv = cross_validate({&algorithm, {}, Imbalance::kNone}, {data_.data(), 600, 2}, rows_, labels_, folds_, options);
  ASSERT_TRUE(cv.ok());
  ASSERT_EQ(started.size(), folds_.size());  // each fold announced once, in order
  for (size_t f = 0; f < started.size(); ++f) EXPECT_EQ(started[f], std::make_pair(f, folds_.size()));
  ThresholdScan direct = scan_thresholds(cv->out_of_fold, labels_, CostMatrix{});
  EXPECT_EQ(cv->scan.best_threshold, direct.best_threshold);
  EXPECT_EQ(cv->metrics.threshold, direct.best_threshold);
  EXPECT_DOUBLE_EQ(cv->metrics.cost, direct.best_cost);
  CvOptions late;
  late.deadline = std::chrono::steady_clock::now() - std::chrono::seconds(1);
  EXPECT_EQ(cross_validate({&algorithm, {}, Imbalance::kNone}, {data_.data(), 600, 2}, rows_, labels_, folds_, late)
                .status()
                .code(),
            StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace credo::train
