// The MLflow export against a real SQLite store, checked file by file and field by field against
// what MLflow's FileStore writes (mlflow/store/tracking/file_store.py, model_registry/file_store.py):
// the expected meta.yaml texts below are the ones MLflow would write for the same entities.
#include "credo/store/mlflow_export.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>

#include <nlohmann/json.hpp>

#include "credo/base/external_tool_testing.h"
#include "credo/base/temp_dir.h"
#include "credo/store/store.h"

namespace credo::store {
namespace {
namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing " << path;
  return std::string((std::istreambuf_iterator<char>(in)), {});
}

void write(const fs::path& path, const std::string& bytes) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << bytes;
}

// Every file and folder under `dir`, relative, folders ending in '/'.
std::set<std::string> tree(const fs::path& dir) {
  std::set<std::string> paths;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    paths.insert(fs::relative(entry.path(), dir).generic_string() + (entry.is_directory() ? "/" : ""));
  return paths;
}

std::set<std::string> file_names(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& entry : fs::recursive_directory_iterator(dir))
    if (entry.is_regular_file()) names.insert(fs::relative(entry.path(), dir).generic_string());
  return names;
}

class MlflowExportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<ManualClock>(1'700'000'000'000);
    store_ = open_store(dir_.path() / "store", true, clock_).value();
  }

  RunInfo start_run(NewRun run) {
    clock_->advance_ms(1000);
    auto info = store_->create_run(run);
    EXPECT_TRUE(info.ok()) << info.status().to_string();
    return *info;
  }

  // Two experiments; in "scoring" a finished parent run and a RUNNING nested child, both with
  // model artifacts; "credit-default" has version 1 (archived) from the parent and version 2
  // (alias champion) from the child.
  void populate() {
    auto scoring = store_->get_or_create_experiment("scoring");
    ASSERT_TRUE(scoring.ok()) << scoring.status().to_string();
    ASSERT_TRUE(store_->set_experiment_tag(scoring->id, "team", "risk: retail").ok());

    NewRun parent;
    parent.experiment_name = "scoring";
    parent.run_name = "baseline";
    parent.user = "ana";
    parent.source = "credo train --spec default.spec";
    parent.credo_version = "0.1.0";
    parent.git_commit = "0123abc";
    parent.data_fingerprint = "sha256:feed";
    parent.host = "worker-1";
    parent.tags = {{"stage", "dev"}};
    parent_ = start_run(parent);
    const int64_t t = 1'700'000'000'500;
    std::vector<Metric> metrics = {{"auc", 0.5, t, 0},     {"auc", 0.75, t + 10, 1}, {"auc", 0.8125, t + 20, 2},
                                   {"loss/train", 1e-05, t, 0}, {"loss/train", NAN, t + 10, 1}};
    ASSERT_TRUE(store_->log_batch(parent_.run_id, metrics,
                                  {{"algo", "xgboost"}, {"max_depth", "6"}, {"data/source", "homecredit"}},
                                  {{"note", "a: b"}})
                    .ok());
    write(fs::path(parent_.artifact_dir) / "report.txt", "auc 0.8125\n");
    write(fs::path(parent_.artifact_dir) / "model" / "MLmodel", "flavors: credo\n");
    write(fs::path(parent_.artifact_dir) / "model" / "booster.json", "trees");

    NewRun child;
    child.experiment_name = "scoring";
    child.run_name = "fold-1";
    child.parent_run_id = parent_.run_id;
    child.user = "ana";
    child.source = "credo train --fold 1";
    child.credo_version = "0.1.0";
    child_ = start_run(child);
    write(fs::path(child_.artifact_dir) / "model" / "MLmodel", "flavors: credo\n");
    clock_->advance_ms(1000);
    ASSERT_TRUE(store_->set_run_status(parent_.run_id, RunStatus::kFinished).ok());

    NewRun other;
    other.experiment_name = "other";
    other.run_name = "elsewhere";
    other_ = start_run(other);
    ASSERT_TRUE(store_->set_run_status(other_.run_id, RunStatus::kFailed).ok());

    clock_->advance_ms(1000);
    ASSERT_TRUE(store_->create_model_version("credit-default", parent_.run_id, "model", "first: baseline").ok());
    clock_->advance_ms(1000);
    ASSERT_TRUE(store_->create_model_version("credit-default", child_.run_id, "model", "").ok());
    clock_->advance_ms(1000);
    ASSERT_TRUE(store_->set_alias("credit-default", "champion", 2, "ana", "better auc").ok());
    ASSERT_TRUE(store_->set_model_version_status("credit-default", 1, "ARCHIVED").ok());
    ASSERT_TRUE(store_->set_registered_model_tag("credit-default", "owner", "risk team").ok());
    ASSERT_TRUE(store_->set_model_version_tag("credit-default", 2, "algorithm", "xgboost").ok());
    parent_ = store_->get_run(parent_.run_id)->info;
    child_ = store_->get_run(child_.run_id)->info;
  }

  fs::path out() const { return dir_.path() / "mlruns"; }
  std::string uri(const std::string& relative) const { return "file://" + (out() / relative).string(); }
  std::string exp_id(const RunInfo& run) const { return std::to_string(run.experiment_id); }
  std::string run_rel(const RunInfo& run) const { return exp_id(run) + "/" + run.run_id; }

  TempDir dir_{"mlflow_export"};
  std::shared_ptr<ManualClock> clock_;
  std::unique_ptr<Store> store_;
  RunInfo parent_, child_, other_;
};

