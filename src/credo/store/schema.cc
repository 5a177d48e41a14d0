// Migrations of the store's schema. Append a migration, never edit a released one: stores in the
// field were built by them. Names follow MLflow's SQL store (runs.run_uuid, latest_metrics...)
// so that anyone who knows MLflow's tables can read credo's.
#include "credo/store/schema.h"

#include <string>
#include <vector>

namespace credo::store {
namespace {

// 'CRDO': marks the file as a credo store, so another SQLite file is not taken for one.
constexpr int kApplicationId = 0x4352444F;

// Version 1: tracking (experiments, runs, params, metrics, tags).
constexpr const char* kTracking = R"sql(
CREATE TABLE experiments (
  experiment_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  lifecycle_stage TEXT NOT NULL DEFAULT 'active',
  creation_time INTEGER NOT NULL,
  last_update_time INTEGER NOT NULL);
CREATE TABLE experiment_tags (
  experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
  key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (experiment_id, key)) WITHOUT ROWID;
CREATE TABLE runs (
  run_uuid TEXT PRIMARY KEY,
  experiment_id INTEGER NOT NULL REFERENCES experiments(experiment_id),
  name TEXT NOT NULL,
  status TEXT NOT NULL,
  start_time INTEGER NOT NULL,
  end_time INTEGER,
  parent_run_id TEXT NOT NULL DEFAULT '',
  user_id TEXT NOT NULL DEFAULT '',
  source TEXT NOT NULL DEFAULT '',
  credo_version TEXT NOT NULL DEFAULT '',
  git_commit TEXT NOT NULL DEFAULT '',
  data_fingerprint TEXT NOT NULL DEFAULT '',
  lifecycle_stage TEXT NOT NULL DEFAULT 'active',
  artifact_dir TEXT NOT NULL);
CREATE INDEX runs_by_experiment ON runs(experiment_id, start_time);
CREATE INDEX runs_by_parent ON runs(parent_run_id);
CREATE TABLE params (
  run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
  key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (run_uuid, key)) WITHOUT ROWID;
CREATE TABLE tags (
  run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
  key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (run_uuid, key)) WITHOUT ROWID;
CREATE TABLE metrics (
  run_uuid TEXT NOT NULL,
  key TEXT NOT NULL,
  value REAL,
  is_nan INTEGER NOT NULL DEFAULT 0,
  timestamp INTEGER NOT NULL,
  step INTEGER NOT NULL);
CREATE INDEX metrics_by_run_key ON metrics(run_uuid, key, step);
CREATE TABLE latest_metrics (
  run_uuid TEXT NOT NULL,
  key TEXT NOT NULL,
  value REAL,
  is_nan INTEGER NOT NULL DEFAULT 0,
  timestamp INTEGER NOT NULL,
  step INTEGER NOT NULL,
  PRIMARY KEY (run_uuid, key)) WITHOUT ROWID;
INSERT INTO experiments (experiment_id, name, creation_time, last_update_time)
  VALUES (0, 'Default', CAST(strftime('%s','now') AS INTEGER) * 1000, CAST(strftime('%s','now') AS INTEGER) * 1000);
)sql";

// Version 2: the model registry, with aliases and the history of their moves.
constexpr const char* kRegistry = R"sql(
CREATE TABLE registered_models (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL DEFAULT '',
  creation_time INTEGER NOT NULL,
  last_update_time INTEGER NOT NULL);
CREATE TABLE registered_model_tags (
  name TEXT NOT NULL REFERENCES registered_models(name),
  key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (name, key)) WITHOUT ROWID;
CREATE TABLE model_versions (
  name TEXT NOT NULL REFERENCES registered_models(name),
  version INTEGER NOT NULL,
  run_uuid TEXT NOT NULL REFERENCES runs(run_uuid),
  source TEXT NOT NULL,
  artifact_dir TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'READY',
  description TEXT NOT NULL DEFAULT '',
  creation_time INTEGER NOT NULL,
  last_update_time INTEGER NOT NULL,
  PRIMARY KEY (name, version)) WITHOUT ROWID;
CREATE TABLE model_version_metrics (
  name TEXT NOT NULL, version INTEGER NOT NULL,
  key TEXT NOT NULL, value REAL,
  PRIMARY KEY (name, version, key)) WITHOUT ROWID;
CREATE TABLE model_version_tags (
  name TEXT NOT NULL, version INTEGER NOT NULL,
  key TEXT NOT NULL, value TEXT NOT NULL,
  PRIMARY KEY (name, version, key)) WITHOUT ROWID;
CREATE TABLE model_aliases (
  name TEXT NOT NULL REFERENCES registered_models(name),
  alias TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (name, alias)) WITHOUT ROWID;
CREATE TABLE alias_history (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  alias TEXT NOT NULL,
  from_version INTEGER,
  to_version INTEGER,
  moved_by TEXT NOT NULL,
  time INTEGER NOT NULL,
  reason TEXT NOT NULL);
)sql";

// Version 3: liveness of running runs (which host and process owns a run, its last heartbeat),
// so that a run whose process died can be told from one still working.
constexpr const char* kLiveness = R"sql(
ALTER TABLE runs ADD COLUMN host TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN pid INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN heartbeat_time INTEGER NOT NULL DEFAULT 0;
UPDATE runs SET heartbeat_time = COALESCE(end_time, start_time);
CREATE INDEX runs_by_status ON runs(status);
)sql";

