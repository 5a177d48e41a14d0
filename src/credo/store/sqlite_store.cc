// SQLite store: opening and migrating, experiments, runs and what they log.
#include "credo/store/sqlite_store.h"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <random>
#include <unordered_map>

#include "credo/store/names.h"
#include "credo/store/schema.h"

namespace credo::store {
namespace fs = std::filesystem;

const char* const kRunColumns =
    "run_uuid, experiment_id, name, status, start_time, end_time, parent_run_id, user_id, source, "
    "credo_version, git_commit, data_fingerprint, host, pid, heartbeat_time, lifecycle_stage, artifact_dir";

RunInfo read_run_columns(const sql::Statement& stmt, const fs::path& root) {
  RunInfo info;
  info.run_id = stmt.text(0);
  info.experiment_id = stmt.int64(1);
  info.run_name = stmt.text(2);
  info.status = parse_run_status(stmt.text(3)).value_or(RunStatus::kFailed);
  info.start_time_ms = stmt.int64(4);
  info.end_time_ms = stmt.optional_int64(5);
  info.parent_run_id = stmt.text(6);
  info.user = stmt.text(7);
  info.source = stmt.text(8);
  info.credo_version = stmt.text(9);
  info.git_commit = stmt.text(10);
  info.data_fingerprint = stmt.text(11);
  info.host = stmt.text(12);
  info.pid = stmt.int64(13);
  info.heartbeat_ms = stmt.int64(14);
  info.lifecycle_stage = stmt.text(15);
  info.artifact_dir = (root / stmt.text(16)).string();
  return info;
}

namespace {

std::string new_run_id() {
  std::random_device random;
  std::mt19937_64 bits((static_cast<uint64_t>(random()) << 32) ^ random());
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(bits()),
                static_cast<unsigned long long>(bits()));
  return buf;
}

// A readable default run name, as MLflow gives one ("wistful-ant-659"), from the run id.
std::string default_run_name(const std::string& run_id) {
  static const char* kAdjectives[] = {"amber", "brisk", "calm", "deft", "eager", "fair", "keen", "lucid",
                                      "mellow", "nimble", "quiet", "steady", "swift", "tidy", "vivid", "wise"};
  static const char* kNouns[] = {"badger", "crane", "dolphin", "falcon", "gecko", "heron", "ibis", "lynx",
                                 "marten", "otter", "owl", "panda", "quail", "robin", "seal", "wren"};
  uint64_t h = std::stoull(run_id.substr(0, 12), nullptr, 16);
  return std::string(kAdjectives[h % 16]) + "-" + kNouns[(h / 16) % 16] + "-" + std::to_string((h / 256) % 1000);
}

bool process_is_gone(int64_t pid) { return pid > 0 && ::kill(static_cast<pid_t>(pid), 0) != 0 && errno == ESRCH; }

std::string this_host() {
  char name[256] = {};
  if (::gethostname(name, sizeof name - 1) != 0) return {};
  return name;
}

}  // namespace

StatusOr<std::unique_ptr<Store>> open_store(const fs::path& dir, bool create, std::shared_ptr<const Clock> clock,
                                            StoreOptions options) {
  std::error_code ec;
  fs::path db_path = dir / "store.db";
  if (!fs::exists(db_path, ec)) {
    if (!create)
      return Status::NotFound(dir.string() + ": no credo store here (give --store DIR or set CREDO_STORE)");
    fs::create_directories(dir, ec);
    if (ec) return Status::IoError(dir.string() + ": cannot create the store folder: " + ec.message());
  }
  CREDO_ASSIGN_OR_RETURN(sql::Database db, sql::Database::open(db_path.string(), create, options.lock_wait_ms,
                                                                  options.sync_each_commit));
  CREDO_RETURN_IF_ERROR(db.exec("PRAGMA case_sensitive_like=ON;"));  // LIKE as MLflow: case-sensitive
  CREDO_RETURN_IF_ERROR(migrate(db));
  if (!clock) clock = std::make_shared<SystemClock>();
  return std::unique_ptr<Store>(new SqliteStore(dir, std::move(db), std::move(clock)));
}

StatusOr<sql::BorrowedStatement> SqliteStore::cached(const std::string& sql) {
  auto it = statements_.find(sql);
  if (it == statements_.end()) {
    CREDO_ASSIGN_OR_RETURN(sql::Statement stmt, db_.prepare(sql));
    it = statements_.emplace(sql, std::move(stmt)).first;
  }
  return sql::BorrowedStatement(&it->second);
}

