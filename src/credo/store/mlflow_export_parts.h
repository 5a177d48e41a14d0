// What the two halves of the MLflow export share: mlflow_export.cc writes the experiments and
// runs, mlflow_registry_export.cc the registered models, and both write files the same way.
// Internal to the export; callers use mlflow_export.h.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>

#include "credo/base/status.h"
#include "credo/store/mlflow_export.h"

namespace credo::store::mlflow_export_parts {

// Writes `text` to `path`, creating its folder.
Status write_text(const std::filesystem::path& path, std::string_view text);
Status make_folder(const std::filesystem::path& path);
// One file per entry under `folder`, named by the key (a '/' in it makes a sub-folder) and holding
// the value with no newline added. Keys are checked with validate_key(kind, ...) because they become
// paths, although the store checked them when they were logged.
Status write_key_files(const std::filesystem::path& folder, std::string_view kind,
                       const std::map<std::string, std::string>& entries);
inline std::string yaml_int(int64_t value) { return std::to_string(value); }

// Writes <tmp_root>/models/: every registered model, version, tag and alias. `exported_artifacts`
// maps a run id to the final path of its artifacts in this export, for the versions' source.
Status write_registry(Store& store, const std::filesystem::path& tmp_root,
                      const std::map<std::string, std::filesystem::path>& exported_artifacts,
                      MlflowExportSummary& summary);

}  // namespace credo::store::mlflow_export_parts
