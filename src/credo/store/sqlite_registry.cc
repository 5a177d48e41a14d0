// SQLite store: the model registry. A version is an immutable copy of a run's model folder under
// registry/<name>/<version>/ (files made read-only, content fingerprinted), numbered from 1;
// aliases point at versions and every move is kept in alias_history.
#include <cmath>

#include "credo/base/fingerprint.h"
#include "credo/store/artifacts.h"
#include "credo/store/names.h"
#include "credo/store/sqlite_store.h"

namespace credo::store {
namespace fs = std::filesystem;

namespace {

constexpr const char* kVersionColumns =
    "name, version, run_uuid, source, artifact_dir, content_hash, status, description, creation_time, last_update_time";

void make_read_only(const fs::path& dir) {
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec))
    if (it->is_regular_file())
      fs::permissions(it->path(), fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read,
                      fs::perm_options::replace, ec);
}

}  // namespace

StatusOr<RegisteredModel> SqliteStore::read_registered_model(const std::string& name) {
  CREDO_ASSIGN_OR_RETURN(sql::Statement stmt,
                         db_.prepare("SELECT name, description, creation_time, last_update_time, "
                                     "(SELECT COALESCE(MAX(version), 0) FROM model_versions v WHERE v.name = m.name) "
                                     "FROM registered_models m WHERE name = ?"));
  stmt.bind(1, name);
  CREDO_ASSIGN_OR_RETURN(bool row, stmt.step());
  if (!row) return Status::NotFound("no registered model named '" + name + "' (see `credo models list`)");
  RegisteredModel model{stmt.text(0), stmt.text(1), stmt.int64(2), stmt.int64(3), {}, {}, stmt.int64(4)};
  CREDO_ASSIGN_OR_RETURN(sql::Statement tags, db_.prepare("SELECT key, value FROM registered_model_tags WHERE name = ?"));
  tags.bind(1, name);
  CREDO_RETURN_IF_ERROR(tags.for_each_row([&] {
    model.tags[tags.text(0)] = tags.text(1);
  }));
  CREDO_ASSIGN_OR_RETURN(sql::Statement aliases, db_.prepare("SELECT alias, version FROM model_aliases WHERE name = ?"));
  aliases.bind(1, name);
  CREDO_RETURN_IF_ERROR(aliases.for_each_row([&] {
    model.aliases[aliases.text(0)] = aliases.int64(1);
  }));
  return model;
}

StatusOr<ModelVersion> SqliteStore::read_model_version(const std::string& name, int64_t version) {
  CREDO_ASSIGN_OR_RETURN(sql::Statement stmt,
                         db_.prepare(std::string("SELECT ") + kVersionColumns +
                                     " FROM model_versions WHERE name = ? AND version = ?"));
  stmt.bind(1, name).bind(2, version);
  CREDO_ASSIGN_OR_RETURN(bool row, stmt.step());
  if (!row) {
    CREDO_RETURN_IF_ERROR(read_registered_model(name).status());
    return Status::NotFound("model '" + name + "' has no version " + std::to_string(version));
  }
  ModelVersion v;
  v.name = stmt.text(0);
  v.version = stmt.int64(1);
  v.run_id = stmt.text(2);
  v.source = stmt.text(3);
  v.artifact_dir = absolute(stmt.text(4));
  v.content_hash = stmt.text(5);
  v.status = stmt.text(6);
  v.description = stmt.text(7);
  v.creation_time_ms = stmt.int64(8);
  v.last_update_time_ms = stmt.int64(9);
  for (const char* table : {"model_version_metrics", "model_version_tags"}) {
    CREDO_ASSIGN_OR_RETURN(sql::Statement kv, db_.prepare(std::string("SELECT key, value FROM ") + table +
                                                          " WHERE name = ? AND version = ?"));
    kv.bind(1, name).bind(2, version);
    CREDO_RETURN_IF_ERROR(kv.for_each_row([&] {
      if (table[14] == 'm')
        v.metrics[kv.text(0)] = kv.is_null(1) ? std::nan("") : kv.real(1);
      else
        v.tags[kv.text(0)] = kv.text(1);
    }));
  }
  return v;
}

