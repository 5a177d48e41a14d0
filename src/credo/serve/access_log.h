// The service's access log: one JSON line per answered request, written by a thread of its own so
// a slow or stalled log file never slows an answer. Requests hand their line to a bounded queue and
// never wait: when the queue is full the line is dropped and counted (credo_access_log_dropped_total
// in /metrics). close() writes every line still queued, so stopping the service loses none.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <cstdio>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace credo::serve {

class AccessLog {
 public:
  // Lines go to `out` (not owned; nullptr: none are kept); at most `capacity` wait at a time.
  explicit AccessLog(FILE* out, size_t capacity = 65536);
  ~AccessLog();  // close()
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  // Queues one line (without its newline); never blocks. False when it was dropped.
  bool write(std::string line);
  // Writes what is queued, flushes and stops the writer. Later lines are dropped.
  void close();

  uint64_t written() const { return written_.load(); }
  uint64_t dropped() const { return dropped_.load(); }

 private:
  void run();

  FILE* out_;
  size_t capacity_;
  std::mutex mutex_;
  std::condition_variable ready_;
  std::vector<std::string> queue_;
  bool closing_ = false;
  std::atomic<uint64_t> written_{0}, dropped_{0};
  std::thread writer_;
};

}  // namespace credo::serve
