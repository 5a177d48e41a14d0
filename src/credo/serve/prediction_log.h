// Every scoring answer is recorded in the store for monitoring, without making the request wait
// on SQLite: requests hand their event to a bounded queue and a writer thread appends batches.
// A full queue makes the request wait (back-pressure) rather than drop an event, and close()
// writes everything queued: no acknowledged prediction is lost on a clean stop.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "credo/base/status.h"
#include "credo/store/store.h"

namespace credo::serve {

struct PredictionLogOptions {
  size_t capacity = 100000;        // events queued at most; beyond, record() waits
  size_t batch_size = 2000;        // events per transaction at most
  int flush_interval_ms = 100;     // a partial batch is written after this long
};

class PredictionLog {
 public:
  PredictionLog(store::Store& store, PredictionLogOptions options = {});
  ~PredictionLog();  // close()
  PredictionLog(const PredictionLog&) = delete;
  PredictionLog& operator=(const PredictionLog&) = delete;

  // Queues the event. Fails only after close() (the service is stopping).
  Status record(store::PredictionEvent event);
  // Writes everything queued and stops the writer; later record() calls fail.
  void close();

  // Counts for /metrics and tests.
  uint64_t written() const;
  uint64_t failed() const;   // events in batches the store refused (logged on stderr)
  size_t queued() const;

 private:
  void write_loop();

  store::Store& store_;
  PredictionLogOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable has_events_, has_room_;
  std::deque<store::PredictionEvent> queue_;
  bool closing_ = false;
  uint64_t written_ = 0, failed_ = 0;
  std::thread writer_;
};

}  // namespace credo::serve