StatusOr<RegisteredModel> SqliteStore::create_registered_model(const std::string& name, const std::string& description) {
  CREDO_RETURN_IF_ERROR(validate_model_name(name));
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(sql::Statement insert, db_.prepare("INSERT INTO registered_models VALUES (?, ?, ?, ?)"));
  int64_t now = clock_->now_ms();
  Status inserted = insert.bind(1, name).bind(2, description).bind(3, now).bind(4, now).run();
  if (inserted.code() == StatusCode::kAlreadyExists)
    return Status::AlreadyExists("a registered model named '" + name + "' already exists");
  CREDO_RETURN_IF_ERROR(inserted);
  CREDO_RETURN_IF_ERROR(tx.commit());
  return read_registered_model(name);
}

StatusOr<RegisteredModel> SqliteStore::get_registered_model(const std::string& name) {
  std::lock_guard lock(mutex_);
  return read_registered_model(name);
}

StatusOr<std::vector<RegisteredModel>> SqliteStore::list_registered_models() {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::Statement stmt, db_.prepare("SELECT name FROM registered_models ORDER BY name"));
  std::vector<std::string> names;
  CREDO_RETURN_IF_ERROR(stmt.for_each_row([&] {
    names.push_back(stmt.text(0));
  }));
  std::vector<RegisteredModel> models;
  for (const std::string& name : names) {
    CREDO_ASSIGN_OR_RETURN(RegisteredModel model, read_registered_model(name));
    models.push_back(std::move(model));
  }
  return models;
}

StatusOr<ModelVersion> SqliteStore::create_model_version(const std::string& name, const std::string& run_id,
                                                         const std::string& artifact_path,
                                                         const std::string& description) {
  CREDO_RETURN_IF_ERROR(validate_model_name(name));
  CREDO_RETURN_IF_ERROR(validate_artifact_path(artifact_path));
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(std::string id, resolve_run_id(run_id));
  CREDO_ASSIGN_OR_RETURN(RunInfo run, read_run_info(id));
  fs::path source_dir = fs::path(run.artifact_dir) / artifact_path;
  std::error_code ec;
  if (!fs::exists(source_dir, ec))
    return Status::NotFound("run " + id + " has no artifact '" + artifact_path + "' to register");
  if (!fs::is_directory(source_dir, ec))
    return Status::InvalidArgument("artifact '" + artifact_path + "' of run " + id +
                                   " is a file; a model is a folder (a model bundle)");

  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  int64_t now = clock_->now_ms();
  CREDO_ASSIGN_OR_RETURN(sql::Statement model,
                         db_.prepare("INSERT INTO registered_models VALUES (?, '', ?, ?) "
                                     "ON CONFLICT(name) DO UPDATE SET last_update_time = excluded.last_update_time"));
  CREDO_RETURN_IF_ERROR(model.bind(1, name).bind(2, now).bind(3, now).run());
  CREDO_ASSIGN_OR_RETURN(sql::Statement next,
                         db_.prepare("SELECT COALESCE(MAX(version), 0) + 1 FROM model_versions WHERE name = ?"));
  next.bind(1, name);
  CREDO_ASSIGN_OR_RETURN(bool row, next.step());
  int64_t version = row ? next.int64(0) : 1;

  std::string relative_dir = "registry/" + name + "/" + std::to_string(version);
  fs::path version_dir = root_ / relative_dir;
  fs::remove_all(version_dir, ec);  // left by a registration that crashed before committing
  CREDO_RETURN_IF_ERROR(copy_atomically(source_dir, version_dir));
  auto content_hash = fingerprint_tree(version_dir);
  auto fail = [&](Status status) {
    fs::remove_all(version_dir, ec);
    return status;
  };
  if (!content_hash.ok()) return fail(content_hash.status());
  make_read_only(version_dir);

  auto insert = db_.prepare(std::string("INSERT INTO model_versions (") + kVersionColumns +
                            ") VALUES (?, ?, ?, ?, ?, ?, 'READY', ?, ?, ?)");
  if (!insert.ok()) return fail(insert.status());
  insert->bind(1, name).bind(2, version).bind(3, id).bind(4, "runs:/" + id + "/" + artifact_path);
  insert->bind(5, relative_dir).bind(6, *content_hash).bind(7, description).bind(8, now).bind(9, now);
  if (Status s = insert->run(); !s.ok()) return fail(s);
  auto metrics = db_.prepare("INSERT INTO model_version_metrics SELECT ?, ?, key, value FROM latest_metrics "
                             "WHERE run_uuid = ? AND is_nan = 0");
  if (!metrics.ok()) return fail(metrics.status());
  if (Status s = metrics->bind(1, name).bind(2, version).bind(3, id).run(); !s.ok()) return fail(s);
  if (Status s = tx.commit(); !s.ok()) return fail(s);
  return read_model_version(name, version);
}

