// What every benchmark in bench/ does the same way: stop at the first failed step with its
// message, read "--flag value" pairs, report the median of repeated timings and the peak memory.
// Header-only, so each bench stays one executable over credo_lib.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <utility>
#include <vector>

#include "credo/base/memory.h"
#include "credo/base/status.h"

namespace credo::bench {

// Exits with status 1 after printing "BENCH: error" on stderr when a step failed: a benchmark has
// nothing to recover. Returns the value of a StatusOr that holds one.
class ExitOnError {
 public:
  explicit constexpr ExitOnError(const char* bench_name) : bench_name_(bench_name) {}

  void operator()(const Status& status) const {
    if (status.ok()) return;
    std::fprintf(stderr, "%s: %s\n", bench_name_, status.to_string().c_str());
    std::exit(1);
  }
  template <typename T>
  T operator()(StatusOr<T> value) const {
    (*this)(value.status());
    return std::move(value).value();
  }

 private:
  const char* bench_name_;
};

// The value after the last `name` among argv[first..argc), or nullptr when the flag is not given.
inline const char* flag_value(int argc, char** argv, int first, std::string_view name) {
  const char* value = nullptr;
  for (int i = first; i + 1 < argc; ++i)
    if (name == argv[i]) value = argv[i + 1];
  return value;
}

// The median of repeated timings (the upper one of an even count).
inline double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

// Peak resident memory of this process so far, in MB (VmHWM).
inline double peak_memory_mb() { return static_cast<double>(peak_rss_bytes()) / 1e6; }

// Prints "peak memory" padded to `label_width` columns (as the bench's other labels), then the MB.
inline void print_peak_memory(int label_width) {
  std::printf("%-*s%.0f MB\n", label_width, "peak memory", peak_memory_mb());
}

}  // namespace credo::bench
