// The model registry against a real store: versions, immutable copies, aliases and their
// history, archiving, and the model URIs that every command resolves.
#include <gtest/gtest.h>

#include <fstream>

#include "credo/base/temp_dir.h"
#include "credo/store/active_run.h"
#include "credo/store/model_uri.h"
#include "credo/store/store.h"

namespace credo::store {
namespace {
namespace fs = std::filesystem;

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<ManualClock>(1'700'000'000'000);
    store_ = open_store(dir_.path() / "store", true, clock_).value();
  }

  // A finished run with a model folder (two files) and an AUC metric.
  std::string run_with_model(const std::string& booster_bytes, double auc) {
    RunOptions options;
    options.experiment = "credit";
    options.heartbeat_interval_ms = 0;
    auto run = ActiveRun::start(*store_, options);
    EXPECT_TRUE(run.ok()) << run.status().to_string();
    EXPECT_TRUE((*run)->log_text("model/MLmodel", "flavors: credo\n").ok());
    EXPECT_TRUE((*run)->log_text("model/booster.json", booster_bytes).ok());
    EXPECT_TRUE((*run)->log_metric("auc", auc).ok());
    EXPECT_TRUE((*run)->end().ok());
    clock_->advance_ms(1000);
    return (*run)->id();
  }

  TempDir dir_{"registry"};
  std::shared_ptr<ManualClock> clock_;
  std::unique_ptr<Store> store_;
};

TEST_F(RegistryTest, VersionsAreNumberedImmutableCopiesWithTheirMetrics) {
  std::string run1 = run_with_model("trees-1", 0.76);
  std::string run2 = run_with_model("trees-2", 0.78);
  auto v1 = store_->create_model_version("credit-default", run1, "model", "first");
  auto v2 = store_->create_model_version("credit-default", run2, "model", "");
  ASSERT_TRUE(v1.ok()) << v1.status().to_string();
  ASSERT_TRUE(v2.ok()) << v2.status().to_string();
  EXPECT_EQ(v1->version, 1);
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v1->source, "runs:/" + run1 + "/model");
  EXPECT_EQ(v1->run_id, run1);
  EXPECT_EQ(v1->status, "READY");
  EXPECT_DOUBLE_EQ(v1->metrics.at("auc"), 0.76);
  EXPECT_EQ(v1->content_hash.size(), 32u);
  // The version is a copy: changing the run's files later does not change it.
  fs::path run_file = fs::path(store_->get_run(run1)->info.artifact_dir) / "model" / "booster.json";
  { std::ofstream(run_file) << "tampered"; }
  std::ifstream copy(fs::path(v1->artifact_dir) / "booster.json");
  std::string bytes((std::istreambuf_iterator<char>(copy)), {});
  EXPECT_EQ(bytes, "trees-1");
  EXPECT_EQ(fs::status(fs::path(v1->artifact_dir) / "booster.json").permissions() & fs::perms::owner_write,
            fs::perms::none);

  ASSERT_TRUE(store_->set_model_version_tag("credit-default", 2, "algorithm", "xgboost").ok());
  ASSERT_TRUE(store_->set_registered_model_tag("credit-default", "owner", "risk-team").ok());
  EXPECT_EQ(store_->set_model_version_tag("credit-default", 5, "algorithm", "x").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->get_model_version("credit-default", 2)->tags.at("algorithm"), "xgboost");
  auto model = store_->get_registered_model("credit-default");
  ASSERT_TRUE(model.ok());
  EXPECT_EQ(model->tags.at("owner"), "risk-team");
  EXPECT_EQ(model->latest_version, 2);
  EXPECT_EQ(store_->list_model_versions("credit-default")->size(), 2u);
}

TEST_F(RegistryTest, AliasesMoveWithAHistoryOfWhoWhenAndWhy) {
  std::string run1 = run_with_model("a", 0.7);
  std::string run2 = run_with_model("b", 0.8);
  ASSERT_TRUE(store_->create_model_version("credit-default", run1, "model", "").ok());
  ASSERT_TRUE(store_->create_model_version("credit-default", run2, "model", "").ok());
  ASSERT_TRUE(store_->set_alias("credit-default", "champion", 1, "ana", "first model").ok());
  clock_->advance_ms(5000);
  ASSERT_TRUE(store_->set_alias("credit-default", "champion", 2, "ben", "lower business cost").ok());
  ASSERT_TRUE(store_->set_alias("credit-default", "challenger", 1, "ben", "kept for comparison").ok());
  EXPECT_EQ(store_->get_registered_model("credit-default")->aliases.at("champion"), 2);

  auto history = store_->alias_history("credit-default");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].from_version, std::nullopt);
  EXPECT_EQ((*history)[1].from_version, 1);
  EXPECT_EQ((*history)[1].to_version, 2);
  EXPECT_EQ((*history)[1].moved_by, "ben");
  EXPECT_EQ((*history)[1].reason, "lower business cost");
  EXPECT_EQ((*history)[1].time_ms - (*history)[0].time_ms, 5000);

  ASSERT_TRUE(store_->delete_alias("credit-default", "challenger", "ben", "done").ok());
  EXPECT_EQ(store_->alias_history("credit-default")->back().to_version, std::nullopt);
  EXPECT_EQ(store_->get_registered_model("credit-default")->aliases.count("challenger"), 0u);
}

