// The SQLite backend of Store: one database file in the store folder, one connection guarded by
// a mutex for the threads of a process, SQLite's file locks (WAL) between processes.
// Split by subject: sqlite_store.cc (experiments, runs), sqlite_search.cc (run search),
// sqlite_registry.cc (registered models, versions, aliases), sqlite_predictions.cc (the
// prediction log and outcomes).
#pragma once

#include <map>
#include <mutex>

#include "credo/store/sqlite.h"
#include "credo/store/store.h"

namespace credo::store {

class SqliteStore final : public Store {
 public:
  SqliteStore(std::filesystem::path root, sql::Database db, std::shared_ptr<const Clock> clock)
      : root_(std::move(root)), db_(std::move(db)), clock_(std::move(clock)) {}

  const std::filesystem::path& root() const override { return root_; }
  const Clock& clock() const override { return *clock_; }

  StatusOr<Experiment> get_or_create_experiment(const std::string& name) override;
  StatusOr<Experiment> get_experiment(int64_t id) override;
  StatusOr<Experiment> get_experiment_by_name(const std::string& name) override;
  StatusOr<std::vector<Experiment>> list_experiments() override;
  Status set_experiment_tag(int64_t id, const std::string& key, const std::string& value) override;

  StatusOr<RunInfo> create_run(const NewRun& run) override;
  Status log_batch(const std::string& run_id, const std::vector<Metric>& metrics,
                   const std::vector<std::pair<std::string, std::string>>& params,
                   const std::vector<std::pair<std::string, std::string>>& tags) override;
  Status heartbeat(const std::string& run_id) override;
  Status set_run_status(const std::string& run_id, RunStatus status) override;
  Status set_data_fingerprint(const std::string& run_id, const std::string& fingerprint) override;
  StatusOr<Run> get_run(const std::string& run_id_or_prefix) override;
  StatusOr<std::vector<Metric>> metric_history(const std::string& run_id, const std::string& key) override;
  StatusOr<std::vector<Run>> search_runs(const RunSearch& search) override;
  StatusOr<std::vector<RunInfo>> fail_dead_runs(int64_t stale_after_ms) override;

  StatusOr<RegisteredModel> create_registered_model(const std::string& name, const std::string& description) override;
  StatusOr<RegisteredModel> get_registered_model(const std::string& name) override;
  StatusOr<std::vector<RegisteredModel>> list_registered_models() override;
  StatusOr<ModelVersion> create_model_version(const std::string& name, const std::string& run_id,
                                              const std::string& artifact_path, const std::string& description) override;
  StatusOr<ModelVersion> get_model_version(const std::string& name, int64_t version) override;
  StatusOr<std::vector<ModelVersion>> list_model_versions(const std::string& name) override;
  Status set_alias(const std::string& name, const std::string& alias, int64_t version, const std::string& moved_by,
                   const std::string& reason) override;
  Status delete_alias(const std::string& name, const std::string& alias, const std::string& moved_by,
                      const std::string& reason) override;
  StatusOr<std::vector<AliasMove>> alias_history(const std::string& name) override;
  Status set_model_version_status(const std::string& name, int64_t version, const std::string& status) override;
  Status set_registered_model_tag(const std::string& name, const std::string& key, const std::string& value) override;
  Status set_model_version_tag(const std::string& name, int64_t version, const std::string& key,
                               const std::string& value) override;

  Status log_predictions(const std::vector<PredictionEvent>& events) override;
  StatusOr<std::vector<PredictionEvent>> list_predictions(int64_t since_ms, int64_t until_ms,
                                                          int64_t max_results) override;
  Status record_outcome(const Outcome& outcome) override;
  StatusOr<std::vector<Outcome>> list_outcomes() override;

 private:
  // Helpers that expect mutex_ held.
  StatusOr<Experiment> read_experiment(const char* where, const std::string& value);
  StatusOr<std::string> resolve_run_id(const std::string& run_id_or_prefix);
  StatusOr<RunInfo> read_run_info(const std::string& run_id);
  Status fill_run_data(Run& run);
  StatusOr<RegisteredModel> read_registered_model(const std::string& name);
  StatusOr<ModelVersion> read_model_version(const std::string& name, int64_t version);
  Status record_alias_move(const std::string& name, const std::string& alias, std::optional<int64_t> from,
                           std::optional<int64_t> to, const std::string& moved_by, const std::string& reason);
  std::string absolute(const std::string& relative) const { return (root_ / relative).string(); }
  // A prepared statement kept for the store's lifetime, reset and ready for new bindings: for
  // the statements run once per run or per metric point. Not for statements that nest.
  StatusOr<sql::BorrowedStatement> cached(const std::string& sql);

  std::filesystem::path root_;
  sql::Database db_;
  std::shared_ptr<const Clock> clock_;
  std::mutex mutex_;
  std::map<std::string, sql::Statement> statements_;
};

// The columns of `runs` read into a RunInfo, in the order read_run_columns expects.
extern const char* const kRunColumns;
RunInfo read_run_columns(const sql::Statement& stmt, const std::filesystem::path& root);

}  // namespace credo::store
