// What the store records, named as MLflow names it so that its users recognise every field:
// experiments hold runs; runs hold params, metrics (many points per key), tags and artifacts;
// registered models hold immutable numbered versions and movable aliases.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace credo::store {

enum class RunStatus { kRunning, kScheduled, kFinished, kFailed, kKilled };

// "RUNNING", "FINISHED"... as MLflow spells them.
const char* run_status_name(RunStatus status);
// Parses a status name (case-insensitive); nullopt when it is not one.
std::optional<RunStatus> parse_run_status(std::string_view name);

struct Experiment {
  int64_t id = 0;
  std::string name;
  std::string lifecycle_stage = "active";
  int64_t creation_time_ms = 0;
  int64_t last_update_time_ms = 0;
  std::map<std::string, std::string> tags;
};

struct RunInfo {
  std::string run_id;  // 32 lowercase hex digits, as MLflow's uuid4().hex
  int64_t experiment_id = 0;
  std::string run_name;
  RunStatus status = RunStatus::kRunning;
  int64_t start_time_ms = 0;
  std::optional<int64_t> end_time_ms;
  std::string parent_run_id;  // empty for a top-level run
  std::string user;
  std::string source;          // the command line that started the run
  std::string credo_version;
  std::string git_commit;      // empty when not run from a git checkout
  std::string data_fingerprint;
  std::string host;
  int64_t pid = 0;
  int64_t heartbeat_ms = 0;    // last sign of life of the process that owns a RUNNING run
  std::string lifecycle_stage = "active";
  std::string artifact_dir;    // absolute path of the run's artifacts
};

struct Metric {
  std::string key;
  double value = 0;
  int64_t timestamp_ms = 0;
  int64_t step = 0;
};

struct Run {
  RunInfo info;
  std::map<std::string, std::string> params;
  std::map<std::string, Metric> metrics;  // the latest point of each key (highest step, then time)
  std::map<std::string, std::string> tags;
};

// A run as the caller asks for it; the store fills in the id, times and artifact folder.
struct NewRun {
  std::string experiment_name = "Default";
  std::string run_name;
  std::string parent_run_id;
  std::string user;
  std::string source;
  std::string credo_version;
  std::string git_commit;
  std::string data_fingerprint;
  std::string host;
  int64_t pid = 0;
  std::map<std::string, std::string> tags;
};

struct RegisteredModel {
  std::string name;
  std::string description;
  int64_t creation_time_ms = 0;
  int64_t last_update_time_ms = 0;
  std::map<std::string, std::string> tags;
  std::map<std::string, int64_t> aliases;  // alias -> version
  int64_t latest_version = 0;
};

// One answer of the scoring service, as the prediction log keeps it.
struct PredictionEvent {
  std::string request_id;
  int64_t time_ms = 0;
  std::string model_name;
  int64_t model_version = 0;
  std::string kind;                 // "client" (a known client), "application", "invocations"...
  std::optional<int64_t> client_id; // SK_ID_CURR when the client is known or given
  double probability = 0;
  bool refused = false;
  double threshold = 0;
  int64_t latency_us = 0;
  std::vector<float> features;      // a posted application's model inputs; empty for a known client
};

// The true outcome of a client, once known (1: defaulted).
struct Outcome {
  int64_t client_id = 0;
  int target = 0;
  int64_t time_ms = 0;
  std::string source;
};

struct ModelVersion {
  std::string name;
  int64_t version = 0;
  std::string run_id;
  std::string source;        // runs:/<run_id>/<artifact_path>, where the version came from
  std::string artifact_dir;  // absolute path of the version's own immutable copy
  std::string content_hash;  // of the copied files, checked when the version is loaded
  std::string status = "READY";  // READY or ARCHIVED
  std::string description;
  int64_t creation_time_ms = 0;
  int64_t last_update_time_ms = 0;
  std::map<std::string, double> metrics;  // the metrics that selected it, copied from the run
  std::map<std::string, std::string> tags;
};

// One move of an alias, kept forever: who pointed `alias` from one version to another, when, why.
struct AliasMove {
  std::string model_name;
  std::string alias;
  std::optional<int64_t> from_version;  // nullopt when the alias is new
  std::optional<int64_t> to_version;    // nullopt when the alias was deleted
  std::string moved_by;
  int64_t time_ms = 0;
  std::string reason;
};

}  // namespace credo::store