// Version 4: the scoring service's prediction log (one row per scored application, for
// monitoring: what was asked, what was answered, by which version) and the true outcomes of
// clients as they become known. A known client's features are in the client store: only a
// posted application's inputs are kept (float32, little-endian, in the model's input order).
constexpr const char* kPredictions = R"sql(
CREATE TABLE predictions (
  request_id TEXT PRIMARY KEY,
  time INTEGER NOT NULL,
  model_name TEXT NOT NULL,
  model_version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  client_id INTEGER,
  probability REAL NOT NULL,
  decision TEXT NOT NULL,
  threshold REAL NOT NULL,
  latency_us INTEGER NOT NULL,
  features BLOB) WITHOUT ROWID;
CREATE INDEX predictions_by_time ON predictions(time);
CREATE TABLE outcomes (
  client_id INTEGER PRIMARY KEY,
  target INTEGER NOT NULL,
  time INTEGER NOT NULL,
  source TEXT NOT NULL DEFAULT '');
)sql";

// v5: the prediction log as an append-only rowid table. As a WITHOUT ROWID table keyed by random
// request ids, every event (up to 3 KB with a posted application's inputs) went to a random place
// in the B-tree: the writer managed ~14,000 events/s and the scoring service waited on it. Rows
// now append, and so do their request ids (increasing within a server, see api_server.cc) in
// their index. A request may log several events (a batch, /invocations with many rows), so a
// request id is not unique.
constexpr const char* kAppendOnlyPredictions = R"sql(
CREATE TABLE predictions_v5 (
  id INTEGER PRIMARY KEY,
  request_id TEXT NOT NULL,
  time INTEGER NOT NULL,
  model_name TEXT NOT NULL,
  model_version INTEGER NOT NULL,
  kind TEXT NOT NULL,
  client_id INTEGER,
  probability REAL NOT NULL,
  decision TEXT NOT NULL,
  threshold REAL NOT NULL,
  latency_us INTEGER NOT NULL,
  features BLOB);
INSERT INTO predictions_v5 (request_id, time, model_name, model_version, kind, client_id, probability, decision,
                            threshold, latency_us, features)
  SELECT request_id, time, model_name, model_version, kind, client_id, probability, decision, threshold, latency_us,
         features FROM predictions ORDER BY time, request_id;
DROP TABLE predictions;
ALTER TABLE predictions_v5 RENAME TO predictions;
CREATE INDEX predictions_by_time ON predictions(time);
CREATE INDEX predictions_by_request ON predictions(request_id);
)sql";

const std::vector<const char*>& migrations() {
  static const std::vector<const char*> list = {kTracking, kRegistry, kLiveness, kPredictions, kAppendOnlyPredictions};
  return list;
}

StatusOr<int> read_pragma(sql::Database& db, const char* pragma) {
  CREDO_ASSIGN_OR_RETURN(sql::Statement stmt, db.prepare(std::string("PRAGMA ") + pragma));
  CREDO_ASSIGN_OR_RETURN(bool row, stmt.step());
  return row ? static_cast<int>(stmt.int64(0)) : 0;
}

}  // namespace

int current_schema_version() { return static_cast<int>(migrations().size()); }

StatusOr<int> schema_version(sql::Database& db) { return read_pragma(db, "user_version"); }

Status migrate(sql::Database& db, int target_version) {
  int target = target_version < 0 ? current_schema_version() : target_version;
  CREDO_ASSIGN_OR_RETURN(int application_id, read_pragma(db, "application_id"));
  if (application_id != 0 && application_id != kApplicationId)
    return Status::FailedPrecondition(db.path() + ": this SQLite file is not a credo store");
  CREDO_ASSIGN_OR_RETURN(int version, schema_version(db));
  if (version == target) return Status::Ok();
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction transaction, sql::WriteTransaction::begin(db));
  // Another process may have migrated while we waited for the lock: read again under it.
  CREDO_ASSIGN_OR_RETURN(version, schema_version(db));
  if (version > current_schema_version())
    return Status::FailedPrecondition(db.path() + ": the store has schema version " + std::to_string(version) +
                                      ", newer than this credo's " + std::to_string(current_schema_version()) +
                                      "; use a newer credo");
  if (version > target)
    return Status::FailedPrecondition(db.path() + ": cannot migrate down from schema version " +
                                      std::to_string(version));
  if (version == 0 && application_id == 0) {
    CREDO_ASSIGN_OR_RETURN(sql::Statement tables, db.prepare("SELECT count(*) FROM sqlite_master"));
    CREDO_ASSIGN_OR_RETURN(bool row, tables.step());
    if (row && tables.int64(0) > 0)
      return Status::FailedPrecondition(db.path() + ": this SQLite file has tables but is not a credo store");
  }
  for (int v = version; v < target; ++v) {
    Status applied = db.exec(migrations()[static_cast<size_t>(v)]);
    if (!applied.ok())
      return Status::Internal("migration to schema version " + std::to_string(v + 1) + " failed: " + applied.message());
  }
  CREDO_RETURN_IF_ERROR(db.exec("PRAGMA application_id=" + std::to_string(kApplicationId) +
                                "; PRAGMA user_version=" + std::to_string(target) + ";"));
  return transaction.commit();
}

}  // namespace credo::store