// --- experiments ---

StatusOr<Experiment> SqliteStore::read_experiment(const char* where, const std::string& value) {
  CREDO_ASSIGN_OR_RETURN(sql::Statement stmt,
                         db_.prepare(std::string("SELECT experiment_id, name, lifecycle_stage, creation_time, "
                                                 "last_update_time FROM experiments WHERE ") + where + " = ?"));
  stmt.bind(1, value);
  CREDO_ASSIGN_OR_RETURN(bool row, stmt.step());
  if (!row) return Status::NotFound("no experiment " + value);
  Experiment e{stmt.int64(0), stmt.text(1), stmt.text(2), stmt.int64(3), stmt.int64(4), {}};
  CREDO_ASSIGN_OR_RETURN(sql::Statement tags, db_.prepare("SELECT key, value FROM experiment_tags WHERE experiment_id = ?"));
  tags.bind(1, e.id);
  CREDO_RETURN_IF_ERROR(tags.for_each_row([&] {
    e.tags[tags.text(0)] = tags.text(1);
  }));
  return e;
}

StatusOr<Experiment> SqliteStore::get_or_create_experiment(const std::string& name) {
  if (name.empty()) return Status::InvalidArgument("experiment name is empty");
  std::lock_guard lock(mutex_);
  auto existing = read_experiment("name", name);
  if (existing.ok() || existing.status().code() != StatusCode::kNotFound) return existing;
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(sql::Statement insert,
                         db_.prepare("INSERT INTO experiments (name, creation_time, last_update_time) VALUES (?, ?, ?) "
                                     "ON CONFLICT(name) DO NOTHING"));
  int64_t now = clock_->now_ms();
  CREDO_RETURN_IF_ERROR(insert.bind(1, name).bind(2, now).bind(3, now).run());
  CREDO_RETURN_IF_ERROR(tx.commit());
  return read_experiment("name", name);
}

StatusOr<Experiment> SqliteStore::get_experiment(int64_t id) {
  std::lock_guard lock(mutex_);
  return read_experiment("experiment_id", std::to_string(id));
}

StatusOr<Experiment> SqliteStore::get_experiment_by_name(const std::string& name) {
  std::lock_guard lock(mutex_);
  auto e = read_experiment("name", name);
  if (!e.ok() && e.status().code() == StatusCode::kNotFound)
    return Status::NotFound("no experiment named '" + name + "' (see `credo experiments list`)");
  return e;
}

StatusOr<std::vector<Experiment>> SqliteStore::list_experiments() {
  std::vector<std::string> names;
  {
    std::lock_guard lock(mutex_);
    CREDO_ASSIGN_OR_RETURN(sql::Statement stmt, db_.prepare("SELECT name FROM experiments ORDER BY experiment_id"));
    CREDO_RETURN_IF_ERROR(stmt.for_each_row([&] {
      names.push_back(stmt.text(0));
    }));
  }
  std::vector<Experiment> experiments;
  for (const std::string& name : names) {
    CREDO_ASSIGN_OR_RETURN(Experiment e, get_experiment_by_name(name));
    experiments.push_back(std::move(e));
  }
  return experiments;
}

Status SqliteStore::set_experiment_tag(int64_t id, const std::string& key, const std::string& value) {
  CREDO_RETURN_IF_ERROR(validate_key("tag", key));
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(sql::Statement stmt,
                         db_.prepare("INSERT INTO experiment_tags VALUES (?, ?, ?) "
                                     "ON CONFLICT(experiment_id, key) DO UPDATE SET value = excluded.value"));
  Status inserted = stmt.bind(1, id).bind(2, key).bind(3, value).run();
  if (!inserted.ok()) return Status::NotFound("no experiment with id " + std::to_string(id));
  return tx.commit();
}

// --- runs ---

