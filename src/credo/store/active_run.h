// The API training code logs through, as MLflow's fluent API: start a run, log params, metrics,
// tags and artifacts, end it. Metric points are buffered and written in batches (one transaction
// per batch), so thousands of points per boosting run cost little; a background thread keeps the
// run's heartbeat, so a run whose process dies can be told from one still working.
#pragma once

#include <condition_variable>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "credo/store/store.h"

namespace credo::store {

struct RunOptions {
  std::string experiment = "Default";
  std::string run_name;
  std::string parent_run_id;
  std::string command_line;       // recorded as the run's source
  std::string data_fingerprint;
  std::map<std::string, std::string> tags;
  int64_t heartbeat_interval_ms = 15000;
  // RUNNING runs silent for longer than this are failed when a new run starts (runs on this host
  // whose process is gone are failed at once).
  int64_t stale_after_ms = 5 * 60 * 1000;
  size_t batch_points = 2000;     // buffered metric points written together
};

// A NewRun describing this process: user, host, pid, credo version, and the git commit of the
// checkout the current directory is in (read from .git, empty outside one).
NewRun describe_this_process(const RunOptions& options);

class ActiveRun {
 public:
  // Fails the runs whose process died, then creates a RUNNING run and starts its heartbeat.
  static StatusOr<std::unique_ptr<ActiveRun>> start(Store& store, const RunOptions& options);
  // Ends the run as FAILED if end() was not called (an early error return is a failed run).
  ~ActiveRun();
  ActiveRun(const ActiveRun&) = delete;
  ActiveRun& operator=(const ActiveRun&) = delete;

  const RunInfo& info() const { return info_; }
  const std::string& id() const { return info_.run_id; }
  std::filesystem::path artifact_dir() const { return info_.artifact_dir; }

  // Thread-safe; buffered until the batch is full, flush() or end(). A bad key fails at once.
  Status log_metric(const std::string& key, double value, int64_t step = 0);
  Status log_param(const std::string& key, const std::string& value);
  Status log_params(const std::map<std::string, std::string>& params);
  Status set_tag(const std::string& key, const std::string& value);
  // Copies a file or folder into the run's artifacts, under `artifact_path` (a folder, "" for the root).
  Status log_artifact(const std::filesystem::path& local_path, const std::string& artifact_path = "");
  // Writes `text` as the artifact file `artifact_file` (e.g. "reports/leakage.txt").
  Status log_text(const std::string& artifact_file, std::string_view text);
  Status flush();
  // Writes what is buffered and sets the final status (FINISHED, FAILED or KILLED).
  Status end(RunStatus status = RunStatus::kFinished);

 private:
  ActiveRun(Store& store, RunInfo info, const RunOptions& options);
  Status flush_locked();
  void heartbeat_loop(int64_t interval_ms);

  Store& store_;
  RunInfo info_;
  size_t batch_points_;
  std::mutex mutex_;
  std::vector<Metric> metrics_;
  std::vector<std::pair<std::string, std::string>> params_, tags_;
  bool ended_ = false;
  std::mutex heartbeat_mutex_;
  std::condition_variable heartbeat_wake_;
  bool stopping_ = false;
  std::thread heartbeat_;
};

}  // namespace credo::store
