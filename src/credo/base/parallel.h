// Runs independent tasks on the machine's cores. Work is split into numbered tasks
// so that results can be stored by index and stay deterministic whatever the thread count.
#pragma once

#include <cstddef>
#include <functional>

namespace credo {

// Number of worker threads to use by default: the hardware concurrency, at least 1.
int default_thread_count();

// Calls fn(i) for every i in [0, n_tasks), on up to n_threads threads (0 = default).
// Tasks are handed out in increasing order; fn must be safe to call concurrently.
void parallel_for(size_t n_tasks, int n_threads, const std::function<void(size_t)>& fn);

}  // namespace credo