TEST_F(MlflowExportTest, WritesMlflowsFileStoreLayoutFieldByField) {
  populate();
  auto summary = export_mlflow(*store_, out(), {});
  ASSERT_TRUE(summary.ok()) << summary.status().to_string();
  EXPECT_EQ(summary->experiments, 3);  // Default, scoring, other
  EXPECT_EQ(summary->runs, 3);
  EXPECT_EQ(summary->metric_points, 5);
  EXPECT_EQ(summary->registered_models, 1);
  EXPECT_EQ(summary->model_versions, 2);

  const std::string e = exp_id(parent_);
  const std::string p = run_rel(parent_), c = run_rel(child_), o = run_rel(other_);
  const std::string o_exp = exp_id(other_);
  EXPECT_EQ(tree(out()),
            (std::set<std::string>{
                ".trash/", "0/", "0/meta.yaml", e + "/", e + "/meta.yaml", e + "/tags/", e + "/tags/team",
                p + "/", p + "/meta.yaml", p + "/params/", p + "/params/algo", p + "/params/max_depth",
                p + "/params/data/", p + "/params/data/source", p + "/metrics/", p + "/metrics/auc",
                p + "/metrics/loss/", p + "/metrics/loss/train", p + "/tags/", p + "/tags/credo.data_fingerprint",
                p + "/tags/credo.host", p + "/tags/credo.version", p + "/tags/mlflow.runName",
                p + "/tags/mlflow.source.git.commit", p + "/tags/mlflow.source.name", p + "/tags/mlflow.source.type",
                p + "/tags/mlflow.user", p + "/tags/note", p + "/tags/stage", p + "/artifacts/",
                p + "/artifacts/report.txt", p + "/artifacts/model/", p + "/artifacts/model/MLmodel",
                p + "/artifacts/model/booster.json",
                c + "/", c + "/meta.yaml", c + "/params/", c + "/metrics/", c + "/tags/", c + "/tags/credo.host",
                c + "/tags/credo.version", c + "/tags/mlflow.parentRunId", c + "/tags/mlflow.runName",
                c + "/tags/mlflow.source.name", c + "/tags/mlflow.source.type", c + "/tags/mlflow.user",
                c + "/artifacts/", c + "/artifacts/model/", c + "/artifacts/model/MLmodel",
                o_exp + "/", o_exp + "/meta.yaml", o + "/", o + "/meta.yaml", o + "/params/", o + "/metrics/",
                o + "/tags/", o + "/tags/credo.host", o + "/tags/mlflow.runName", o + "/tags/mlflow.source.type",
                o + "/artifacts/",
                "models/", "models/credit-default/", "models/credit-default/meta.yaml", "models/credit-default/aliases/",
                "models/credit-default/aliases/champion", "models/credit-default/tags/",
                "models/credit-default/tags/owner", "models/credit-default/version-1/",
                "models/credit-default/version-1/meta.yaml", "models/credit-default/version-2/",
                "models/credit-default/version-2/meta.yaml", "models/credit-default/version-2/tags/",
                "models/credit-default/version-2/tags/algorithm"}));

  // Experiments: mlruns/<id>/meta.yaml with the id as a quoted string, tags as files.
  Experiment scoring = *store_->get_experiment_by_name("scoring");
  EXPECT_EQ(read(out() / e / "meta.yaml"),
            "artifact_location: " + uri(e) + "\n"
            "creation_time: " + std::to_string(scoring.creation_time_ms) + "\n"
            "experiment_id: '" + e + "'\n"
            "last_update_time: " + std::to_string(scoring.last_update_time_ms) + "\n"
            "lifecycle_stage: active\n"
            "name: scoring\n");
  EXPECT_EQ(read(out() / e / "tags" / "team"), "risk: retail");
  Experiment default_experiment = *store_->get_experiment(0);
  EXPECT_EQ(read(out() / "0" / "meta.yaml"),
            "artifact_location: " + uri("0") + "\n"
            "creation_time: " + std::to_string(default_experiment.creation_time_ms) + "\n"
            "experiment_id: '0'\n"
            "last_update_time: " + std::to_string(default_experiment.last_update_time_ms) + "\n"
            "lifecycle_stage: active\n"
            "name: Default\n");

  // Runs: status as MLflow's integer (FINISHED 3, RUNNING 1, FAILED 4), source_type 4 (LOCAL),
  // end_time null and deleted_time null while running, as FileStore.create_run leaves them.
  ASSERT_TRUE(parent_.end_time_ms.has_value());
  EXPECT_EQ(read(out() / p / "meta.yaml"),
            "artifact_uri: " + uri(p + "/artifacts") + "\n"
            "end_time: " + std::to_string(*parent_.end_time_ms) + "\n"
            "entry_point_name: ''\n"
            "experiment_id: '" + e + "'\n"
            "lifecycle_stage: active\n"
            "run_id: " + parent_.run_id + "\n"
            "run_name: baseline\n"
            "run_uuid: " + parent_.run_id + "\n"
            "source_name: ''\n"
            "source_type: 4\n"
            "source_version: ''\n"
            "start_time: " + std::to_string(parent_.start_time_ms) + "\n"
            "status: 3\n"
            "tags: []\n"
            "user_id: ana\n");
  EXPECT_EQ(read(out() / c / "meta.yaml"),
            "artifact_uri: " + uri(c + "/artifacts") + "\n"
            "deleted_time: null\n"
            "end_time: null\n"
            "entry_point_name: ''\n"
            "experiment_id: '" + e + "'\n"
            "lifecycle_stage: active\n"
            "run_id: " + child_.run_id + "\n"
            "run_name: fold-1\n"
            "run_uuid: " + child_.run_id + "\n"
            "source_name: ''\n"
            "source_type: 4\n"
            "source_version: ''\n"
            "start_time: " + std::to_string(child_.start_time_ms) + "\n"
            "status: 1\n"
            "tags: []\n"
            "user_id: ana\n");
  EXPECT_NE(read(out() / o / "meta.yaml").find("\nstatus: 4\n"), std::string::npos);
  EXPECT_NE(read(out() / o / "meta.yaml").find("\nuser_id: ''\n"), std::string::npos);

  // Params: the value, no newline; a '/' in the key makes a folder.
  EXPECT_EQ(read(out() / p / "params" / "algo"), "xgboost");
  EXPECT_EQ(read(out() / p / "params" / "max_depth"), "6");
  EXPECT_EQ(read(out() / p / "params" / "data" / "source"), "homecredit");

  // Metrics: every point, "<timestamp ms> <Python repr of the value> <step>\n".
  EXPECT_EQ(read(out() / p / "metrics" / "auc"),
            "1700000000500 0.5 0\n1700000000510 0.75 1\n1700000000520 0.8125 2\n");
  EXPECT_EQ(read(out() / p / "metrics" / "loss" / "train"), "1700000000500 1e-05 0\n1700000000510 nan 1\n");

  // Tags: the run's own, plus MLflow's system tags and credo's from the run's fields.
  const fs::path parent_tags = out() / p / "tags";
  EXPECT_EQ(read(parent_tags / "mlflow.runName"), "baseline");
  EXPECT_EQ(read(parent_tags / "mlflow.user"), "ana");
  EXPECT_EQ(read(parent_tags / "mlflow.source.name"), "credo train --spec default.spec");
  EXPECT_EQ(read(parent_tags / "mlflow.source.type"), "LOCAL");
  EXPECT_EQ(read(parent_tags / "mlflow.source.git.commit"), "0123abc");
  EXPECT_EQ(read(parent_tags / "credo.version"), "0.1.0");
  EXPECT_EQ(read(parent_tags / "credo.data_fingerprint"), "sha256:feed");
  EXPECT_EQ(read(parent_tags / "credo.host"), "worker-1");
  EXPECT_EQ(read(parent_tags / "stage"), "dev");
  EXPECT_EQ(read(parent_tags / "note"), "a: b");
  EXPECT_EQ(read(out() / c / "tags" / "mlflow.parentRunId"), parent_.run_id);
  EXPECT_EQ(read(out() / c / "tags" / "credo.host"), child_.host);

  // Artifacts: a copy of the run's artifact folder.
  EXPECT_EQ(read(out() / p / "artifacts" / "report.txt"), "auc 0.8125\n");
  EXPECT_EQ(read(out() / p / "artifacts" / "model" / "booster.json"), "trees");

  // Registered model: meta.yaml (aliases listed as MLflow rewrites them), alias files holding
  // the version number.
  const fs::path model = out() / "models" / "credit-default";
  RegisteredModel registered = *store_->get_registered_model("credit-default");
  EXPECT_EQ(read(model / "meta.yaml"),
            "aliases:\n"
            "  champion: '2'\n"
            "creation_timestamp: " + std::to_string(registered.creation_time_ms) + "\n"
            "description: null\n"
            "last_updated_timestamp: " + std::to_string(registered.last_update_time_ms) + "\n"
            "name: credit-default\n");
  EXPECT_EQ(read(model / "aliases" / "champion"), "2");
  EXPECT_EQ(read(model / "tags" / "owner"), "risk team");
  EXPECT_EQ(read(model / "version-2" / "tags" / "algorithm"), "xgboost");

  // Versions: ARCHIVED -> stage Archived; source and storage_location are the run's exported
  // artifacts, as mlflow.register_model resolves runs:/ URIs.
  ModelVersion v1 = *store_->get_model_version("credit-default", 1);
  ModelVersion v2 = *store_->get_model_version("credit-default", 2);
  EXPECT_EQ(read(model / "version-1" / "meta.yaml"),
            "aliases: []\n"
            "creation_timestamp: " + std::to_string(v1.creation_time_ms) + "\n"
            "current_stage: Archived\n"
            "description: 'first: baseline'\n"
            "last_updated_timestamp: " + std::to_string(v1.last_update_time_ms) + "\n"
            "name: credit-default\n"
            "run_id: " + parent_.run_id + "\n"
            "run_link: null\n"
            "source: " + uri(p + "/artifacts/model") + "\n"
            "status: READY\n"
            "status_message: null\n"
            "storage_location: " + uri(p + "/artifacts/model") + "\n"
            "user_id: null\n"
            "version: 1\n");
  EXPECT_EQ(read(model / "version-2" / "meta.yaml"),
            "aliases:\n"
            "- champion\n"
            "creation_timestamp: " + std::to_string(v2.creation_time_ms) + "\n"
            "current_stage: None\n"
            "description: null\n"
            "last_updated_timestamp: " + std::to_string(v2.last_update_time_ms) + "\n"
            "name: credit-default\n"
            "run_id: " + child_.run_id + "\n"
            "run_link: null\n"
            "source: " + uri(c + "/artifacts/model") + "\n"
            "status: READY\n"
            "status_message: null\n"
            "storage_location: " + uri(c + "/artifacts/model") + "\n"
            "user_id: null\n"
            "version: 2\n");

  // Nothing left beside the export: the temporary folder was renamed into place.
  EXPECT_EQ(file_names(dir_.path()).count("mlruns/0/meta.yaml"), 1u);
  for (const auto& entry : fs::directory_iterator(dir_.path()))
    EXPECT_TRUE(entry.path().filename() == "store" || entry.path().filename() == "mlruns") << entry.path();
}

