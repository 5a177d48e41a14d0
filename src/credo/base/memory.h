// Process memory figures for benchmarks and progress reports (Linux /proc).
#pragma once

#include <cstddef>
#include <cstdint>

namespace credo {

// Peak resident set size of this process so far, in bytes (VmHWM); 0 if unknown.
uint64_t peak_rss_bytes();
// Current resident set size in bytes (VmRSS); 0 if unknown.
uint64_t current_rss_bytes();

// Asks the kernel to back [p, p + bytes) with transparent huge pages, for large buffers that are
// about to be filled. On this kind of virtual machine a 4 KB page fault costs microseconds and
// faulting in 3 GB of columns cost a third of the CSV reading time; 2 MB pages divide that by
// 512. A no-op for small buffers or where THP is unavailable.
void advise_huge_pages(const void* p, size_t bytes);

}  // namespace credo