StatusOr<ModelVersion> SqliteStore::get_model_version(const std::string& name, int64_t version) {
  std::lock_guard lock(mutex_);
  return read_model_version(name, version);
}

StatusOr<std::vector<ModelVersion>> SqliteStore::list_model_versions(const std::string& name) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(RegisteredModel model, read_registered_model(name));
  std::vector<ModelVersion> versions;
  for (int64_t v = 1; v <= model.latest_version; ++v) {
    CREDO_ASSIGN_OR_RETURN(ModelVersion version, read_model_version(name, v));
    versions.push_back(std::move(version));
  }
  return versions;
}

Status SqliteStore::record_alias_move(const std::string& name, const std::string& alias, std::optional<int64_t> from,
                                      std::optional<int64_t> to, const std::string& moved_by,
                                      const std::string& reason) {
  CREDO_ASSIGN_OR_RETURN(sql::Statement history,
                         db_.prepare("INSERT INTO alias_history (name, alias, from_version, to_version, moved_by, time, "
                                     "reason) VALUES (?, ?, ?, ?, ?, ?, ?)"));
  int64_t now = clock_->now_ms();
  history.bind(1, name).bind(2, alias).bind(3, from).bind(4, to).bind(5, moved_by).bind(6, now).bind(7, reason);
  CREDO_RETURN_IF_ERROR(history.run());
  CREDO_ASSIGN_OR_RETURN(sql::Statement touch, db_.prepare("UPDATE registered_models SET last_update_time = ? WHERE name = ?"));
  return touch.bind(1, now).bind(2, name).run();
}

Status SqliteStore::set_alias(const std::string& name, const std::string& alias, int64_t version,
                              const std::string& moved_by, const std::string& reason) {
  CREDO_RETURN_IF_ERROR(validate_alias(alias));
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(ModelVersion target, read_model_version(name, version));
  if (target.status != "READY")
    return Status::FailedPrecondition("version " + std::to_string(version) + " of '" + name + "' is " +
                                      target.status + " and can't take the alias '" + alias + "'");
  CREDO_ASSIGN_OR_RETURN(RegisteredModel model, read_registered_model(name));
  std::optional<int64_t> from;
  if (auto it = model.aliases.find(alias); it != model.aliases.end()) from = it->second;
  if (from == version) return Status::Ok();
  CREDO_ASSIGN_OR_RETURN(sql::Statement upsert,
                         db_.prepare("INSERT INTO model_aliases VALUES (?, ?, ?) "
                                     "ON CONFLICT(name, alias) DO UPDATE SET version = excluded.version"));
  CREDO_RETURN_IF_ERROR(upsert.bind(1, name).bind(2, alias).bind(3, version).run());
  CREDO_RETURN_IF_ERROR(record_alias_move(name, alias, from, version, moved_by, reason));
  return tx.commit();
}