TEST_F(RegistryTest, ArchivedVersionsTakeNoAliasAndAnAliasedVersionIsNotArchived) {
  std::string run = run_with_model("a", 0.7);
  ASSERT_TRUE(store_->create_model_version("m", run, "model", "").ok());
  ASSERT_TRUE(store_->create_model_version("m", run, "model", "").ok());
  ASSERT_TRUE(store_->set_alias("m", "champion", 2, "ana", "").ok());
  EXPECT_EQ(store_->set_model_version_status("m", 2, "ARCHIVED").code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->set_model_version_status("m", 1, "ARCHIVED").ok());
  EXPECT_EQ(store_->get_model_version("m", 1)->status, "ARCHIVED");
  Status alias = store_->set_alias("m", "challenger", 1, "ana", "");
  EXPECT_EQ(alias.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(alias.message().find("ARCHIVED"), std::string::npos);
  EXPECT_EQ(store_->set_model_version_status("m", 1, "GONE").code(), StatusCode::kInvalidArgument);
  // models:/m/latest skips archived versions; here the newest is READY.
  EXPECT_EQ(resolve_model_uri(*store_, "models:/m/latest")->version->version, 2);
}

TEST_F(RegistryTest, BadInputGetsAClearError) {
  std::string run = run_with_model("a", 0.7);
  ASSERT_TRUE(store_->create_registered_model("credit-default", "the default model").ok());
  auto duplicate = store_->create_registered_model("credit-default", "");
  EXPECT_EQ(duplicate.status().code(), StatusCode::kAlreadyExists);
  EXPECT_NE(duplicate.status().message().find("already exists"), std::string::npos);
  EXPECT_EQ(store_->create_model_version("bad/name", run, "model", "").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->create_model_version("credit-default", run, "no-such-folder", "").status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->create_model_version("credit-default", run, "../..", "").status().code(),
            StatusCode::kInvalidArgument);
  Status missing = store_->set_alias("credit-default", "champion", 7, "ana", "");
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  EXPECT_NE(missing.message().find("no version 7"), std::string::npos);
  EXPECT_EQ(store_->set_alias("nope", "champion", 1, "ana", "").code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->set_alias("credit-default", "latest", 1, "ana", "").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->set_alias("credit-default", "v2", 1, "ana", "").code(), StatusCode::kInvalidArgument);
}

TEST_F(RegistryTest, ModelUrisResolveToTheRightFolder) {
  std::string run1 = run_with_model("one", 0.7);
  std::string run2 = run_with_model("two", 0.8);
  ASSERT_TRUE(store_->create_model_version("credit-default", run1, "model", "").ok());
  ASSERT_TRUE(store_->create_model_version("credit-default", run2, "model", "").ok());
  ASSERT_TRUE(store_->set_alias("credit-default", "champion", 1, "ana", "").ok());

  auto by_version = resolve_model_uri(*store_, "models:/credit-default/2");
  ASSERT_TRUE(by_version.ok()) << by_version.status().to_string();
  EXPECT_EQ(by_version->version->version, 2);
  EXPECT_EQ(by_version->run_id, run2);
  EXPECT_TRUE(fs::exists(by_version->dir / "booster.json"));
  auto by_alias = resolve_model_uri(*store_, "models:/credit-default@champion");
  ASSERT_TRUE(by_alias.ok());
  EXPECT_EQ(by_alias->version->version, 1);
  EXPECT_EQ(resolve_model_uri(*store_, "models:/credit-default/latest")->version->version, 2);
  auto by_run = resolve_model_uri(*store_, "runs:/" + run1.substr(0, 10) + "/model");
  ASSERT_TRUE(by_run.ok()) << by_run.status().to_string();
  EXPECT_EQ(by_run->run_id, run1);
  EXPECT_EQ(by_run->dir, fs::path(store_->get_run(run1)->info.artifact_dir) / "model");
  auto by_path = resolve_model_uri(*store_, "file://" + by_version->dir.string());
  ASSERT_TRUE(by_path.ok());
  EXPECT_EQ(by_path->dir, by_version->dir);

  EXPECT_EQ(resolve_model_uri(*store_, "models:/credit-default/9").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(resolve_model_uri(*store_, "models:/credit-default@gone").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(resolve_model_uri(*store_, "models:/nope/1").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(resolve_model_uri(*store_, "models:/credit-default/x").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(resolve_model_uri(*store_, "models:/credit-default").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(resolve_model_uri(*store_, "s3://bucket/model").status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(resolve_model_uri(*store_, "runs:/" + run1 + "/nothing").status().code(), StatusCode::kNotFound);

  // A registered version whose files were edited on disk is refused.
  fs::path file = by_version->dir / "booster.json";
  fs::permissions(file, fs::perms::owner_write, fs::perm_options::add);
  { std::ofstream(file) << "edited"; }
  auto tampered = resolve_model_uri(*store_, "models:/credit-default/2");
  EXPECT_EQ(tampered.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(tampered.status().message().find("changed since it was registered"), std::string::npos);
}

}  // namespace
}  // namespace credo::store
