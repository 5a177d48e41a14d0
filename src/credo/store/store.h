// The tracking store and model registry: credo's MLflow. One interface that training, the CLI,
// the server and the exporters use. Its one backend is SQLite embedded in a folder (open_store);
// nothing in the interface is SQLite's, so a backend shared across machines could implement it.
//
// A store is one folder: `store.db` plus `artifacts/<experiment id>/<run id>/...` and
// `registry/<model>/<version>/...` (the immutable copies of registered models).
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "credo/base/clock.h"
#include "credo/base/status.h"
#include "credo/store/entities.h"
#include "credo/store/run_filter.h"

namespace credo::store {

struct RunSearch {
  std::vector<int64_t> experiment_ids;  // empty: every experiment
  RunFilter filter;
  std::vector<RunOrder> order_by;       // empty: newest first
  int64_t max_results = 0;              // 0: no limit
  bool include_deleted = false;
  bool with_data = true;                // fill params, metrics and tags of each run
};

class Store {
 public:
  virtual ~Store() = default;

  // The folder of the store (artifacts and registry live under it).
  virtual const std::filesystem::path& root() const = 0;
  virtual const Clock& clock() const = 0;

  // --- experiments ---
  // The experiment called `name`, created when there is none.
  virtual StatusOr<Experiment> get_or_create_experiment(const std::string& name) = 0;
  virtual StatusOr<Experiment> get_experiment(int64_t id) = 0;
  virtual StatusOr<Experiment> get_experiment_by_name(const std::string& name) = 0;
  virtual StatusOr<std::vector<Experiment>> list_experiments() = 0;
  virtual Status set_experiment_tag(int64_t id, const std::string& key, const std::string& value) = 0;

  // --- runs ---
  virtual StatusOr<RunInfo> create_run(const NewRun& run) = 0;
  // Writes metrics, params and tags in one transaction: all of them or none. A param may be
  // logged twice only with the same value (params describe how a run was made, they don't change).
  virtual Status log_batch(const std::string& run_id, const std::vector<Metric>& metrics,
                           const std::vector<std::pair<std::string, std::string>>& params,
                           const std::vector<std::pair<std::string, std::string>>& tags) = 0;
  // Records that the process owning a RUNNING run is still alive.
  virtual Status heartbeat(const std::string& run_id) = 0;
  virtual Status set_run_status(const std::string& run_id, RunStatus status) = 0;
  virtual Status set_data_fingerprint(const std::string& run_id, const std::string& fingerprint) = 0;
  // A run by its id or by an unambiguous prefix of at least 6 characters.
  virtual StatusOr<Run> get_run(const std::string& run_id_or_prefix) = 0;
  virtual StatusOr<std::vector<Metric>> metric_history(const std::string& run_id, const std::string& key) = 0;
  virtual StatusOr<std::vector<Run>> search_runs(const RunSearch& search) = 0;
  // Marks FAILED every RUNNING run whose process is gone: its heartbeat is older than
  // `stale_after_ms`, or it was started on this host by a process id that no longer exists.
  // Returns the runs it marked.
  virtual StatusOr<std::vector<RunInfo>> fail_dead_runs(int64_t stale_after_ms) = 0;

  // --- registry ---
  virtual StatusOr<RegisteredModel> create_registered_model(const std::string& name,
                                                            const std::string& description) = 0;
  virtual StatusOr<RegisteredModel> get_registered_model(const std::string& name) = 0;
  virtual StatusOr<std::vector<RegisteredModel>> list_registered_models() = 0;
  // A new version of `name` (the model is created if needed) from the run's artifact folder
  // `artifact_path`, copied into the registry.
  virtual StatusOr<ModelVersion> create_model_version(const std::string& name, const std::string& run_id,
                                                      const std::string& artifact_path,
                                                      const std::string& description) = 0;
  virtual StatusOr<ModelVersion> get_model_version(const std::string& name, int64_t version) = 0;
  virtual StatusOr<std::vector<ModelVersion>> list_model_versions(const std::string& name) = 0;
  // Points `alias` at `version` (an archived version can't take an alias), recording who, when, why.
  virtual Status set_alias(const std::string& name, const std::string& alias, int64_t version,
                           const std::string& moved_by, const std::string& reason) = 0;
  virtual Status delete_alias(const std::string& name, const std::string& alias, const std::string& moved_by,
                              const std::string& reason) = 0;
  virtual StatusOr<std::vector<AliasMove>> alias_history(const std::string& name) = 0;
  virtual Status set_registered_model_tag(const std::string& name, const std::string& key, const std::string& value) = 0;
  // Version tags describe a version (algorithm, threshold...); they may be set after registration.
  virtual Status set_model_version_tag(const std::string& name, int64_t version, const std::string& key,
                                       const std::string& value) = 0;
  // ARCHIVED versions stay readable but take no alias; a version that holds an alias can't be archived.
  virtual Status set_model_version_status(const std::string& name, int64_t version, const std::string& status) = 0;

  // --- prediction log ---
  // Appends the events in one transaction (all or none). Request ids need not be unique: a batch
  // request logs one event per application under its request id. Fails with kFailedPrecondition,
  // having written nothing, when another process holds the write lock longer than the store
  // waits for it (StoreOptions::lock_wait_ms): trying again later may succeed. Any other error
  // (a refused event, a full disk, a damaged file) is not cured by waiting.
  virtual Status log_predictions(const std::vector<PredictionEvent>& events) = 0;
  // Events with since_ms <= time < until_ms (0: unbounded), oldest first, at most max_results (0: all).
  virtual StatusOr<std::vector<PredictionEvent>> list_predictions(int64_t since_ms, int64_t until_ms,
                                                                  int64_t max_results) = 0;
  // Records (or corrects) a client's true outcome.
  virtual Status record_outcome(const Outcome& outcome) = 0;
  virtual StatusOr<std::vector<Outcome>> list_outcomes() = 0;
};

// How the store's connection waits for other processes and how durable a commit is.
struct StoreOptions {
  // A write waits this long for another process's write lock (SQLite's busy timeout), five
  // times with pauses growing from 50 ms to 0.8 s in between, before failing busy.
  int lock_wait_ms = 30000;
  // false (SQLite's synchronous=NORMAL): a committed write survives the crash or kill -9 of any
  // process, but a power cut or a kernel crash may lose the last commits. true (FULL): each
  // commit is fsynced and survives those too, at the price of one fsync per transaction.
  bool sync_each_commit = false;
};

// Opens the SQLite store in `dir`, creating the folder and the database when `create` is set,
// and migrating an older schema to the current one.
StatusOr<std::unique_ptr<Store>> open_store(const std::filesystem::path& dir, bool create = true,
                                            std::shared_ptr<const Clock> clock = nullptr, StoreOptions options = {});

}  // namespace credo::store
