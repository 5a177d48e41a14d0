// The MLflow file store layout, as mlflow/store/tracking/file_store.py and
// mlflow/store/model_registry/file_store.py write it:
//   <root>/<experiment_id>/meta.yaml, tags/<key>
//   <root>/<experiment_id>/<run_id>/meta.yaml, params/<key>, metrics/<key>, tags/<key>, artifacts/
//   <root>/.trash/<experiment_id>/...                       (deleted experiments)
//   <root>/models/<name>/meta.yaml, tags/<key>, aliases/<alias>
//   <root>/models/<name>/version-<n>/meta.yaml, tags/<key>
// Keys with '/' make sub-folders, as in MLflow. Every URI names the final destination, although
// the files are written in a temporary folder first.
#include "credo/store/mlflow_export.h"

#include <unistd.h>

#include <algorithm>
#include <random>
#include <regex>

#include "credo/base/atomic_file.h"
#include "credo/store/artifacts.h"
#include "credo/store/mlflow_export_parts.h"
#include "credo/store/mlflow_format.h"
#include "credo/store/names.h"

namespace credo::store {
namespace fs = std::filesystem;

namespace mlflow_export_parts {

Status write_text(const fs::path& path, std::string_view text) {
  CREDO_RETURN_IF_ERROR(make_folder(path.parent_path()));
  return write_file_atomically(path.string(), text);
}

Status make_folder(const fs::path& path) {
  std::error_code ec;
  fs::create_directories(path, ec);
  if (ec) return Status::IoError(path.string() + ": " + ec.message());
  return Status::Ok();
}

Status check_keys_fit_as_files(std::string_view kind, const std::string& owner, const std::vector<std::string>& sorted_keys) {
  // In MLflow's layout a key is a file and a '/' in it a folder: "seconds" and "seconds/read"
  // can't both exist (MLflow's own file store fails on them too).
  for (const std::string& key : sorted_keys) {
    std::string folder = key + "/";
    auto next = std::lower_bound(sorted_keys.begin(), sorted_keys.end(), folder);
    if (next != sorted_keys.end() && next->compare(0, folder.size(), folder) == 0)
      return Status::FailedPrecondition(std::string(kind) + " names '" + key + "' and '" + *next + "' of " + owner +
                                        " can't both be files in MLflow's layout (one would be a file and a folder)");
  }
  return Status::Ok();
}

Status write_key_files(const fs::path& folder, std::string_view kind, const std::map<std::string, std::string>& entries) {
  std::vector<std::string> keys;
  for (const auto& entry : entries) keys.push_back(entry.first);
  CREDO_RETURN_IF_ERROR(check_keys_fit_as_files(kind, folder.parent_path().filename().string(), keys));
  for (const auto& [key, value] : entries) {
    CREDO_RETURN_IF_ERROR(validate_key(kind, key));
    CREDO_RETURN_IF_ERROR(write_text(folder / key, value));
  }
  return Status::Ok();
}

}  // namespace mlflow_export_parts

namespace {
using namespace mlflow_export_parts;

constexpr int64_t kDefaultExperimentId = 0;

// Where files go (`tmp`) and where they will be once renamed (`final`), for URIs.
struct ExportRoots {
  fs::path tmp;
  fs::path final;
};

// MLflow's RunStatus enum (service.proto), which its meta.yaml stores as an integer.
int mlflow_run_status(RunStatus status) {
  switch (status) {
    case RunStatus::kRunning: return 1;
    case RunStatus::kScheduled: return 2;
    case RunStatus::kFinished: return 3;
    case RunStatus::kFailed: return 4;
    case RunStatus::kKilled: return 5;
  }
  return 1;
}
constexpr const char* kSourceTypeLocal = "4";  // SourceType.LOCAL in service.proto

// A run id names a folder: MLflow's rule for run ids keeps it one plain path component.
Status validate_run_id(const std::string& run_id) {
  static const std::regex kRunId("[a-zA-Z0-9][a-zA-Z0-9_-]{0,255}");
  if (!std::regex_match(run_id, kRunId)) return Status::InvalidArgument("run id '" + run_id + "' is not a valid MLflow run id");
  return Status::Ok();
}

// MLflow's system tags from credo's run fields; they win over a user tag of the same name.
std::map<std::string, std::string> run_tags(const Run& run) {
  std::map<std::string, std::string> tags = run.tags;
  const RunInfo& info = run.info;
  auto set = [&](const char* key, const std::string& value) {
    if (!value.empty()) tags[key] = value;
  };
  set("mlflow.runName", info.run_name);
  set("mlflow.user", info.user);
  set("mlflow.source.name", info.source);
  tags["mlflow.source.type"] = "LOCAL";
  set("mlflow.source.git.commit", info.git_commit);
  set("mlflow.parentRunId", info.parent_run_id);
  set("credo.version", info.credo_version);
  set("credo.data_fingerprint", info.data_fingerprint);
  set("credo.host", info.host);
  return tags;
}

std::string run_meta_yaml(const RunInfo& info, const std::string& artifact_uri) {
  std::vector<YamlField> fields = {
      {"artifact_uri", yaml_scalar(artifact_uri)},
      {"end_time", info.end_time_ms ? yaml_int(*info.end_time_ms) : "null"},
      {"entry_point_name", "''"},
      {"experiment_id", yaml_scalar(std::to_string(info.experiment_id))},
      {"lifecycle_stage", yaml_scalar(info.lifecycle_stage)},
      {"run_id", yaml_scalar(info.run_id)},
      {"run_name", yaml_scalar(info.run_name)},
      {"run_uuid", yaml_scalar(info.run_id)},
      {"source_name", "''"},
      {"source_type", kSourceTypeLocal},
      {"source_version", "''"},
      {"start_time", yaml_int(info.start_time_ms)},
      {"status", yaml_int(mlflow_run_status(info.status))},
      {"tags", yaml_string_list({})},
      {"user_id", yaml_scalar(info.user)},
  };
  // MLflow writes deleted_time: null when it creates a run and drops the key when it rewrites the
  // file (ending the run); a deleted run records when, which credo does not know.
  bool unfinished = info.status == RunStatus::kRunning || info.status == RunStatus::kScheduled;
  if (unfinished && info.lifecycle_stage != "deleted") fields.push_back({"deleted_time", "null"});
  return yaml_document(std::move(fields));
}

// Writes one run under `experiment_rel`; records where its artifacts went when they were copied.
Status write_run(Store& store, const Run& run, const fs::path& experiment_rel, const ExportRoots& roots,
                 const MlflowExportOptions& options, MlflowExportSummary& summary,
                 std::map<std::string, fs::path>& exported_artifacts) {
  const RunInfo& info = run.info;
  CREDO_RETURN_IF_ERROR(validate_run_id(info.run_id));
  fs::path run_rel = experiment_rel / info.run_id;
  fs::path run_dir = roots.tmp / run_rel;
  std::string artifact_uri = file_uri(roots.final / run_rel / "artifacts");
  CREDO_RETURN_IF_ERROR(write_text(run_dir / "meta.yaml", run_meta_yaml(info, artifact_uri)));
  for (const char* folder : {"metrics", "params", "tags"}) CREDO_RETURN_IF_ERROR(make_folder(run_dir / folder));
  CREDO_RETURN_IF_ERROR(write_key_files(run_dir / "params", "param", run.params));
  CREDO_RETURN_IF_ERROR(write_key_files(run_dir / "tags", "tag", run_tags(run)));

  std::vector<std::string> metric_keys;
  for (const auto& entry : run.metrics) metric_keys.push_back(entry.first);
  CREDO_RETURN_IF_ERROR(check_keys_fit_as_files("metric", "run " + info.run_id, metric_keys));
  for (const auto& [key, latest] : run.metrics) {
    CREDO_RETURN_IF_ERROR(validate_key("metric", key));
    CREDO_ASSIGN_OR_RETURN(std::vector<Metric> history, store.metric_history(info.run_id, key));
    if (history.empty()) history.push_back(latest);
    std::string lines;  // "<timestamp> <value> <step>", as FileStore._log_run_metric appends them
    for (const Metric& point : history)
      lines += std::to_string(point.timestamp_ms) + " " + python_float_repr(point.value) + " " +
               std::to_string(point.step) + "\n";
    CREDO_RETURN_IF_ERROR(write_text(run_dir / "metrics" / key, lines));
    summary.metric_points += static_cast<int64_t>(history.size());
  }

  std::error_code ec;
  bool has_artifacts = !info.artifact_dir.empty() && fs::is_directory(info.artifact_dir, ec);
  if (options.copy_artifacts && has_artifacts) {
    CREDO_RETURN_IF_ERROR(copy_atomically(info.artifact_dir, run_dir / "artifacts"));
    exported_artifacts[info.run_id] = roots.final / run_rel / "artifacts";
  } else {
    CREDO_RETURN_IF_ERROR(make_folder(run_dir / "artifacts"));
  }
  ++summary.runs;
  return Status::Ok();
}

// The experiment's meta.yaml and tags; deleted experiments go to .trash as MLflow moves them.
StatusOr<fs::path> write_experiment_meta(const Experiment& experiment, const ExportRoots& roots) {
  std::string id = std::to_string(experiment.id);
  fs::path rel = experiment.lifecycle_stage == "deleted" ? fs::path(".trash") / id : fs::path(id);
  std::string meta = yaml_document({
      {"artifact_location", yaml_scalar(file_uri(roots.final / rel))},
      {"creation_time", yaml_int(experiment.creation_time_ms)},
      {"experiment_id", yaml_scalar(id)},
      {"last_update_time", yaml_int(experiment.last_update_time_ms)},
      {"lifecycle_stage", yaml_scalar(experiment.lifecycle_stage)},
      {"name", yaml_scalar(experiment.name)},
  });
  CREDO_RETURN_IF_ERROR(write_text(roots.tmp / rel / "meta.yaml", meta));
  CREDO_RETURN_IF_ERROR(write_key_files(roots.tmp / rel / "tags", "tag", experiment.tags));
  return rel;
}

StatusOr<std::vector<Experiment>> selected_experiments(Store& store, const std::vector<std::string>& names) {
  if (names.empty()) return store.list_experiments();
  std::vector<Experiment> experiments;
  for (const std::string& name : names) {
    auto experiment = store.get_experiment_by_name(name);
    if (!experiment.ok()) return Status::NotFound("experiment '" + name + "': " + experiment.status().message());
    if (std::none_of(experiments.begin(), experiments.end(), [&](const Experiment& e) { return e.id == experiment->id; }))
      experiments.push_back(*experiment);
  }
  return experiments;
}

// MLflow's tools expect experiment 0 ("Default") in every file store; an export that leaves it
// out still writes its folder, without runs.
Status write_default_experiment(Store& store, const ExportRoots& roots) {
  auto stored = store.get_experiment(kDefaultExperimentId);
  if (!stored.ok() && stored.status().code() != StatusCode::kNotFound) return stored.status();
  Experiment experiment;
  if (stored.ok()) {
    experiment = *stored;
  } else {
    experiment.id = kDefaultExperimentId;
    experiment.name = "Default";
    experiment.creation_time_ms = experiment.last_update_time_ms = store.clock().now_ms();
  }
  return write_experiment_meta(experiment, roots).status();
}

Status write_tracking(Store& store, const ExportRoots& roots, const MlflowExportOptions& options,
                      MlflowExportSummary& summary, std::map<std::string, fs::path>& exported_artifacts) {
  CREDO_RETURN_IF_ERROR(make_folder(roots.tmp / ".trash"));
  CREDO_ASSIGN_OR_RETURN(std::vector<Experiment> experiments, selected_experiments(store, options.experiments));
  bool has_default = false;
  for (const Experiment& experiment : experiments) {
    has_default |= experiment.id == kDefaultExperimentId;
    CREDO_ASSIGN_OR_RETURN(fs::path rel, write_experiment_meta(experiment, roots));
    RunSearch search;
    search.experiment_ids = {experiment.id};
    search.include_deleted = true;
    search.with_data = true;
    CREDO_ASSIGN_OR_RETURN(std::vector<Run> runs, store.search_runs(search));
    for (const Run& run : runs)
      CREDO_RETURN_IF_ERROR(write_run(store, run, rel, roots, options, summary, exported_artifacts));
    ++summary.experiments;
  }
  if (!has_default) CREDO_RETURN_IF_ERROR(write_default_experiment(store, roots));
  return Status::Ok();
}

bool is_within(const fs::path& parent, const fs::path& child) {
  auto [p, c] = std::mismatch(parent.begin(), parent.end(), child.begin(), child.end());
  return p == parent.end();
}

// A fresh folder beside `destination`, named after it: "<parent>/.<name>.<what>-<pid>-<random>".
StatusOr<fs::path> sibling_folder(const fs::path& destination, const char* what) {
  std::random_device random;
  for (int attempt = 0; attempt < 16; ++attempt) {
    fs::path candidate = destination.parent_path() / ("." + destination.filename().string() + "." + what + "-" +
                                                      std::to_string(::getpid()) + "-" + std::to_string(random()));
    std::error_code ec;
    if (fs::create_directory(candidate, ec)) return candidate;
    if (ec) return Status::IoError(candidate.string() + ": " + ec.message());
  }
  return Status::IoError(destination.parent_path().string() + ": cannot create a temporary folder");
}

// The absolute destination, checked: not a file, not overlapping the store, not an existing
// non-empty folder unless it is an earlier export and `overwrite` is set.
StatusOr<fs::path> checked_destination(const Store& store, const fs::path& out_dir, bool overwrite) {
  std::error_code ec;
  fs::path final = fs::absolute(out_dir, ec).lexically_normal();
  if (ec) return Status::IoError(out_dir.string() + ": " + ec.message());
  if (!final.has_filename()) final = final.parent_path();
  if (final == final.root_path()) return Status::InvalidArgument("cannot export to the root folder " + final.string());
  fs::path store_root = fs::weakly_canonical(store.root(), ec);
  if (ec) return Status::IoError(store.root().string() + ": " + ec.message());
  fs::path out_canonical = fs::weakly_canonical(final, ec);
  if (ec) return Status::IoError(final.string() + ": " + ec.message());
  if (is_within(store_root, out_canonical) || is_within(out_canonical, store_root))
    return Status::InvalidArgument(final.string() + ": the export folder may not contain or be inside the store " +
                                   store_root.string());
  if (!fs::exists(final, ec)) return final;
  if (!fs::is_directory(final, ec)) return Status::AlreadyExists(final.string() + ": exists and is not a folder");
  if (fs::is_empty(final, ec)) return final;
  if (!overwrite) return Status::AlreadyExists(final.string() + ": folder is not empty (--overwrite replaces an earlier export)");
  if (!fs::exists(final / "0" / "meta.yaml", ec))
    return Status::FailedPrecondition(final.string() + ": not replaced, it is not an MLflow file store (no 0/meta.yaml)");
  return final;
}

// Renames `tmp` to `final`, moving an earlier export aside first and deleting it after.
Status commit_export(const fs::path& tmp, const fs::path& final) {
  std::error_code ec;
  fs::path old;
  if (fs::exists(final, ec)) {
    CREDO_ASSIGN_OR_RETURN(old, sibling_folder(final, "old"));
    fs::remove(old, ec);
    fs::rename(final, old, ec);
    if (ec) return Status::IoError("moving the earlier export " + final.string() + " aside: " + ec.message());
  }
  fs::rename(tmp, final, ec);
  if (ec) {
    if (!old.empty()) fs::rename(old, final, ec);
    return Status::IoError("renaming " + tmp.string() + " to " + final.string() + ": " + ec.message());
  }
  if (!old.empty()) fs::remove_all(old, ec);
  return Status::Ok();
}

}  // namespace

StatusOr<MlflowExportSummary> export_mlflow(Store& store, const fs::path& out_dir, const MlflowExportOptions& options) {
  CREDO_ASSIGN_OR_RETURN(fs::path final, checked_destination(store, out_dir, options.overwrite));
  std::error_code ec;
  fs::create_directories(final.parent_path(), ec);
  if (ec) return Status::IoError(final.parent_path().string() + ": " + ec.message());
  CREDO_ASSIGN_OR_RETURN(fs::path tmp, sibling_folder(final, "export"));
  struct RemoveUnlessCommitted {
    fs::path path;
    ~RemoveUnlessCommitted() {
      std::error_code ignored;
      if (!path.empty()) fs::remove_all(path, ignored);
    }
  } cleanup{tmp};

  MlflowExportSummary summary;
  std::map<std::string, fs::path> exported_artifacts;  // run id -> its artifacts in the export
  ExportRoots roots{tmp, final};
  CREDO_RETURN_IF_ERROR(write_tracking(store, roots, options, summary, exported_artifacts));
  CREDO_RETURN_IF_ERROR(mlflow_export_parts::write_registry(store, tmp, exported_artifacts, summary));
  CREDO_RETURN_IF_ERROR(commit_export(tmp, final));
  cleanup.path.clear();
  return summary;
}

}  // namespace credo::store
