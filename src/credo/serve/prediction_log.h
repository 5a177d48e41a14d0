// Every scoring answer is recorded in the store for monitoring, and an answered prediction is
// never lost: record() returns only once its event is committed, so the service answers after
// the event is in the store. Committing each event alone would cost a transaction per request;
// instead one writer thread commits whatever is waiting as one transaction as soon as the
// previous commit ends (group commit), and many concurrent callers share each commit.
// A store locked by another process is waited out, however long: callers wait, nothing is dropped.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "credo/base/status.h"
#include "credo/store/store.h"

namespace credo::serve {

struct PredictionLogOptions {
  size_t capacity = 100000;   // events waiting for the writer at most; beyond, record() waits for room
  size_t batch_size = 2000;   // events per transaction at most
  // While another process holds the store's write lock, the writer tries again after a pause
  // that starts here and doubles up to retry_max_ms (on top of the store's own lock wait).
  int retry_first_ms = 10;
  int retry_max_ms = 1000;
};

class PredictionLog {
 public:
  PredictionLog(store::Store& store, PredictionLogOptions options = {});
  ~PredictionLog();  // close()
  PredictionLog(const PredictionLog&) = delete;
  PredictionLog& operator=(const PredictionLog&) = delete;

  // Returns once the event is committed to the store (waiting as long as the store is locked).
  // Fails when the log is closed (the service is stopping) or when the store refused the event
  // for a reason waiting does not cure (a full disk, a damaged file, an invalid event).
  Status record(store::PredictionEvent event);
  // Commits every event recorded so far, then stops the writer; later record() calls fail.
  void close();

  // Counts for /metrics and tests.
  uint64_t written() const;  // events committed
  uint64_t failed() const;   // events the store refused (their record() failed; logged on stderr)
  uint64_t retries() const;  // writes tried again because the store was locked
  size_t queued() const;     // record() calls waiting for their commit

 private:
  // An event and where its caller waits for the outcome (the caller's stack: valid until done).
  struct Waiting {
    store::PredictionEvent event;
    Status* result;
    bool* done;
  };
  void write_loop();
  // The outcome of each event of `batch`: one transaction, or event by event when the store
  // refuses the batch, so that only the events at fault fail.
  std::vector<Status> commit(std::span<Waiting> batch);
  // Writes `events` in one transaction, trying again with back-off while the store is locked.
  Status write_waiting_out_locks(const std::vector<store::PredictionEvent>& events);

  store::Store& store_;
  PredictionLogOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable has_events_, has_room_, committed_;
  std::deque<Waiting> queue_;
  size_t being_written_ = 0;  // events taken by the writer, not yet committed
  bool closing_ = false;
  std::atomic<uint64_t> written_{0}, failed_{0}, retries_{0};
  std::thread writer_;
};

}  // namespace credo::serve