StatusOr<RunInfo> SqliteStore::create_run(const NewRun& run) {
  CREDO_ASSIGN_OR_RETURN(Experiment experiment, get_or_create_experiment(run.experiment_name));
  for (const auto& [key, value] : run.tags) CREDO_RETURN_IF_ERROR(validate_key("tag", key));
  std::string run_id = new_run_id();
  std::string artifact_dir = "artifacts/" + std::to_string(experiment.id) + "/" + run_id;
  std::lock_guard lock(mutex_);
  if (!run.parent_run_id.empty()) CREDO_RETURN_IF_ERROR(resolve_run_id(run.parent_run_id).status());
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(sql::Statement insert,
                         db_.prepare(std::string("INSERT INTO runs (") + kRunColumns +
                                     ") VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)"));
  int64_t now = clock_->now_ms();
  insert.bind(1, run_id).bind(2, experiment.id).bind(3, run.run_name.empty() ? default_run_name(run_id) : run.run_name);
  insert.bind(4, "RUNNING").bind(5, now).bind(6, run.parent_run_id).bind(7, run.user).bind(8, run.source);
  insert.bind(9, run.credo_version).bind(10, run.git_commit).bind(11, run.data_fingerprint);
  insert.bind(12, run.host.empty() ? this_host() : run.host).bind(13, run.pid).bind(14, now).bind(15, artifact_dir);
  CREDO_RETURN_IF_ERROR(insert.run());
  CREDO_ASSIGN_OR_RETURN(sql::Statement tag, db_.prepare("INSERT INTO tags VALUES (?, ?, ?)"));
  for (const auto& [key, value] : run.tags) {
    CREDO_RETURN_IF_ERROR(tag.bind(1, run_id).bind(2, key).bind(3, value).run());
    tag.reset();
  }
  CREDO_RETURN_IF_ERROR(tx.commit());
  return read_run_info(run_id);
}

StatusOr<std::string> SqliteStore::resolve_run_id(const std::string& id) {
  if (id.size() < 6 || id.size() > 32 || id.find_first_not_of("0123456789abcdef") != std::string::npos)
    return Status::NotFound("no run '" + id + "' (a run id is 32 hex digits; a unique prefix of 6 or more will do)");
  CREDO_ASSIGN_OR_RETURN(sql::BorrowedStatement stmt,
                         cached("SELECT run_uuid FROM runs WHERE run_uuid >= ? AND run_uuid < ? LIMIT 2"));
  std::string upper = id;
  upper.push_back('g');  // just past every id that starts with `id`
  stmt->bind(1, id).bind(2, upper);
  std::vector<std::string> found;
  CREDO_RETURN_IF_ERROR(stmt->for_each_row([&] {
    found.push_back(stmt->text(0));
  }));
  if (found.empty()) return Status::NotFound("no run '" + id + "' in the store");
  if (found.size() > 1) return Status::InvalidArgument("run prefix '" + id + "' matches several runs; give more digits");
  return found[0];
}

StatusOr<RunInfo> SqliteStore::read_run_info(const std::string& run_id) {
  CREDO_ASSIGN_OR_RETURN(sql::BorrowedStatement stmt,
                         cached(std::string("SELECT ") + kRunColumns + " FROM runs WHERE run_uuid = ?"));
  stmt->bind(1, run_id);
  CREDO_ASSIGN_OR_RETURN(bool row, stmt->step());
  if (!row) return Status::NotFound("no run '" + run_id + "' in the store");
  return read_run_columns(*stmt, root_);
}

Status SqliteStore::fill_run_data(Run& run) {
  const std::string& id = run.info.run_id;
  for (const char* table : {"params", "tags"}) {
    CREDO_ASSIGN_OR_RETURN(sql::BorrowedStatement stmt,
                           cached(std::string("SELECT key, value FROM ") + table + " WHERE run_uuid = ?"));
    stmt->bind(1, id);
    auto& into = table[0] == 'p' ? run.params : run.tags;
    CREDO_RETURN_IF_ERROR(stmt->for_each_row([&] {
      into.emplace_hint(into.end(), stmt->text(0), stmt->text(1));  // rows come in key order
    }));
  }
  CREDO_ASSIGN_OR_RETURN(sql::BorrowedStatement metrics,
                         cached("SELECT key, value, is_nan, timestamp, step FROM latest_metrics WHERE run_uuid = ?"));
  metrics->bind(1, id);
  CREDO_RETURN_IF_ERROR(metrics->for_each_row([&] {
    double value = metrics->int64(2) ? std::nan("") : metrics->real(1);
    std::string key = metrics->text(0);
    run.metrics.emplace_hint(run.metrics.end(), key, Metric{key, value, metrics->int64(3), metrics->int64(4)});
  }));
  return Status::Ok();
}