// PyYAML, as MLflow reads meta.yaml, gets back every value credo wrote, the awkward strings
// included (YAML's booleans and nulls, numbers, comment and flow characters, line breaks, non-ASCII).
TEST_F(MlflowExportTest, EveryYamlFileParsesWithPyYamlToTheStoresValues) {
  CREDO_SKIP_WITHOUT(std::string(testing::kDebianPython) + " -c 'import yaml'", "python3-yaml");
  populate();
  const std::vector<std::string> awkward = {"yes", "null", "~", "0123", "1e3", "- item", "a: b", "# not a comment",
                                            "[1, 2]", "{x: y}", "'quoted'", "\"double\"", "tab\there",
                                            "two\nlines", " padded ", "Ünïcødé €", "*alias", "&anchor", "!tag", "@at"};
  std::vector<RunInfo> runs;
  for (size_t i = 0; i < awkward.size(); ++i) {
    NewRun run;
    run.experiment_name = "exp " + awkward[i];
    run.run_name = awkward[i];
    run.user = awkward[(i + 1) % awkward.size()];
    runs.push_back(start_run(run));
    write(fs::path(runs.back().artifact_dir) / "model" / "MLmodel", "flavors: credo\n");
    auto version = store_->create_model_version("credit-default", runs.back().run_id, "model", awkward[i]);
    ASSERT_TRUE(version.ok()) << i << ": " << version.status().to_string();
  }
  ASSERT_TRUE(export_mlflow(*store_, out(), {}).ok());
  testing::ToolRun python = testing::run_tool(std::string(testing::kDebianPython) + " " +
                                              testing::interop_script("yaml_files.py") + " " + out().string());
  ASSERT_EQ(python.exit_code, 0) << python.output;
  nlohmann::json yaml = nlohmann::json::parse(python.output);

  size_t checked = 0;
  for (const Experiment& e : store_->list_experiments().value()) {
    const nlohmann::json& meta = yaml.at(std::to_string(e.id) + "/meta.yaml");
    EXPECT_EQ(meta["name"], e.name);
    EXPECT_EQ(meta["experiment_id"], std::to_string(e.id));
    EXPECT_EQ(meta["creation_time"], e.creation_time_ms);
    EXPECT_EQ(meta["last_update_time"], e.last_update_time_ms);
    EXPECT_EQ(meta["lifecycle_stage"], "active");
    EXPECT_EQ(meta["artifact_location"], uri(std::to_string(e.id)));
    ++checked;
  }
  for (const store::Run& run : store_->search_runs({}).value()) {
    const RunInfo& info = run.info;
    const nlohmann::json& meta = yaml.at(run_rel(info) + "/meta.yaml");
    EXPECT_EQ(meta["run_id"], info.run_id);
    EXPECT_EQ(meta["run_uuid"], info.run_id);
    EXPECT_EQ(meta["run_name"], info.run_name);
    EXPECT_EQ(meta["user_id"], info.user);
    EXPECT_EQ(meta["experiment_id"], exp_id(info));
    EXPECT_EQ(meta["start_time"], info.start_time_ms);
    if (info.end_time_ms) EXPECT_EQ(meta["end_time"], *info.end_time_ms);
    else EXPECT_TRUE(meta["end_time"].is_null());
    EXPECT_EQ(meta["status"], info.status == RunStatus::kRunning ? 1 : info.status == RunStatus::kFinished ? 3 : 4);
    EXPECT_EQ(meta["artifact_uri"], uri(run_rel(info) + "/artifacts"));
    ++checked;
  }
  RegisteredModel model = store_->get_registered_model("credit-default").value();
  const nlohmann::json& model_meta = yaml.at("models/credit-default/meta.yaml");
  EXPECT_EQ(model_meta["name"], model.name);
  EXPECT_EQ(model_meta["creation_timestamp"], model.creation_time_ms);
  EXPECT_EQ(model_meta["last_updated_timestamp"], model.last_update_time_ms);
  EXPECT_EQ(model_meta["aliases"], nlohmann::json({{"champion", "2"}}));
  ++checked;
  for (int64_t v = 1; v <= model.latest_version; ++v) {
    ModelVersion version = store_->get_model_version("credit-default", v).value();
    const nlohmann::json& meta = yaml.at("models/credit-default/version-" + std::to_string(v) + "/meta.yaml");
    EXPECT_EQ(meta["version"], v);
    EXPECT_EQ(meta["name"], version.name);
    EXPECT_EQ(meta["run_id"], version.run_id);
    if (version.description.empty()) EXPECT_TRUE(meta["description"].is_null()) << v;
    else EXPECT_EQ(meta["description"], version.description) << v;
    EXPECT_EQ(meta["creation_timestamp"], version.creation_time_ms);
    EXPECT_EQ(meta["current_stage"], version.status == "ARCHIVED" ? "Archived" : "None");
    ++checked;
  }
  EXPECT_EQ(checked, 3 + 3 + awkward.size() * 2 + 1 + 2 + awkward.size());  // every entity, awkward ones included
  size_t yaml_files = 0;
  for (const auto& [path, value] : yaml.items()) yaml_files += path.ends_with("meta.yaml");
  EXPECT_EQ(yaml_files, checked) << "a meta.yaml of no entity";
}

