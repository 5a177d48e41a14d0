// The writer takes the whole queue at once (swapping vectors, so a request holds the lock only for
// a push) and writes it in one buffered burst before flushing.
#include "credo/serve/access_log.h"

namespace credo::serve {

AccessLog::AccessLog(FILE* out, size_t capacity) : out_(out), capacity_(capacity) {
  if (out_) writer_ = std::thread([this] { run(); });
}

AccessLog::~AccessLog() { close(); }

bool AccessLog::write(std::string line) {
  if (!out_) return false;
  {
    std::lock_guard lock(mutex_);
    if (closing_ || queue_.size() >= capacity_) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return false;
    }
    queue_.push_back(std::move(line));
    if (queue_.size() > 1) return true;  // the writer was already woken for this batch
  }
  ready_.notify_one();
  return true;
}

void AccessLog::close() {
  {
    std::lock_guard lock(mutex_);
    if (closing_) return;
    closing_ = true;
  }
  ready_.notify_one();
  if (writer_.joinable()) writer_.join();
}

void AccessLog::run() {
  std::vector<std::string> batch;
  std::unique_lock lock(mutex_);
  while (true) {
    ready_.wait(lock, [&] { return closing_ || !queue_.empty(); });
    if (queue_.empty() && closing_) break;
    batch.swap(queue_);
    lock.unlock();
    for (const std::string& line : batch) {
      std::fwrite(line.data(), 1, line.size(), out_);
      std::fputc('\n', out_);
    }
    std::fflush(out_);
    written_.fetch_add(batch.size(), std::memory_order_relaxed);
    batch.clear();
    lock.lock();
  }
}

}  // namespace credo::serve
