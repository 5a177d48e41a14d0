// The model bundle as an MLflow user's tools read it: python3-xgboost loads the booster that the
// MLmodel's xgboost flavour names (as mlflow.xgboost.load_model does) and gives, for 300 clients,
// the margins credo's loaded bundle gives. Run for both algorithms saved as a booster; the
// gradient-boosted one stopped early, so its file holds more rounds than it scores with.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <numeric>

#include "credo/base/external_tool_testing.h"
#include "credo/base/temp_dir.h"
#include "credo/train/model_bundle.h"
#include "credo/train/synthetic_matrix_testing.h"

namespace credo::train {
namespace {

template <typename T>
void write_raw(const std::filesystem::path& path, const std::vector<T>& values) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(values.data()), static_cast<std::streamsize>(values.size() * sizeof(T)));
}

class ModelBundleInteropTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ModelBundleInteropTest, Python3XgboostGivesCredosMargins) {
  CREDO_SKIP_WITHOUT(std::string(testing::kDebianPython) + " -c 'import xgboost, yaml, numpy'",
                     "python3-xgboost and python3-yaml");
  testing::SyntheticMatrixSpec spec;
  spec.clients = 900;
  spec.test_clients = 0;
  spec.features = 6;
  spec.informative = 3;
  spec.intercept = -1.0;
  FeatureMatrix matrix = testing::synthetic_matrix(spec);
  for (size_t r = 0; r < matrix.num_rows(); ++r)  // missing values take the trees' default branches
    if (r % 5 == 0) matrix.row(r)[r % spec.features] = NAN;
  std::vector<int32_t> train_rows(500), stop_rows(100), scored_rows(300);
  std::iota(train_rows.begin(), train_rows.end(), 0);
  std::iota(stop_rows.begin(), stop_rows.end(), 500);
  std::iota(scored_rows.begin(), scored_rows.end(), 600);
  TrainingRows train;
  train.rows = train_rows;
  for (int32_t r : train_rows) train.labels.push_back(static_cast<uint8_t>(matrix.target(r)));
  std::vector<uint8_t> stop_labels;
  for (int32_t r : stop_rows) stop_labels.push_back(static_cast<uint8_t>(matrix.target(r)));
  FitData data;
  data.data = {matrix.values().data(), matrix.num_rows(), matrix.num_features()};
  data.train = &train;
  data.early_stopping_rows = stop_rows;
  data.early_stopping_labels = stop_labels;
  data.threads = 1;
  const Algorithm* algorithm = find_algorithm(GetParam()).value();
  Params params = algorithm->defaults();
  auto model = algorithm->fit(data, params);
  ASSERT_TRUE(model.ok()) << model.status().to_string();

  TempDir dir{"bundle_interop"};
  BundleInfo info;
  info.algorithm = algorithm->name();
  info.params = params;
  info.features = matrix.features();
  info.run_id = "0123456789abcdef0123456789abcdef";
  info.created_utc = "2026-12-04T18:00:00Z";
  std::filesystem::path bundle_dir = dir.path() / "bundle";
  ASSERT_TRUE(save_bundle(bundle_dir, **model, info).ok());
  auto bundle = load_bundle(bundle_dir, 1);
  ASSERT_TRUE(bundle.ok()) << bundle.status().to_string();

  // credo's margins: the loaded bundle's SHAP contributions summed (the log-odds, bias included).
  std::vector<float> rows = aligned_rows(*bundle, matrix, scored_rows).value();
  size_t cols = matrix.num_features();
  std::vector<float> phi = bundle->model->contributions({rows.data(), scored_rows.size(), cols}).value();
  std::vector<float> probabilities = bundle->model->predict({rows.data(), scored_rows.size(), cols}).value();
  std::vector<double> margins(scored_rows.size());
  for (size_t r = 0; r < scored_rows.size(); ++r) {
    for (size_t c = 0; c <= cols; ++c) margins[r] += phi[r * (cols + 1) + c];
    ASSERT_NEAR(1 / (1 + std::exp(-margins[r])), probabilities[r], 1e-5) << "row " << r;
  }
  write_raw(dir.path() / "features.f32", rows);
  write_raw(dir.path() / "margins.f64", margins);

  testing::ToolRun python =
      testing::run_tool(std::string(testing::kDebianPython) + " " + testing::interop_script("xgboost_bundle.py") +
                        " " + bundle_dir.string() + " " + (dir.path() / "features.f32").string() + " " +
                        (dir.path() / "margins.f64").string());
  EXPECT_EQ(python.exit_code, 0) << python.output;
  EXPECT_NE(python.output.find("300 margins agree"), std::string::npos) << python.output;
}

INSTANTIATE_TEST_SUITE_P(BoosterAlgorithms, ModelBundleInteropTest, ::testing::Values("xgboost", "random_forest"));

}  // namespace
}  // namespace credo::train