TEST_F(MlflowExportTest, ExportsOnlyTheChosenExperimentsAndAlwaysTheDefaultOne) {
  populate();
  MlflowExportOptions options;
  options.experiments = {"other"};
  auto summary = export_mlflow(*store_, out(), options);
  ASSERT_TRUE(summary.ok()) << summary.status().to_string();
  EXPECT_EQ(summary->experiments, 1);
  EXPECT_EQ(summary->runs, 1);
  EXPECT_EQ(summary->metric_points, 0);
  EXPECT_TRUE(fs::exists(out() / "0" / "meta.yaml"));
  EXPECT_TRUE(fs::exists(out() / run_rel(other_) / "meta.yaml"));
  EXPECT_FALSE(fs::exists(out() / exp_id(parent_)));
  // The registry is exported whole; versions whose run is not in the export point at credo's
  // immutable copy of the model.
  ModelVersion v1 = *store_->get_model_version("credit-default", 1);
  std::string meta = read(out() / "models" / "credit-default" / "version-1" / "meta.yaml");
  EXPECT_NE(meta.find("\nsource: file://" + v1.artifact_dir + "\n"), std::string::npos) << meta;

  auto missing = export_mlflow(*store_, dir_.path() / "elsewhere", MlflowExportOptions{{"no-such"}, true, false});
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_FALSE(fs::exists(dir_.path() / "elsewhere"));
}

