// Errors as values at every boundary (files, network, user input).
// A Status carries a code and a message that names the file, line, field and value;
// StatusOr<T> carries a value or the Status that explains why there is none.
#pragma once

#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace credo {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,  // the caller's input is wrong (a flag, a spec, a request)
  kNotFound,         // a file, table, column, client or run that does not exist
  kParseError,       // malformed input text (CSV, JSON, expression)
  kIoError,          // the operating system refused a read or a write
  kAlreadyExists,
  kFailedPrecondition,
  kInternal,
};

// Returns a short stable name for a code ("invalid argument", "parse error"...).
const char* status_code_name(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string m) { return {StatusCode::kInvalidArgument, std::move(m)}; }
  static Status NotFound(std::string m) { return {StatusCode::kNotFound, std::move(m)}; }
  static Status ParseError(std::string m) { return {StatusCode::kParseError, std::move(m)}; }
  static Status IoError(std::string m) { return {StatusCode::kIoError, std::move(m)}; }
  static Status AlreadyExists(std::string m) { return {StatusCode::kAlreadyExists, std::move(m)}; }
  static Status FailedPrecondition(std::string m) { return {StatusCode::kFailedPrecondition, std::move(m)}; }
  static Status Internal(std::string m) { return {StatusCode::kInternal, std::move(m)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "parse error: bureau.csv:12: ..." — what a person reads.
  std::string to_string() const;

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

// A value, or the error that explains its absence. Accessing value() of an error is a programming error.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : state_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  StatusOr(Status status) : state_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(state_).ok() && "StatusOr built from an OK status");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(state_);
  }
  T& value() & { assert(ok()); return std::get<T>(state_); }
  const T& value() const& { assert(ok()); return std::get<T>(state_); }
  // By value, not T&&: `for (auto& x : f().value())` would otherwise iterate a destroyed temporary.
  T value() && { assert(ok()); return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace credo

// Returns early from the enclosing function with the error of `expr` if it failed.
#define CREDO_RETURN_IF_ERROR(expr)              \
  do {                                           \
    ::credo::Status credo_status_ = (expr);      \
    if (!credo_status_.ok()) return credo_status_; \
  } while (0)

#define CREDO_CONCAT_INNER(a, b) a##b
#define CREDO_CONCAT(a, b) CREDO_CONCAT_INNER(a, b)
// Declares `lhs` from a StatusOr, or returns its error.
#define CREDO_ASSIGN_OR_RETURN(lhs, expr)                          \
  auto CREDO_CONCAT(credo_or_, __LINE__) = (expr);                 \
  if (!CREDO_CONCAT(credo_or_, __LINE__).ok())                     \
    return CREDO_CONCAT(credo_or_, __LINE__).status();             \
  lhs = std::move(CREDO_CONCAT(credo_or_, __LINE__)).value()
