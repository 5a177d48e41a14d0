// `credo export mlflow`: the store written out as MLflow's file store, the `mlruns/` folder that
// `mlflow ui --backend-store-uri ./mlruns` reads, so a team that lives in the MLflow UI can browse
// credo's experiments, runs, metric histories, artifacts and registered models without a server.
// The export is a snapshot: built in a folder beside its destination and renamed into place whole.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "credo/base/status.h"
#include "credo/store/store.h"

namespace credo::store {

struct MlflowExportOptions {
  std::vector<std::string> experiments;  // names of the experiments to export; empty: all of them
  bool copy_artifacts = true;            // copy each run's artifact folder into <run>/artifacts
  bool overwrite = false;                // replace a previous export at the destination
};

struct MlflowExportSummary {
  int64_t experiments = 0;
  int64_t runs = 0;
  int64_t metric_points = 0;
  int64_t registered_models = 0;
  int64_t model_versions = 0;
};

// Writes the store as an MLflow file store at `out_dir`: one folder per experiment (deleted ones
// under .trash/, the Default experiment 0 always present), runs with their meta.yaml, params,
// metric histories, tags (credo's run fields as MLflow's system tags mlflow.user,
// mlflow.source.name, mlflow.parentRunId... and credo.version, credo.data_fingerprint, credo.host)
// and artifacts; and models/ with every registered model, its versions, tags and aliases.
// Refuses a destination that is a file, that overlaps the store, or that is a non-empty folder
// unless `overwrite` is set and it holds an earlier export (its 0/meta.yaml).
// Registered models are exported whole whatever the experiment selection; a version whose run is
// not in the export points at credo's own immutable copy of the model.
StatusOr<MlflowExportSummary> export_mlflow(Store& store, const std::filesystem::path& out_dir,
                                            const MlflowExportOptions& options);

}  // namespace credo::store
