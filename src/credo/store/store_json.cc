// JSON views of store records. Non-finite metric values become null (JSON has no NaN).
#include "credo/store/store_json.h"

#include <cmath>

namespace credo::store {
namespace {

nlohmann::json number(double value) { return std::isfinite(value) ? nlohmann::json(value) : nlohmann::json(nullptr); }

template <typename T>
nlohmann::json optional(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json to_json(const Experiment& e) {
  return {{"experiment_id", std::to_string(e.id)}, {"name", e.name}, {"lifecycle_stage", e.lifecycle_stage},
          {"creation_time", e.creation_time_ms}, {"last_update_time", e.last_update_time_ms}, {"tags", e.tags}};
}

nlohmann::json to_json(const RunInfo& info) {
  return {{"run_id", info.run_id},
          {"run_name", info.run_name},
          {"experiment_id", std::to_string(info.experiment_id)},
          {"status", run_status_name(info.status)},
          {"start_time", info.start_time_ms},
          {"end_time", optional(info.end_time_ms)},
          {"parent_run_id", info.parent_run_id},
          {"user_id", info.user},
          {"source", info.source},
          {"credo_version", info.credo_version},
          {"git_commit", info.git_commit},
          {"data_fingerprint", info.data_fingerprint},
          {"host", info.host},
          {"pid", info.pid},
          {"heartbeat_time", info.heartbeat_ms},
          {"lifecycle_stage", info.lifecycle_stage},
          {"artifact_uri", info.artifact_dir}};
}

nlohmann::json to_json(const Run& run) {
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [key, m] : run.metrics)
    metrics[key] = {{"value", number(m.value)}, {"step", m.step}, {"timestamp", m.timestamp_ms}};
  return {{"info", to_json(run.info)}, {"params", run.params}, {"metrics", metrics}, {"tags", run.tags}};
}

nlohmann::json to_json(const RegisteredModel& model) {
  return {{"name", model.name},
          {"description", model.description},
          {"creation_timestamp", model.creation_time_ms},
          {"last_updated_timestamp", model.last_update_time_ms},
          {"tags", model.tags},
          {"aliases", model.aliases},
          {"latest_version", model.latest_version}};
}

nlohmann::json to_json(const ModelVersion& v) {
  nlohmann::json metrics = nlohmann::json::object();
  for (const auto& [key, value] : v.metrics) metrics[key] = number(value);
  return {{"name", v.name},
          {"version", v.version},
          {"run_id", v.run_id},
          {"source", v.source},
          {"storage_location", v.artifact_dir},
          {"content_hash", v.content_hash},
          {"status", v.status},
          {"description", v.description},
          {"creation_timestamp", v.creation_time_ms},
          {"last_updated_timestamp", v.last_update_time_ms},
          {"metrics", metrics},
          {"tags", v.tags}};
}

nlohmann::json to_json(const AliasMove& move) {
  return {{"name", move.model_name}, {"alias", move.alias},     {"from_version", optional(move.from_version)},
          {"to_version", optional(move.to_version)}, {"moved_by", move.moved_by}, {"time", move.time_ms},
          {"reason", move.reason}};
}

}  // namespace credo::store
