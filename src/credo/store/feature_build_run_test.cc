// A feature build tracked as a run: what it records, and that a build that fails before
// finish() leaves a FAILED run.
#include "credo/store/feature_build_run.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "credo/base/fingerprint.h"
#include "credo/base/temp_dir.h"

namespace credo::store {
namespace {

TEST(FeatureBuildRunTest, RecordsParamsMetricsArtifactsAndTheFileFingerprint) {
  TempDir dir("feature_build_run");
  auto store = open_store(dir / "store");
  ASSERT_TRUE(store.ok()) << store.status().to_string();
  FeatureMatrix matrix({{"A", "application", "", "", "A", "a"}, {"B", "application", "", "", "B", "b"}}, 3);
  matrix.set_client(0, 1, 0, false);
  matrix.set_client(1, 2, 1, false);
  matrix.set_client(2, 3, -1, true);
  std::string out = (dir / "f.credo").string(), dictionary = (dir / "f.dictionary.csv").string(),
              report = (dir / "f.leakage.txt").string();
  ASSERT_TRUE(write_feature_matrix(matrix, out).ok());
  std::ofstream(dictionary) << "name\nA\nB\n";
  std::ofstream(report) << "no leakage\n";
  FeatureBuildReport build;
  build.seconds_per_table = {{"read bureau", 0.5}};
  LeakageReport leakage;
  leakage.constant = {"B"};
  leakage.top_auc = {{"A", 0.61}};

  auto run = FeatureBuildRun::start(**store, "feats", "credo features --data d");
  ASSERT_TRUE(run.ok()) << run.status().to_string();
  std::string id = (*run)->id();
  ASSERT_TRUE((*run)
                  ->finish({.data = "d", .out = out, .spec_source = "default.spec", .spec_text = "table application\n",
                            .seed = 7, .matrix = &matrix, .build = &build, .leakage = &leakage,
                            .dictionary_path = dictionary, .report_path = report, .seconds = 1.5,
                            .peak_memory_mb = 12})
                  .ok());
  auto recorded = (*store)->get_run(id);
  ASSERT_TRUE(recorded.ok());
  EXPECT_EQ(recorded->info.status, RunStatus::kFinished);
  EXPECT_EQ(recorded->info.run_name, "features");
  EXPECT_EQ(recorded->tags["credo.stage"], "features");
  EXPECT_EQ(recorded->params["seed"], "7");
  EXPECT_EQ(recorded->params["spec"], "default.spec");
  EXPECT_EQ(recorded->params["spec_fingerprint"], fingerprint_bytes("table application\n"));
  EXPECT_EQ(recorded->metrics["clients"].value, 3);
  EXPECT_EQ(recorded->metrics["train_clients"].value, 2);
  EXPECT_EQ(recorded->metrics["features"].value, 2);
  EXPECT_EQ(recorded->metrics["seconds/read bureau"].value, 0.5);
  EXPECT_EQ(recorded->metrics["leakage/constant"].value, 1);
  EXPECT_EQ(recorded->metrics["leakage/top_single_feature_auc"].value, 0.61);
  EXPECT_EQ(recorded->info.data_fingerprint, fingerprint_file(out).value());
  for (const char* artifact : {"f.dictionary.csv", "f.leakage.txt", "feature.spec"})
    EXPECT_TRUE(std::filesystem::exists(std::filesystem::path(recorded->info.artifact_dir) / artifact)) << artifact;

  // A build that fails leaves its run FAILED.
  std::string failed_id;
  {
    auto failed = FeatureBuildRun::start(**store, "feats", "credo features --data broken");
    ASSERT_TRUE(failed.ok());
    failed_id = (*failed)->id();
  }
  EXPECT_EQ((*store)->get_run(failed_id)->info.status, RunStatus::kFailed);
}

}  // namespace
}  // namespace credo::store
