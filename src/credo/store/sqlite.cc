// SQLite adapter: connections in WAL mode, statements, and write transactions that retry
// when another process holds the lock longer than the busy timeout.
#include "credo/store/sqlite.h"

#include <sqlite3.h>

#include <chrono>
#include <thread>

namespace credo::sql {

Statement::Statement(Statement&& other) noexcept : stmt_(other.stmt_), db_(other.db_) {
  other.stmt_ = nullptr;
}

Statement& Statement::operator=(Statement&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = other.stmt_;
    db_ = other.db_;
    other.stmt_ = nullptr;
  }
  return *this;
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement& Statement::bind(int index, int64_t value) {
  sqlite3_bind_int64(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, double value) {
  sqlite3_bind_double(stmt_, index, value);
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_blob(int index, std::span<const std::byte> bytes) {
  sqlite3_bind_blob64(stmt_, index, bytes.empty() ? "" : static_cast<const void*>(bytes.data()), bytes.size(),
                      SQLITE_TRANSIENT);
  return *this;
}

Statement& Statement::bind_null(int index) {
  sqlite3_bind_null(stmt_, index);
  return *this;
}

Statement& Statement::bind(int index, const std::optional<int64_t>& value) {
  return value ? bind(index, *value) : bind_null(index);
}

StatusOr<bool> Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Status status = db_->error("statement");
  sqlite3_reset(stmt_);
  return status;
}

Status Statement::run() {
  auto stepped = step();
  if (!stepped.ok()) return stepped.status();
  sqlite3_reset(stmt_);
  return Status::Ok();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }
int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }
double Statement::real(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::text(int column) const {
  const unsigned char* p = sqlite3_column_text(stmt_, column);
  if (!p) return {};
  return std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::span<const std::byte> Statement::blob(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  if (!p) return {};
  return {static_cast<const std::byte*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, column))};
}

std::optional<int64_t> Statement::optional_int64(int column) const {
  if (is_null(column)) return std::nullopt;
  return int64(column);
}

StatusOr<Database> Database::open(const std::string& path, bool create, int busy_timeout_ms, bool sync_each_commit) {
  Database db;
  db.path_ = path;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db.db_, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status status = db.db_ ? db.error("open") : Status::IoError(path + ": cannot open database");
    return status;
  }
  sqlite3_busy_timeout(db.db_, busy_timeout_ms);
  sqlite3_extended_result_codes(db.db_, 1);
  // WAL: readers never block the writer, and a commit is one append to the log file.
  // synchronous=NORMAL: a commit has reached the operating system (write(2)) when it returns, so
  // it survives the crash or kill -9 of any process; the log is fsynced only at checkpoints, so a
  // power cut or a kernel crash may roll back the last commits (the database stays consistent).
  // synchronous=FULL: the log is also fsynced at every commit, so a commit survives a power cut,
  // for one fsync per transaction (the prediction log's group commit shares it among callers).
  // A 64 MB page cache keeps the indexes of a store of tens of thousands of runs in memory.
  CREDO_RETURN_IF_ERROR(db.exec(std::string("PRAGMA journal_mode=WAL; PRAGMA synchronous=") +
                                (sync_each_commit ? "FULL" : "NORMAL") +
                                "; PRAGMA foreign_keys=ON; PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; "
                                "PRAGMA wal_autocheckpoint=8192;"));
  return db;
}

Database::Database(Database&& other) noexcept : db_(other.db_), path_(std::move(other.path_)) {
  other.db_ = nullptr;
}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = other.db_;
    path_ = std::move(other.path_);
    other.db_ = nullptr;
  }
  return *this;
}

Database::~Database() { sqlite3_close_v2(db_); }

StatusOr<Statement> Database::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) return error("prepare");
  return Statement(stmt, this);
}

Status Database::exec(std::string_view sql) {
  std::string text(sql);
  char* message = nullptr;
  int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Status::Ok();
  std::string what = message ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  StatusCode code = (rc & 0xff) == SQLITE_BUSY ? StatusCode::kFailedPrecondition : StatusCode::kIoError;
  return Status(code, path_ + ": " + what);
}

int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

Status Database::error(std::string_view what) const {
  int rc = sqlite3_extended_errcode(db_);
  std::string message = path_ + ": " + std::string(what) + ": " + sqlite3_errmsg(db_);
  switch (rc & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return Status::FailedPrecondition(message + " (the store is locked by another process)");
    case SQLITE_CONSTRAINT:
      return Status::AlreadyExists(message);
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return Status::IoError(message + " (not a credo store, or a damaged one)");
    default:
      return Status::IoError(message);
  }
}

StatusOr<WriteTransaction> WriteTransaction::begin(Database& db) {
  // The busy timeout already waits (30 s by default); a few more attempts with a growing pause
  // cover a writer that holds the lock for longer (a large batch) without failing the caller's
  // run. After them the lock is reported busy (kFailedPrecondition), and the caller decides.
  Status last;
  for (int attempt = 0; attempt < 5; ++attempt) {
    last = db.exec("BEGIN IMMEDIATE");
    if (last.ok()) return WriteTransaction(&db);
    if (last.code() != StatusCode::kFailedPrecondition) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(50 << attempt));
  }
  return last;
}

WriteTransaction::~WriteTransaction() {
  if (db_) (void)db_->exec("ROLLBACK");
}

Status WriteTransaction::commit() {
  Status status = db_->exec("COMMIT");
  if (status.ok()) db_ = nullptr;
  return status;
}

StatusOr<ReadTransaction> ReadTransaction::begin(Database& db) {
  CREDO_RETURN_IF_ERROR(db.exec("BEGIN DEFERRED"));
  return ReadTransaction(&db);
}

ReadTransaction::~ReadTransaction() {
  if (db_) (void)db_->exec("COMMIT");
}

}  // namespace credo::sql