Status SqliteStore::log_batch(const std::string& run_id, const std::vector<Metric>& metrics,
                              const std::vector<std::pair<std::string, std::string>>& params,
                              const std::vector<std::pair<std::string, std::string>>& tags) {
  for (const Metric& m : metrics) CREDO_RETURN_IF_ERROR(validate_key("metric", m.key));
  for (const auto& [key, value] : params) {
    CREDO_RETURN_IF_ERROR(validate_key("param", key));
    if (value.size() > 6000) return Status::InvalidArgument("param '" + key + "' is longer than 6000 characters");
  }
  for (const auto& [key, value] : tags) CREDO_RETURN_IF_ERROR(validate_key("tag", key));
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(RunInfo info, read_run_info(run_id));
  if (info.lifecycle_stage != "active") return Status::FailedPrecondition("run " + run_id + " is deleted");
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));

  if (!metrics.empty()) {
    CREDO_ASSIGN_OR_RETURN(sql::BorrowedStatement insert, cached("INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)"));
    // The latest point of each key in this batch; only those touch latest_metrics.
    std::unordered_map<std::string_view, const Metric*> latest;
    for (const Metric& m : metrics) {
      insert->bind(1, run_id).bind(2, m.key);
      bool is_nan = std::isnan(m.value);
      is_nan ? insert->bind_null(3) : insert->bind(3, m.value);
      insert->bind(4, static_cast<int64_t>(is_nan)).bind(5, m.timestamp_ms).bind(6, m.step);
      CREDO_RETURN_IF_ERROR(insert->run());
      insert->reset();
      const Metric*& best = latest[m.key];
      if (!best || m.step > best->step || (m.step == best->step && m.timestamp_ms >= best->timestamp_ms)) best = &m;
    }
    CREDO_ASSIGN_OR_RETURN(
        sql::BorrowedStatement upsert,
        cached("INSERT INTO latest_metrics VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(run_uuid, key) DO UPDATE SET "
                    "value = excluded.value, is_nan = excluded.is_nan, timestamp = excluded.timestamp, "
                    "step = excluded.step WHERE excluded.step > latest_metrics.step OR "
                    "(excluded.step = latest_metrics.step AND excluded.timestamp >= latest_metrics.timestamp)"));
    for (const auto& [key, m] : latest) {
      upsert->bind(1, run_id).bind(2, key);
      bool is_nan = std::isnan(m->value);
      is_nan ? upsert->bind_null(3) : upsert->bind(3, m->value);
      upsert->bind(4, static_cast<int64_t>(is_nan)).bind(5, m->timestamp_ms).bind(6, m->step);
      CREDO_RETURN_IF_ERROR(upsert->run());
      upsert->reset();
    }
  }
  if (!params.empty()) {
    CREDO_ASSIGN_OR_RETURN(sql::BorrowedStatement existing, cached("SELECT value FROM params WHERE run_uuid = ? AND key = ?"));
    CREDO_ASSIGN_OR_RETURN(sql::BorrowedStatement insert, cached("INSERT INTO params VALUES (?, ?, ?)"));
    for (const auto& [key, value] : params) {
      existing->bind(1, run_id).bind(2, key);
      CREDO_ASSIGN_OR_RETURN(bool found, existing->step());
      std::string old = found ? existing->text(0) : std::string();
      existing->reset();
      if (found) {
        if (old != value)
          return Status::InvalidArgument("param '" + key + "' of run " + run_id + " is already '" + old +
                                         "'; a param can't change (got '" + value + "')");
        continue;
      }
      CREDO_RETURN_IF_ERROR(insert->bind(1, run_id).bind(2, key).bind(3, value).run());
      insert->reset();
    }
  }
  if (!tags.empty()) {
    CREDO_ASSIGN_OR_RETURN(sql::BorrowedStatement upsert,
                           cached("INSERT INTO tags VALUES (?, ?, ?) "
                                       "ON CONFLICT(run_uuid, key) DO UPDATE SET value = excluded.value"));
    for (const auto& [key, value] : tags) {
      CREDO_RETURN_IF_ERROR(upsert->bind(1, run_id).bind(2, key).bind(3, value).run());
      upsert->reset();
    }
  }
  CREDO_ASSIGN_OR_RETURN(sql::BorrowedStatement beat, cached("UPDATE runs SET heartbeat_time = ? WHERE run_uuid = ?"));
  CREDO_RETURN_IF_ERROR(beat->bind(1, clock_->now_ms()).bind(2, run_id).run());
  return tx.commit();
}

Status SqliteStore::heartbeat(const std::string& run_id) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(sql::BorrowedStatement beat, cached("UPDATE runs SET heartbeat_time = ? WHERE run_uuid = ?"));
  CREDO_RETURN_IF_ERROR(beat->bind(1, clock_->now_ms()).bind(2, run_id).run());
  if (db_.changes() == 0) return Status::NotFound("no run '" + run_id + "' in the store");
  return tx.commit();
}