TEST_F(MlflowExportTest, WithoutArtifactsRunsHaveAnEmptyFolderAndVersionsUseTheRegistryCopy) {
  populate();
  MlflowExportOptions options;
  options.copy_artifacts = false;
  ASSERT_TRUE(export_mlflow(*store_, out(), options).ok());
  EXPECT_TRUE(fs::is_directory(out() / run_rel(parent_) / "artifacts"));
  EXPECT_TRUE(fs::is_empty(out() / run_rel(parent_) / "artifacts"));
  ModelVersion v2 = *store_->get_model_version("credit-default", 2);
  std::string meta = read(out() / "models" / "credit-default" / "version-2" / "meta.yaml");
  EXPECT_NE(meta.find("\nstorage_location: file://" + v2.artifact_dir + "\n"), std::string::npos) << meta;
}

TEST_F(MlflowExportTest, ReplacesOnlyAnEarlierExportAndOnlyWhenAskedTo) {
  populate();
  ASSERT_TRUE(export_mlflow(*store_, out(), {}).ok());
  write(out() / "stale.txt", "from before");

  auto again = export_mlflow(*store_, out(), {});
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(fs::exists(out() / "stale.txt"));

  MlflowExportOptions overwrite;
  overwrite.overwrite = true;
  auto replaced = export_mlflow(*store_, out(), overwrite);
  ASSERT_TRUE(replaced.ok()) << replaced.status().to_string();
  EXPECT_FALSE(fs::exists(out() / "stale.txt"));
  EXPECT_TRUE(fs::exists(out() / "0" / "meta.yaml"));

  // A folder that is not an MLflow file store is never replaced, even when asked.
  write(dir_.path() / "notes" / "todo.txt", "keep me");
  auto refused = export_mlflow(*store_, dir_.path() / "notes", overwrite);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(read(dir_.path() / "notes" / "todo.txt"), "keep me");
  // An empty folder is fine, and a file is not.
  fs::create_directories(dir_.path() / "empty");
  EXPECT_TRUE(export_mlflow(*store_, dir_.path() / "empty", {}).ok());
  write(dir_.path() / "a-file", "x");
  EXPECT_EQ(export_mlflow(*store_, dir_.path() / "a-file", overwrite).status().code(), StatusCode::kAlreadyExists);

  for (const auto& entry : fs::directory_iterator(dir_.path()))
    EXPECT_NE(entry.path().filename().string().front(), '.') << "left behind: " << entry.path();
}

