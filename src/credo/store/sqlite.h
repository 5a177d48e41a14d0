// The one adapter around SQLite's C API: a connection, prepared statements and write
// transactions that wait out other processes' locks. Every sqlite3_* call in credo lives here,
// so the store's logic reads as SQL plus values and a PostgreSQL backend can mirror it.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "credo/base/status.h"

struct sqlite3;
struct sqlite3_stmt;

namespace credo::sql {

class Database;

// A prepared statement. Bind parameters are 1-based, columns 0-based (SQLite's convention).
class Statement {
 public:
  Statement() = default;
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement();

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, int value) { return bind(index, static_cast<int64_t>(value)); }
  Statement& bind(int index, double value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind_null(int index);
  Statement& bind(int index, const std::optional<int64_t>& value);
  // Bytes as a BLOB (copied); empty binds a zero-length BLOB.
  Statement& bind_blob(int index, std::span<const std::byte> bytes);

  // Advances to the next row: true when a row is ready, false when done; errors as Status.
  StatusOr<bool> step();
  // Steps through every row, calling `on_row()` for each (it reads the columns of this statement).
  template <typename OnRow>
  Status for_each_row(OnRow&& on_row) {
    while (true) {
      StatusOr<bool> row = step();
      if (!row.ok()) return row.status();
      if (!*row) return Status::Ok();
      on_row();
    }
  }
  // Runs a statement that returns no rows (or ignores them).
  Status run();
  // Makes the statement ready to run again with new bindings.
  void reset();

  bool is_null(int column) const;
  int64_t int64(int column) const;
  double real(int column) const;
  std::string text(int column) const;
  std::optional<int64_t> optional_int64(int column) const;
  // A BLOB column's bytes (empty for NULL).
  std::span<const std::byte> blob(int column) const;

 private:
  friend class Database;
  Statement(sqlite3_stmt* stmt, Database* db) : stmt_(stmt), db_(db) {}
  sqlite3_stmt* stmt_ = nullptr;
  Database* db_ = nullptr;
};

// A statement borrowed from a cache: reset when the borrower is done, so that it never holds a
// read transaction open (which would pin an old snapshot and stop WAL checkpoints).
class BorrowedStatement {
 public:
  explicit BorrowedStatement(Statement* stmt) : stmt_(stmt) {}
  BorrowedStatement(BorrowedStatement&& other) noexcept : stmt_(other.stmt_) { other.stmt_ = nullptr; }
  BorrowedStatement(const BorrowedStatement&) = delete;
  BorrowedStatement& operator=(const BorrowedStatement&) = delete;
  BorrowedStatement& operator=(BorrowedStatement&&) = delete;
  ~BorrowedStatement() {
    if (stmt_) stmt_->reset();
  }
  Statement* operator->() const { return stmt_; }
  Statement& operator*() const { return *stmt_; }

 private:
  Statement* stmt_;
};

// One connection to a database file, opened in WAL mode with a busy timeout, so that several
// processes and threads can read while one writes. Not thread-safe: one per thread, or guarded.
class Database {
 public:
  // Opens (creating when `create` is set) the database file at `path`. A statement waits up to
  // `busy_timeout_ms` for another connection's lock before failing busy. `sync_each_commit`
  // chooses synchronous=FULL over NORMAL (see the comment in open()).
  static StatusOr<Database> open(const std::string& path, bool create, int busy_timeout_ms = 30000,
                                 bool sync_each_commit = false);

  Database() = default;
  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  StatusOr<Statement> prepare(std::string_view sql);
  // Runs one or more statements without parameters.
  Status exec(std::string_view sql);
  int64_t last_insert_rowid() const;
  int changes() const;
  const std::string& path() const { return path_; }

  // The error of the last call, as a Status naming the database file.
  Status error(std::string_view what) const;

 private:
  sqlite3* db_ = nullptr;
  std::string path_;
};

// A write transaction (BEGIN IMMEDIATE, so the write lock is taken up front and a busy database
// is waited for instead of failing half-way). Rolls back unless commit() succeeded.
class WriteTransaction {
 public:
  static StatusOr<WriteTransaction> begin(Database& db);
  WriteTransaction(WriteTransaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;
  WriteTransaction& operator=(WriteTransaction&&) = delete;
  ~WriteTransaction();
  Status commit();

 private:
  explicit WriteTransaction(Database* db) : db_(db) {}
  Database* db_;
};

// A read transaction: every statement inside sees one snapshot of the store, and the file locks
// are taken once instead of once per statement (most of the cost of reading many small rows).
class ReadTransaction {
 public:
  static StatusOr<ReadTransaction> begin(Database& db);
  ReadTransaction(ReadTransaction&& other) noexcept : db_(other.db_) { other.db_ = nullptr; }
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;
  ReadTransaction& operator=(ReadTransaction&&) = delete;
  ~ReadTransaction();

 private:
  explicit ReadTransaction(Database* db) : db_(db) {}
  Database* db_;
};

}  // namespace credo::sql