Status SqliteStore::delete_alias(const std::string& name, const std::string& alias, const std::string& moved_by,
                                 const std::string& reason) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(RegisteredModel model, read_registered_model(name));
  auto it = model.aliases.find(alias);
  if (it == model.aliases.end()) return Status::NotFound("model '" + name + "' has no alias '" + alias + "'");
  CREDO_ASSIGN_OR_RETURN(sql::Statement remove, db_.prepare("DELETE FROM model_aliases WHERE name = ? AND alias = ?"));
  CREDO_RETURN_IF_ERROR(remove.bind(1, name).bind(2, alias).run());
  CREDO_RETURN_IF_ERROR(record_alias_move(name, alias, it->second, std::nullopt, moved_by, reason));
  return tx.commit();
}

StatusOr<std::vector<AliasMove>> SqliteStore::alias_history(const std::string& name) {
  std::lock_guard lock(mutex_);
  CREDO_RETURN_IF_ERROR(read_registered_model(name).status());
  CREDO_ASSIGN_OR_RETURN(sql::Statement stmt,
                         db_.prepare("SELECT name, alias, from_version, to_version, moved_by, time, reason "
                                     "FROM alias_history WHERE name = ? ORDER BY id"));
  stmt.bind(1, name);
  std::vector<AliasMove> moves;
  CREDO_RETURN_IF_ERROR(stmt.for_each_row([&] {
    moves.push_back(AliasMove{stmt.text(0), stmt.text(1), stmt.optional_int64(2), stmt.optional_int64(3),
                              stmt.text(4), stmt.int64(5), stmt.text(6)});
  }));
  return moves;
}

Status SqliteStore::set_model_version_status(const std::string& name, int64_t version, const std::string& status) {
  if (status != "READY" && status != "ARCHIVED")
    return Status::InvalidArgument("model version status must be READY or ARCHIVED, not '" + status + "'");
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_RETURN_IF_ERROR(read_model_version(name, version).status());
  if (status == "ARCHIVED") {
    CREDO_ASSIGN_OR_RETURN(RegisteredModel model, read_registered_model(name));
    for (const auto& [alias, v] : model.aliases)
      if (v == version)
        return Status::FailedPrecondition("version " + std::to_string(version) + " of '" + name +
                                          "' holds the alias '" + alias + "'; move it before archiving");
  }
  CREDO_ASSIGN_OR_RETURN(sql::Statement update,
                         db_.prepare("UPDATE model_versions SET status = ?, last_update_time = ? WHERE name = ? AND version = ?"));
  CREDO_RETURN_IF_ERROR(update.bind(1, status).bind(2, clock_->now_ms()).bind(3, name).bind(4, version).run());
  return tx.commit();
}

Status SqliteStore::set_registered_model_tag(const std::string& name, const std::string& key, const std::string& value) {
  CREDO_RETURN_IF_ERROR(validate_key("tag", key));
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_RETURN_IF_ERROR(read_registered_model(name).status());
  CREDO_ASSIGN_OR_RETURN(sql::Statement upsert,
                         db_.prepare("INSERT INTO registered_model_tags VALUES (?, ?, ?) "
                                     "ON CONFLICT(name, key) DO UPDATE SET value = excluded.value"));
  CREDO_RETURN_IF_ERROR(upsert.bind(1, name).bind(2, key).bind(3, value).run());
  return tx.commit();
}

Status SqliteStore::set_model_version_tag(const std::string& name, int64_t version, const std::string& key,
                                          const std::string& value) {
  CREDO_RETURN_IF_ERROR(validate_key("tag", key));
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::WriteTransaction tx, sql::WriteTransaction::begin(db_));
  CREDO_RETURN_IF_ERROR(read_model_version(name, version).status());
  CREDO_ASSIGN_OR_RETURN(sql::Statement upsert,
                         db_.prepare("INSERT INTO model_version_tags VALUES (?, ?, ?, ?) "
                                     "ON CONFLICT(name, version, key) DO UPDATE SET value = excluded.value"));
  CREDO_RETURN_IF_ERROR(upsert.bind(1, name).bind(2, version).bind(3, key).bind(4, value).run());
  return tx.commit();
}

}  // namespace credo::store
