// The model registry half of the MLflow export, in the layout of
// mlflow/store/model_registry/file_store.py:
//   models/<name>/meta.yaml, tags/<key>, aliases/<alias> (holding the version number)
//   models/<name>/version-<n>/meta.yaml, tags/<key>
// credo's ARCHIVED versions become MLflow's "Archived" stage, the others stage "None"; every
// version is READY, as MLflow's file store makes them.
#include <vector>

#include "credo/store/mlflow_export_parts.h"
#include "credo/store/mlflow_format.h"
#include "credo/store/model_uri.h"
#include "credo/store/names.h"

namespace credo::store::mlflow_export_parts {
namespace fs = std::filesystem;

namespace {

std::string yaml_optional_text(const std::string& text) { return text.empty() ? "null" : yaml_scalar(text); }

// Where MLflow finds the model files: the run's artifacts in this export when that run's were
// copied, else credo's own immutable copy of the version.
std::string version_source(const ModelVersion& version, const std::map<std::string, fs::path>& exported_artifacts) {
  auto uri = parse_model_uri(version.source);
  if (uri.ok() && uri->kind == ModelUri::Kind::kRun) {
    auto exported = exported_artifacts.find(uri->run_id);
    if (exported != exported_artifacts.end())  // parse_model_uri refused a path that climbs
      return file_uri(uri->path.empty() ? exported->second : exported->second / uri->path);
  }
  if (!version.artifact_dir.empty()) return file_uri(fs::absolute(version.artifact_dir).lexically_normal());
  return version.source;
}

std::string version_meta_yaml(const ModelVersion& version, const std::vector<std::string>& aliases,
                              const std::string& source) {
  return yaml_document({
      {"aliases", yaml_string_list(aliases)},
      {"creation_timestamp", yaml_int(version.creation_time_ms)},
      {"current_stage", version.status == "ARCHIVED" ? "Archived" : "None"},
      {"description", yaml_optional_text(version.description)},
      {"last_updated_timestamp", yaml_int(version.last_update_time_ms)},
      {"name", yaml_scalar(version.name)},
      {"run_id", yaml_optional_text(version.run_id)},
      {"run_link", "null"},
      {"source", yaml_scalar(source)},
      {"status", "READY"},
      {"status_message", "null"},
      {"storage_location", yaml_scalar(source)},
      {"user_id", "null"},
      {"version", yaml_int(version.version)},
  });
}

Status write_model(Store& store, const RegisteredModel& model, const fs::path& models_dir,
                   const std::map<std::string, fs::path>& exported_artifacts, MlflowExportSummary& summary) {
  CREDO_RETURN_IF_ERROR(validate_model_name(model.name));
  fs::path model_dir = models_dir / model.name;
  // MLflow rewrites this meta.yaml whenever an alias moves, so it lists them too (alias: 'version');
  // it reads aliases from the aliases/ files.
  std::map<std::string, std::string> alias_versions;
  for (const auto& [alias, version] : model.aliases) {
    CREDO_RETURN_IF_ERROR(validate_alias(alias));
    alias_versions[alias] = std::to_string(version);
  }
  std::string meta = yaml_document({
      {"aliases", yaml_string_map(alias_versions)},
      {"creation_timestamp", yaml_int(model.creation_time_ms)},
      {"description", yaml_optional_text(model.description)},
      {"last_updated_timestamp", yaml_int(model.last_update_time_ms)},
      {"name", yaml_scalar(model.name)},
  });
  CREDO_RETURN_IF_ERROR(write_text(model_dir / "meta.yaml", meta));
  CREDO_RETURN_IF_ERROR(write_key_files(model_dir / "tags", "tag", model.tags));
  CREDO_RETURN_IF_ERROR(write_key_files(model_dir / "aliases", "alias", alias_versions));

  CREDO_ASSIGN_OR_RETURN(std::vector<ModelVersion> versions, store.list_model_versions(model.name));
  for (const ModelVersion& version : versions) {
    std::vector<std::string> aliases;
    for (const auto& [alias, number] : model.aliases)
      if (number == version.version) aliases.push_back(alias);
    fs::path version_dir = model_dir / ("version-" + std::to_string(version.version));
    std::string source = version_source(version, exported_artifacts);
    CREDO_RETURN_IF_ERROR(write_text(version_dir / "meta.yaml", version_meta_yaml(version, aliases, source)));
    CREDO_RETURN_IF_ERROR(write_key_files(version_dir / "tags", "tag", version.tags));
    ++summary.model_versions;
  }
  ++summary.registered_models;
  return Status::Ok();
}

}  // namespace

Status write_registry(Store& store, const fs::path& tmp_root, const std::map<std::string, fs::path>& exported_artifacts,
                      MlflowExportSummary& summary) {
  fs::path models_dir = tmp_root / "models";
  CREDO_RETURN_IF_ERROR(make_folder(models_dir));
  CREDO_ASSIGN_OR_RETURN(std::vector<RegisteredModel> models, store.list_registered_models());
  for (const RegisteredModel& model : models)
    CREDO_RETURN_IF_ERROR(write_model(store, model, models_dir, exported_artifacts, summary));
  return Status::Ok();
}

}  // namespace credo::store::mlflow_export_parts
