// Training end to end on a small generated feature file: cross-validation keeps validation rows
// out of fitting, the bundle round-trips bit for bit, the same seed gives the same figures, and
// bad configs are clear errors.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>

#include "credo/base/external_tool_testing.h"
#include "credo/base/random.h"
#include "credo/base/temp_dir.h"
#include "credo/report/xml_scan_testing.h"
#include "credo/store/model_uri.h"
#include "credo/train/model_bundle.h"
#include "credo/train/trainer.h"

namespace credo::train {
namespace {

// 4,000 clients, 8 features with a logistic truth (~10% defaults), 10% missing values, plus 500
// test clients without TARGET.
FeatureMatrix synthetic_matrix(uint64_t seed) {
  std::vector<FeatureInfo> features;
  for (int f = 0; f < 8; ++f) features.push_back({"F" + std::to_string(f), "application", "", "", "F", "feature " + std::to_string(f)});
  FeatureMatrix m(features, 4500);
  Rng rng(seed);
  for (size_t r = 0; r < 4500; ++r) {
    double z = -2.6;
    float* row = m.row(r);
    for (size_t f = 0; f < 8; ++f) {
      double v = rng.normal();
      z += (f < 4 ? 0.8 : 0.0) * v * (f % 2 ? -1 : 1);
      row[f] = rng.bernoulli(0.1) ? NAN : static_cast<float>(v);
    }
    bool test = r >= 4000;
    m.set_client(r, 100000 + static_cast<int64_t>(r), test ? -1 : rng.bernoulli(1 / (1 + std::exp(-z))), test);
  }
  return m;
}

class TrainerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    features_ = (dir_ / "features.credo").string();
    ASSERT_TRUE(write_feature_matrix(synthetic_matrix(3), features_).ok());
    store_ = store::open_store(dir_ / "store").value();
  }
  TrainConfig small_config() const {
    TrainConfig c;
    c.features = features_;
    c.experiment = "test";
    c.folds = 3;
    c.trials = 2;
    c.refine_trials = 1;
    c.threads = 1;
    return c;
  }
  TempDir dir_{"trainer"};
  std::string features_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(TrainerTest, TrainsEveryAlgorithmRegistersTheChampionAndItsBundleRoundTrips) {
  auto result = train_models(small_config(), *store_, "test", nullptr);
  ASSERT_TRUE(result.ok()) << result.status().to_string();
  ASSERT_EQ(result->leaderboard.size(), 4u);
  const LeaderboardEntry* dummy = nullptr;
  for (const auto& e : result->leaderboard)
    if (e.candidate.algorithm->name() == "dummy") dummy = &e;
  ASSERT_NE(dummy, nullptr);
  EXPECT_LT(result->chosen.cv.metrics.cost, dummy->cv.metrics.cost);  // a real model beats ignoring the client
  EXPECT_GT(result->chosen.cv.metrics.auc, 0.65);
  EXPECT_EQ(result->alias, "champion");
  EXPECT_EQ(result->model_uri, "models:/credit-default/1");
  // Every trial is a nested run of the training run.
  store::RunSearch search;
  search.filter = store::parse_run_filter("attributes.parent_run_id = '" + result->run_id + "'").value();
  EXPECT_EQ(store_->search_runs(search)->size(), static_cast<size_t>(result->trials));

  // The registered bundle scores the hold-out exactly as the trained model did.
  auto resolved = store::resolve_model_uri(*store_, "models:/credit-default@champion");
  ASSERT_TRUE(resolved.ok()) << resolved.status().to_string();
  // The reports sit beside the bundle in the run's artifacts, every plot a well-formed SVG.
  std::filesystem::path reports = std::filesystem::path(store_->get_run(result->run_id)->info.artifact_dir) / "reports";
  EXPECT_EQ(result->report, (reports / "index.html").string());
  for (const char* name : {"index.html", "leaderboard.svg", "leaderboard.csv", "cost_curve.svg", "roc.svg",
                           "importance.svg", "importance.csv"})
    EXPECT_TRUE(std::filesystem::is_regular_file(reports / name)) << name;
  std::ifstream roc_file(reports / "roc.svg");
  std::string roc((std::istreambuf_iterator<char>(roc_file)), std::istreambuf_iterator<char>());
  EXPECT_NE(roc.find("hold-out, AUC"), std::string::npos);
  EXPECT_NE(roc.find("</svg>"), std::string::npos);
  EXPECT_FALSE(std::filesystem::is_empty(reports / "clients"));
  // The page: well-formed, naming the registered version, showing every chart it links.
  std::ifstream page_file(reports / "index.html");
  std::string page((std::istreambuf_iterator<char>(page_file)), std::istreambuf_iterator<char>());
  report::test_xml::ScannedXml html = report::test_xml::scan_xml(page, "html");
  ASSERT_EQ(html.error, "");
  EXPECT_TRUE(html.has_text("models:/credit-default/1 as credit-default@champion", "dd")) << page;
  size_t images = 0;
  for (const auto* img : html.all("img")) {
    std::string src = img->attributes.at("src");
    EXPECT_TRUE(std::filesystem::is_regular_file(reports / src)) << src;
    ++images;
  }
  EXPECT_GE(images, 4u + 2u);  // the four charts and at least the riskiest and the safest clients
  auto bundle = load_bundle(resolved->dir, 1);
  ASSERT_TRUE(bundle.ok()) << bundle.status().to_string();
  EXPECT_DOUBLE_EQ(bundle->info.threshold, result->chosen.cv.scan.best_threshold);
  auto matrix = read_feature_matrix(features_).value();
  std::vector<int32_t> rows = {0, 1, 2, 3, 4, 4400};
  auto block = aligned_rows(*bundle, matrix, rows).value();
  auto first = bundle->model->predict({block.data(), rows.size(), 8}).value();
  auto again = load_bundle(resolved->dir, 2).value().model->predict({block.data(), rows.size(), 8}).value();
  EXPECT_EQ(first, again);
  // SHAP: contributions plus the base value give the model's log-odds, row by row.
  auto phi = bundle->model->contributions({block.data(), rows.size(), 8}).value();
  for (size_t r = 0; r < rows.size(); ++r) {
    double margin = 0;
    for (size_t c = 0; c <= 8; ++c) margin += phi[r * 9 + c];
    EXPECT_NEAR(1 / (1 + std::exp(-margin)), first[r], 1e-4) << r;
  }
  // As the other side's tools read them: every chart passes xmllint, the page opens in Chromium
  // with nothing on its console.
  CREDO_SKIP_WITHOUT("command -v xmllint && command -v chromium", "libxml2-utils and chromium");
  size_t charts = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(reports)) {
    if (entry.path().extension() != ".svg") continue;
    std::ifstream svg(entry.path());
    EXPECT_EQ(credo::testing::xmllint_problems(std::string(std::istreambuf_iterator<char>(svg), {})), "") << entry.path();
    ++charts;
  }
  EXPECT_GE(charts, 6u);
  credo::testing::BrowserRun browser = credo::testing::open_in_chromium("file://" + (reports / "index.html").string());
  EXPECT_EQ(browser.exit_code, 0);
  EXPECT_EQ(browser.console, "");
  EXPECT_NE(browser.dom.find("models:/credit-default/1"), std::string::npos) << browser.dom.substr(0, 500);
}

