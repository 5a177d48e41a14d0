// The writer thread: takes everything waiting (up to a batch), commits it in one transaction
// outside the lock, hands each caller its outcome, and starts again at once: the events that
// arrived during a commit make the next one. No timer: a lone request waits for one commit only.
#include "credo/serve/prediction_log.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace credo::serve {

PredictionLog::PredictionLog(store::Store& store, PredictionLogOptions options)
    : store_(store), options_(options), writer_([this] { write_loop(); }) {}

PredictionLog::~PredictionLog() { close(); }

Status PredictionLog::record(store::PredictionEvent event) {
  Status result;
  bool done = false;
  std::unique_lock lock(mutex_);
  has_room_.wait(lock, [&] { return closing_ || queue_.size() < options_.capacity; });
  if (closing_) return Status::FailedPrecondition("the prediction log is closed (the service is stopping)");
  queue_.push_back({std::move(event), &result, &done});
  has_events_.notify_one();
  committed_.wait(lock, [&] { return done; });
  return result;
}

void PredictionLog::close() {
  {
    std::lock_guard lock(mutex_);
    closing_ = true;
  }
  has_events_.notify_all();
  has_room_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void PredictionLog::write_loop() {
  std::vector<Waiting> batch;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      has_events_.wait(lock, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty()) return;  // closing, and every recorded event is committed
      size_t take = std::min(queue_.size(), options_.batch_size);
      batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + take));
      queue_.erase(queue_.begin(), queue_.begin() + take);
      being_written_ = take;
    }
    has_room_.notify_all();
    std::vector<Status> results = commit(batch);
    {
      std::lock_guard lock(mutex_);
      for (size_t i = 0; i < batch.size(); ++i) {
        (results[i].ok() ? written_ : failed_).fetch_add(1, std::memory_order_relaxed);
        *batch[i].result = std::move(results[i]);
        *batch[i].done = true;  // from here the caller may return: its slots are not touched again
      }
      being_written_ = 0;
    }
    committed_.notify_all();
    batch.clear();
  }
}

std::vector<Status> PredictionLog::commit(std::span<Waiting> batch) {
  std::vector<store::PredictionEvent> events;
  events.reserve(batch.size());
  for (Waiting& w : batch) events.push_back(std::move(w.event));
  Status together = write_waiting_out_locks(events);
  if (together.ok() || events.size() == 1) {
    if (!together.ok()) std::fprintf(stderr, "credo serve: a prediction not logged: %s\n", together.message().c_str());
    return std::vector<Status>(events.size(), together);
  }
  // One event can make the store refuse the whole transaction; the others' callers should not
  // pay for it. (A full disk fails each of them again, quickly.)
  std::vector<Status> results;
  results.reserve(events.size());
  size_t refused = 0;
  for (store::PredictionEvent& e : events) {
    results.push_back(write_waiting_out_locks({std::move(e)}));
    if (!results.back().ok()) ++refused;
  }
  std::fprintf(stderr, "credo serve: %zu of %zu predictions not logged: %s\n", refused, events.size(),
               together.message().c_str());
  return results;
}

Status PredictionLog::write_waiting_out_locks(const std::vector<store::PredictionEvent>& events) {
  int pause_ms = options_.retry_first_ms;
  bool reported = false;
  while (true) {
    Status written = store_.log_predictions(events);
    // kFailedPrecondition is the store's "locked by another process; nothing written".
    if (written.code() != StatusCode::kFailedPrecondition) {
      if (reported && written.ok()) std::fprintf(stderr, "credo serve: the store is writable again; the waiting predictions are logged\n");
      return written;
    }
    if (!reported)
      std::fprintf(stderr, "credo serve: %s; %zu predictions wait (retried until the lock is released)\n",
                   written.message().c_str(), events.size());
    reported = true;
    retries_.fetch_add(1, std::memory_order_relaxed);
    std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms));
    pause_ms = std::min(pause_ms * 2, options_.retry_max_ms);
  }
}

uint64_t PredictionLog::written() const { return written_.load(std::memory_order_relaxed); }
uint64_t PredictionLog::failed() const { return failed_.load(std::memory_order_relaxed); }
uint64_t PredictionLog::retries() const { return retries_.load(std::memory_order_relaxed); }

size_t PredictionLog::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size() + being_written_;
}

}  // namespace credo::serve
