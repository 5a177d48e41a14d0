// Process memory figures for benchmarks and progress reports (Linux /proc).
#pragma once

#include <cstdint>

namespace credo {

// Peak resident set size of this process so far, in bytes (VmHWM); 0 if unknown.
uint64_t peak_rss_bytes();
// Current resident set size in bytes (VmRSS); 0 if unknown.
uint64_t current_rss_bytes();

}  // namespace credo
