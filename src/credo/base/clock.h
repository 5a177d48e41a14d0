// Time comes from a Clock passed to whoever needs it, so tests can set it (heartbeats, staleness,
// timestamps) instead of sleeping.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace credo {

// Seconds elapsed on the monotonic clock since `start` (for durations, not timestamps).
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch (the unit MLflow records times in).
  virtual int64_t now_ms() const = 0;
};

class SystemClock final : public Clock {
 public:
  int64_t now_ms() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

// A clock that only moves when told to.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(int64_t start_ms) : now_ms_(start_ms) {}
  int64_t now_ms() const override { return now_ms_.load(); }
  void advance_ms(int64_t ms) { now_ms_ += ms; }

 private:
  std::atomic<int64_t> now_ms_;
};

}  // namespace credo