Status SqliteStore::set_run_status(const std::string& run_id, RunStatus status) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(sql::BorrowedStatement stmt,
                         cached("UPDATE runs SET status = ?, end_time = ?, heartbeat_time = ? WHERE run_uuid = ?"));
  int64_t now = clock_->now_ms();
  bool ended = status != RunStatus::kRunning && status != RunStatus::kScheduled;
  stmt->bind(1, run_status_name(status)).bind(2, ended ? std::optional<int64_t>(now) : std::nullopt);
  CREDO_RETURN_IF_ERROR(stmt->bind(3, now).bind(4, run_id).run());
  if (db_.changes() == 0) return Status::NotFound("no run '" + run_id + "' in the store");
  return tx.commit();
}

Status SqliteStore::set_data_fingerprint(const std::string& run_id, const std::string& fingerprint) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(sql::Statement stmt, db_.prepare("UPDATE runs SET data_fingerprint = ? WHERE run_uuid = ?"));
  CREDO_RETURN_IF_ERROR(stmt.bind(1, fingerprint).bind(2, run_id).run());
  if (db_.changes() == 0) return Status::NotFound("no run '" + run_id + "' in the store");
  return tx.commit();
}

StatusOr<Run> SqliteStore::get_run(const std::string& run_id_or_prefix) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::ReadTransaction snapshot, sql::ReadTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(std::string run_id, resolve_run_id(run_id_or_prefix));
  Run run;
  CREDO_ASSIGN_OR_RETURN(run.info, read_run_info(run_id));
  CREDO_RETURN_IF_ERROR(fill_run_data(run));
  return run;
}

StatusOr<std::vector<Metric>> SqliteStore::metric_history(const std::string& run_id, const std::string& key) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(std::string id, resolve_run_id(run_id));
  CREDO_ASSIGN_OR_RETURN(sql::Statement stmt,
                         db_.prepare("SELECT value, is_nan, timestamp, step FROM metrics WHERE run_uuid = ? AND key = ? "
                                     "ORDER BY step, timestamp, rowid"));
  stmt.bind(1, id).bind(2, key);
  std::vector<Metric> points;
  CREDO_RETURN_IF_ERROR(stmt.for_each_row([&] {
    points.push_back(Metric{key, stmt.int64(1) ? std::nan("") : stmt.real(0), stmt.int64(2), stmt.int64(3)});
  }));
  return points;
}

StatusOr<std::vector<RunInfo>> SqliteStore::fail_dead_runs(int64_t stale_after_ms) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(sql::Statement running,
                         db_.prepare(std::string("SELECT ") + kRunColumns + " FROM runs WHERE status = 'RUNNING'"));
  int64_t now = clock_->now_ms();
  std::string host = this_host();
  std::vector<RunInfo> dead;
  CREDO_RETURN_IF_ERROR(running.for_each_row([&] {
    RunInfo info = read_run_columns(running, root_);
    bool stale = now - info.heartbeat_ms > stale_after_ms;
    bool gone = !info.host.empty() && info.host == host && process_is_gone(info.pid);
    if (stale || gone) dead.push_back(std::move(info));
  }));
  CREDO_ASSIGN_OR_RETURN(sql::Statement fail,
                         db_.prepare("UPDATE runs SET status = 'FAILED', end_time = ? WHERE run_uuid = ? AND status = 'RUNNING'"));
  CREDO_ASSIGN_OR_RETURN(sql::Statement tag,
                         db_.prepare("INSERT INTO tags VALUES (?, 'credo.failure', ?) "
                                     "ON CONFLICT(run_uuid, key) DO UPDATE SET value = excluded.value"));
  for (RunInfo& info : dead) {
    CREDO_RETURN_IF_ERROR(fail.bind(1, now).bind(2, info.run_id).run());
    fail.reset();
    std::string why = "the process that ran it stopped without ending it (last heartbeat " +
                      std::to_string((now - info.heartbeat_ms) / 1000) + " s before `runs gc`)";
    CREDO_RETURN_IF_ERROR(tag.bind(1, info.run_id).bind(2, why).run());
    tag.reset();
    info.status = RunStatus::kFailed;
    info.end_time_ms = now;
  }
  CREDO_RETURN_IF_ERROR(tx.commit());
  return dead;
}

}  // namespace credo::store