TEST_F(TrainerTest, TheSameConfigAndSeedGiveTheSameFigures) {
  TrainConfig c = small_config();
  c.algorithms = {"logistic", "xgboost"};
  c.refine_trials = 0;
  auto a = train_models(c, *store_, "a", nullptr);
  auto b = train_models(c, *store_, "b", nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->chosen.cv.metrics.cost, b->chosen.cv.metrics.cost);
  EXPECT_EQ(a->chosen.cv.metrics.auc, b->chosen.cv.metrics.auc);
  EXPECT_EQ(a->holdout.auc, b->holdout.auc);
  EXPECT_EQ(b->alias, "challenger");  // a champion exists and --promote was not given
}

TEST_F(TrainerTest, BadConfigsAndAFileWithoutTargetAreClearErrors) {
  TrainConfig c = small_config();
  c.algorithms = {"deep_learning"};
  EXPECT_NE(train_models(c, *store_, "", nullptr).status().message().find("unknown algorithm"), std::string::npos);
  c = small_config();
  c.folds = 1;
  EXPECT_NE(train_models(c, *store_, "", nullptr).status().message().find("folds"), std::string::npos);
  c = small_config();
  c.imbalance = {"oversample"};
  EXPECT_NE(train_models(c, *store_, "", nullptr).status().message().find("imbalance"), std::string::npos);
  FeatureMatrix test_only({FeatureInfo{"A", "", "", "", "", ""}}, 5);
  for (size_t r = 0; r < 5; ++r) test_only.set_client(r, static_cast<int64_t>(r), -1, true);
  std::string path = (dir_ / "test_only.credo").string();
  ASSERT_TRUE(write_feature_matrix(test_only, path).ok());
  c = small_config();
  c.features = path;
  auto no_target = train_models(c, *store_, "", nullptr);
  EXPECT_EQ(no_target.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_target.status().message().find("TARGET"), std::string::npos);
  std::ofstream(dir_ / "bad.json") << "{\"folds\": 3, \"trails\": 4}";
  auto typo = load_train_config((dir_ / "bad.json").string());
  EXPECT_NE(typo.status().message().find("unknown setting 'trails'"), std::string::npos);
}

TEST(Comparisons, TheChosenCostAgainstTheDummyThenLogisticWhateverTheLeaderboardOrder) {
  TrainResult result;
  auto entry = [](const Algorithm& algorithm, double cost) {
    LeaderboardEntry e;
    e.candidate.algorithm = &algorithm;
    e.cv.metrics.cost = cost;
    return e;
  };
  result.leaderboard = {entry(xgboost_algorithm(), 0.45), entry(logistic_algorithm(), 0.5), entry(dummy_algorithm(), 0.9)};
  result.chosen = result.leaderboard.front();
  std::vector<BaselineComparison> figures = comparisons(result);
  ASSERT_EQ(figures.size(), 2u);
  EXPECT_EQ(figures[0].baseline, "dummy");
  EXPECT_DOUBLE_EQ(figures[0].baseline_cost, 0.9);
  EXPECT_DOUBLE_EQ(figures[0].chosen_cost, 0.45);
  EXPECT_DOUBLE_EQ(figures[0].change_percent, -50);
  EXPECT_EQ(figures[1].baseline, "logistic");
  EXPECT_DOUBLE_EQ(figures[1].change_percent, -10);
  // A baseline with no cost has no percentage; one not trained is left out.
  result.leaderboard = {entry(xgboost_algorithm(), 0.0), entry(dummy_algorithm(), 0.0)};
  figures = comparisons(result);
  ASSERT_EQ(figures.size(), 1u);
  EXPECT_TRUE(std::isnan(figures[0].change_percent));
}

}  // namespace
}  // namespace credo::train
