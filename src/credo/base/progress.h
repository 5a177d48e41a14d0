// A terminal progress bar with rate and ETA, for every long piece of work.
// On a terminal it redraws one line; elsewhere (CI logs, pipes) it prints a line at each
// 25% step so logs stay short. Safe to advance from several threads.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <mutex>
#include <string>

namespace credo {

// Formats one progress line: "label [#####.....]  45% 1.2M/2.7M rows  310k rows/s  ETA 4s".
// Pure function, so the layout is tested without a terminal or a clock.
std::string format_progress_line(const std::string& label, uint64_t done, uint64_t total,
                                 double elapsed_s, const std::string& unit, int bar_width = 24);
// "1.2k", "3.4M", "2.7G" with one decimal.
std::string format_count(double n);
// "4s", "1m05s", "2h03m".
std::string format_duration(double seconds);

// Whether work on `bytes` of input is long enough to show a bar (over about a quarter second).
inline bool bytes_worth_a_bar(uint64_t bytes) { return bytes == 0 || bytes >= (64u << 20); }

class ProgressBar {
 public:
  // total = 0 means unknown: the bar shows counts and rate but no percentage or ETA.
  // out = nullptr silences it (tests, --quiet).
  ProgressBar(std::string label, uint64_t total, std::string unit, FILE* out = stderr);
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  void add(uint64_t n);
  void set_total(uint64_t total);
  // Text shown after the counts, e.g. "best cost 0.482" during a search.
  void set_note(std::string note);
  // Prints the final line (100%, total time) once; called by the destructor if not before.
  void finish();
  uint64_t done() const { return done_.load(); }

 private:
  void maybe_render(bool force);

  std::string label_;
  std::atomic<uint64_t> total_;
  std::string unit_;
  std::string note_;  // guarded by render_mutex_
  FILE* out_;
  bool is_tty_;
  std::atomic<uint64_t> done_{0};
  std::chrono::steady_clock::time_point start_;
  std::mutex render_mutex_;
  double last_render_s_ = -1;
  int last_quarter_ = 0;
  bool finished_ = false;
};

}  // namespace credo
