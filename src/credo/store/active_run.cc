// ActiveRun: buffered logging and a heartbeat thread over any Store.
#include "credo/store/active_run.h"

#include <pwd.h>
#include <unistd.h>

#include <fstream>

#include "credo/base/atomic_file.h"
#include "credo/base/version.h"
#include "credo/store/artifacts.h"
#include "credo/store/names.h"

namespace credo::store {
namespace fs = std::filesystem;

namespace {

std::string read_first_line(const fs::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// The commit checked out in the repository that holds the current directory, read from .git
// (HEAD, then the loose ref or packed-refs) without running git.
std::string git_commit_of_current_directory() {
  std::error_code ec;
  fs::path dir = fs::current_path(ec);
  if (ec) return {};
  for (; !dir.empty(); dir = dir.parent_path()) {
    fs::path git = dir / ".git";
    if (fs::is_directory(git, ec)) {
      std::string head = read_first_line(git / "HEAD");
      if (head.rfind("ref: ", 0) != 0) return head.size() == 40 ? head : std::string();
      std::string ref = head.substr(5);
      std::string loose = read_first_line(git / ref);
      if (loose.size() == 40) return loose;
      std::ifstream packed(git / "packed-refs");
      for (std::string line; std::getline(packed, line);)
        if (line.size() > 41 && line.compare(41, std::string::npos, ref) == 0) return line.substr(0, 40);
      return {};
    }
    if (dir == dir.parent_path()) break;
  }
  return {};
}

std::string current_user() {
  if (const char* user = std::getenv("USER"); user && *user) return user;
  if (const passwd* pw = ::getpwuid(::getuid())) return pw->pw_name;
  return {};
}

}  // namespace

NewRun describe_this_process(const RunOptions& options) {
  NewRun run;
  run.experiment_name = options.experiment;
  run.run_name = options.run_name;
  run.parent_run_id = options.parent_run_id;
  run.user = current_user();
  run.source = options.command_line;
  run.credo_version = credo_version();
  run.git_commit = git_commit_of_current_directory();
  run.data_fingerprint = options.data_fingerprint;
  run.pid = ::getpid();
  run.tags = options.tags;
  return run;
}

StatusOr<std::unique_ptr<ActiveRun>> ActiveRun::start(Store& store, const RunOptions& options) {
  CREDO_RETURN_IF_ERROR(store.fail_dead_runs(options.stale_after_ms).status());
  CREDO_ASSIGN_OR_RETURN(RunInfo info, store.create_run(describe_this_process(options)));
  return std::unique_ptr<ActiveRun>(new ActiveRun(store, std::move(info), options));
}

ActiveRun::ActiveRun(Store& store, RunInfo info, const RunOptions& options)
    : store_(store), info_(std::move(info)), batch_points_(std::max<size_t>(1, options.batch_points)) {
  int64_t interval = options.heartbeat_interval_ms;
  if (interval > 0) heartbeat_ = std::thread([this, interval] { heartbeat_loop(interval); });
}

ActiveRun::~ActiveRun() {
  bool ended;
  {
    std::lock_guard lock(mutex_);
    ended = ended_;
  }
  if (!ended) (void)end(RunStatus::kFailed);
  {
    std::lock_guard lock(heartbeat_mutex_);
    stopping_ = true;
  }
  heartbeat_wake_.notify_all();
  if (heartbeat_.joinable()) heartbeat_.join();
}

void ActiveRun::heartbeat_loop(int64_t interval_ms) {
  std::unique_lock lock(heartbeat_mutex_);
  while (!heartbeat_wake_.wait_for(lock, std::chrono::milliseconds(interval_ms), [this] { return stopping_; })) {
    lock.unlock();
    (void)store_.heartbeat(info_.run_id);  // a missed beat only makes the run look stale sooner
    lock.lock();
  }
}

Status ActiveRun::log_metric(const std::string& key, double value, int64_t step) {
  CREDO_RETURN_IF_ERROR(validate_key("metric", key));
  std::lock_guard lock(mutex_);
  metrics_.push_back(Metric{key, value, store_.clock().now_ms(), step});
  if (metrics_.size() >= batch_points_) return flush_locked();
  return Status::Ok();
}

Status ActiveRun::log_param(const std::string& key, const std::string& value) {
  CREDO_RETURN_IF_ERROR(validate_key("param", key));
  std::lock_guard lock(mutex_);
  params_.emplace_back(key, value);
  return Status::Ok();
}

Status ActiveRun::log_params(const std::map<std::string, std::string>& params) {
  for (const auto& [key, value] : params) CREDO_RETURN_IF_ERROR(log_param(key, value));
  return Status::Ok();
}

Status ActiveRun::set_tag(const std::string& key, const std::string& value) {
  CREDO_RETURN_IF_ERROR(validate_key("tag", key));
  std::lock_guard lock(mutex_);
  tags_.emplace_back(key, value);
  return Status::Ok();
}

Status ActiveRun::log_artifact(const fs::path& local_path, const std::string& artifact_path) {
  CREDO_RETURN_IF_ERROR(validate_artifact_path(artifact_path));
  fs::path destination = artifact_dir() / artifact_path / local_path.filename();
  return copy_atomically(local_path, destination);
}

Status ActiveRun::log_text(const std::string& artifact_file, std::string_view text) {
  CREDO_RETURN_IF_ERROR(validate_artifact_path(artifact_file));
  fs::path destination = artifact_dir() / artifact_file;
  std::error_code ec;
  fs::create_directories(destination.parent_path(), ec);
  if (ec) return Status::IoError(destination.parent_path().string() + ": " + ec.message());
  return write_file_atomically(destination.string(), text);
}

Status ActiveRun::flush_locked() {
  if (metrics_.empty() && params_.empty() && tags_.empty()) return Status::Ok();
  Status status = store_.log_batch(info_.run_id, metrics_, params_, tags_);
  // Dropped either way: a batch the store refused (a changed param) would be refused again.
  metrics_.clear();
  params_.clear();
  tags_.clear();
  return status;
}

Status ActiveRun::flush() {
  std::lock_guard lock(mutex_);
  return flush_locked();
}

Status ActiveRun::end(RunStatus status) {
  std::lock_guard lock(mutex_);
  if (ended_) return Status::Ok();
  ended_ = true;
  Status flushed = flush_locked();
  Status ended = store_.set_run_status(info_.run_id, flushed.ok() ? status : RunStatus::kFailed);
  if (ended.ok()) info_.status = status;
  return flushed.ok() ? ended : flushed;
}

}  // namespace credo::store
