// One thread waiting on a condition variable, so stop() wakes it at once rather than after an
// interval.
#include "credo/serve/reload_poller.h"

namespace credo::serve {

ReloadPoller::ReloadPoller(ApiServer& server, std::chrono::milliseconds interval, FILE* log)
    : server_(server), interval_(interval), log_(log) {
  if (interval_.count() > 0) thread_ = std::thread([this] { run(); });
}

ReloadPoller::~ReloadPoller() { stop(); }

void ReloadPoller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  stop_requested_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int ReloadPoller::checks() const {
  std::lock_guard lock(mutex_);
  return checks_;
}

void ReloadPoller::run() {
  std::unique_lock lock(mutex_);
  while (!stop_requested_.wait_for(lock, interval_, [&] { return stopping_; })) {
    lock.unlock();
    StatusOr<ReloadResult> reloaded = server_.reload();
    if (log_ && !reloaded.ok())
      std::fprintf(log_, "reload failed: %s (still serving the previous version)\n", reloaded.status().message().c_str());
    else if (log_ && reloaded->reloaded)
      std::fprintf(log_, "reloaded           version %d -> %d\n", reloaded->from_version, reloaded->to_version);
    lock.lock();
    ++checks_;
  }
}

}  // namespace credo::serve
