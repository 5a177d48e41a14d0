// The writer thread: waits for events (or the flush interval), takes up to a batch, writes it in
// one transaction outside the lock, and repeats until closed and drained.
#include "credo/serve/prediction_log.h"

#include <chrono>
#include <cstdio>

namespace credo::serve {

PredictionLog::PredictionLog(store::Store& store, PredictionLogOptions options)
    : store_(store), options_(options), writer_([this] { write_loop(); }) {}

PredictionLog::~PredictionLog() { close(); }

Status PredictionLog::record(store::PredictionEvent event) {
  std::unique_lock lock(mutex_);
  has_room_.wait(lock, [&] { return closing_ || queue_.size() < options_.capacity; });
  if (closing_) return Status::FailedPrecondition("the prediction log is closed");
  queue_.push_back(std::move(event));
  if (queue_.size() >= options_.batch_size) has_events_.notify_one();
  return Status::Ok();
}

void PredictionLog::close() {
  {
    std::lock_guard lock(mutex_);
    if (closing_ && !writer_.joinable()) return;
    closing_ = true;
  }
  has_events_.notify_all();
  has_room_.notify_all();
  if (writer_.joinable()) writer_.join();
}

void PredictionLog::write_loop() {
  std::vector<store::PredictionEvent> batch;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      has_events_.wait_for(lock, std::chrono::milliseconds(options_.flush_interval_ms),
                           [&] { return closing_ || queue_.size() >= options_.batch_size; });
      if (queue_.empty()) {
        if (closing_) return;
        continue;
      }
      size_t take = std::min(queue_.size(), options_.batch_size);
      batch.assign(std::make_move_iterator(queue_.begin()), std::make_move_iterator(queue_.begin() + take));
      queue_.erase(queue_.begin(), queue_.begin() + take);
    }
    has_room_.notify_all();
    Status written = store_.log_predictions(batch);
    std::lock_guard lock(mutex_);
    if (written.ok()) {
      written_ += batch.size();
    } else {
      failed_ += batch.size();
      std::fprintf(stderr, "credo serve: %zu predictions not logged: %s\n", batch.size(), written.message().c_str());
    }
    batch.clear();
  }
}

uint64_t PredictionLog::written() const {
  std::lock_guard lock(mutex_);
  return written_;
}

uint64_t PredictionLog::failed() const {
  std::lock_guard lock(mutex_);
  return failed_;
}

size_t PredictionLog::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

}  // namespace credo::serve
