// Follows the model's alias: every interval it asks the server to load the version the model URI
// names now, so moving models:/NAME@champion in the registry changes what is served without a
// restart. What happened (a reload, or a failure, after which the previous version is still
// served) is said on `log`.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "credo/serve/api_server.h"

namespace credo::serve {

class ReloadPoller {
 public:
  // Starts checking every `interval` (zero: never); `log` may be nullptr.
  ReloadPoller(ApiServer& server, std::chrono::milliseconds interval, FILE* log);
  ~ReloadPoller();  // stop()
  ReloadPoller(const ReloadPoller&) = delete;
  ReloadPoller& operator=(const ReloadPoller&) = delete;

  // Returns once no check is running and none will start.
  void stop();
  // Checks done so far.
  int checks() const;

 private:
  void run();

  ApiServer& server_;
  std::chrono::milliseconds interval_;
  FILE* log_;
  mutable std::mutex mutex_;
  std::condition_variable stop_requested_;
  bool stopping_ = false;
  int checks_ = 0;
  std::thread thread_;
};

}  // namespace credo::serve
