// A plain std::thread work queue: tasks are taken from an atomic counter.
#include "credo/base/parallel.h"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace credo {

int default_thread_count() {
  unsigned n = std::thread::hardware_concurrency();
  return n == 0 ? 1 : static_cast<int>(n);
}

void parallel_for(size_t n_tasks, int n_threads, const std::function<void(size_t)>& fn) {
  if (n_tasks == 0) return;
  size_t threads = n_threads > 0 ? static_cast<size_t>(n_threads) : static_cast<size_t>(default_thread_count());
  threads = std::min(threads, n_tasks);
  if (threads <= 1) {
    for (size_t i = 0; i < n_tasks; ++i) fn(i);
    return;
  }
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t i = next.fetch_add(1); i < n_tasks; i = next.fetch_add(1)) fn(i);
  };
  std::vector<std::thread> pool;
  pool.reserve(threads - 1);
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (auto& th : pool) th.join();
}

}  // namespace credo