TEST_F(MlflowExportTest, KeysThatWouldBeBothAFileAndAFolderAreAClearErrorAndLeaveNothing) {
  NewRun run;
  run.experiment_name = "clash";
  auto info = store_->create_run(run);
  ASSERT_TRUE(info.ok());
  ASSERT_TRUE(store_->log_batch(info->run_id, {{"seconds", 1, 0, 0}, {"seconds-x", 1, 0, 0}, {"seconds/read", 1, 0, 0}},
                                {}, {}).ok());
  auto clash = export_mlflow(*store_, out(), {});
  EXPECT_EQ(clash.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(clash.status().message().find("'seconds' and 'seconds/read'"), std::string::npos) << clash.status().message();
  EXPECT_FALSE(fs::exists(out()));
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_.path()), fs::directory_iterator()), 1);  // only the store
}

TEST_F(MlflowExportTest, RefusesADestinationThatOverlapsTheStore) {
  populate();
  MlflowExportOptions overwrite;
  overwrite.overwrite = true;
  EXPECT_EQ(export_mlflow(*store_, dir_.path() / "store" / "mlruns", {}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(export_mlflow(*store_, dir_.path() / "store", overwrite).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(export_mlflow(*store_, dir_.path(), overwrite).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(fs::exists(dir_.path() / "store" / "store.db"));
}

}  // namespace
}  // namespace credo::store
