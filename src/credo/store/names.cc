// Name rules of the store.
#include "credo/store/names.h"

#include <cctype>
#include <string>

#include "credo/store/entities.h"

namespace credo::store {
namespace {

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Built by appending: GCC 12 warns falsely (-Wrestrict, its bug 105651) on "'" + std::string.
std::string quoted(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  return out.append(1, '\'').append(s).append(1, '\'');
}

}  // namespace

Status validate_key(std::string_view kind, std::string_view key) {
  std::string what = std::string(kind) + " name " + quoted(key);
  if (key.empty()) return Status::InvalidArgument(std::string(kind) + " name is empty");
  if (key.size() > 250) return Status::InvalidArgument(what + " is longer than 250 characters");
  for (char c : key) {
    if (!is_name_char(c) && c != '-' && c != '.' && c != ' ' && c != '/')
      return Status::InvalidArgument(what + ": only letters, digits, '_', '-', '.', ' ' and '/' are allowed");
  }
  if (key.front() == '/' || key.back() == '/' || key.find("//") != std::string_view::npos)
    return Status::InvalidArgument(what + " is not a relative path of non-empty parts");
  size_t start = 0;
  while (start <= key.size()) {
    size_t end = key.find('/', start);
    if (end == std::string_view::npos) end = key.size();
    std::string_view part = key.substr(start, end - start);
    if (part == "." || part == "..") return Status::InvalidArgument(what + " may not contain '.' or '..' parts");
    start = end + 1;
  }
  return Status::Ok();
}

Status validate_model_name(std::string_view name) {
  if (name.empty()) return Status::InvalidArgument("model name is empty");
  if (name.size() > 200) return Status::InvalidArgument("model name " + quoted(name) + " is longer than 200 characters");
  if (!std::isalnum(static_cast<unsigned char>(name.front())))
    return Status::InvalidArgument("model name " + quoted(name) + " must start with a letter or digit");
  for (char c : name) {
    if (!is_name_char(c) && c != '-' && c != '.')
      return Status::InvalidArgument("model name " + quoted(name) + ": only letters, digits, '_', '-' and '.' are allowed");
  }
  return Status::Ok();
}

Status validate_alias(std::string_view alias) {
  if (alias.empty()) return Status::InvalidArgument("alias is empty");
  if (alias.size() > 200) return Status::InvalidArgument("alias " + quoted(alias) + " is longer than 200 characters");
  for (char c : alias) {
    if (!is_name_char(c) && c != '-')
      return Status::InvalidArgument("alias " + quoted(alias) + ": only letters, digits, '_' and '-' are allowed");
  }
  std::string lower;
  for (char c : alias) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  bool version_like = lower.size() > 1 && lower[0] == 'v' &&
                      lower.find_first_not_of("0123456789", 1) == std::string::npos;
  if (lower == "latest" || version_like)
    return Status::InvalidArgument("alias " + quoted(alias) + " is reserved (it would read as a version)");
  return Status::Ok();
}

const char* run_status_name(RunStatus status) {
  switch (status) {
    case RunStatus::kRunning: return "RUNNING";
    case RunStatus::kScheduled: return "SCHEDULED";
    case RunStatus::kFinished: return "FINISHED";
    case RunStatus::kFailed: return "FAILED";
    case RunStatus::kKilled: return "KILLED";
  }
  return "RUNNING";
}

std::optional<RunStatus> parse_run_status(std::string_view name) {
  std::string upper;
  for (char c : name) upper.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  for (RunStatus s : {RunStatus::kRunning, RunStatus::kScheduled, RunStatus::kFinished, RunStatus::kFailed,
                      RunStatus::kKilled})
    if (upper == run_status_name(s)) return s;
  return std::nullopt;
}

}  // namespace credo::store
