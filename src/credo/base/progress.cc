// Rendering of the progress bar; throttled to ten redraws a second.
#include "credo/base/progress.h"

#include <unistd.h>

#include <cmath>

namespace credo {

std::string format_count(double n) {
  char buf[32];
  double a = std::fabs(n);
  if (a >= 1e9) std::snprintf(buf, sizeof buf, "%.1fG", n / 1e9);
  else if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.1fM", n / 1e6);
  else if (a >= 1e3) std::snprintf(buf, sizeof buf, "%.1fk", n / 1e3);
  else std::snprintf(buf, sizeof buf, "%.0f", n);
  return buf;
}

std::string format_duration(double seconds) {
  if (!(seconds >= 0) || !std::isfinite(seconds)) return "?";
  long s = std::lround(seconds);
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%lds", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%ldm%02lds", s / 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%ldh%02ldm", s / 3600, (s % 3600) / 60);
  return buf;
}

std::string format_progress_line(const std::string& label, uint64_t done, uint64_t total,
                                 double elapsed_s, const std::string& unit, int bar_width) {
  std::string line = label;
  double rate = elapsed_s > 0 ? done / elapsed_s : 0.0;
  if (total > 0) {
    double frac = std::min(1.0, static_cast<double>(done) / static_cast<double>(total));
    int filled = static_cast<int>(frac * bar_width);
    line += " [" + std::string(filled, '#') + std::string(bar_width - filled, '.') + "] ";
    char pct[16];
    std::snprintf(pct, sizeof pct, "%3d%%", static_cast<int>(frac * 100));
    line += pct;
    line += " " + format_count(done) + "/" + format_count(total) + " " + unit;
  } else {
    line += " " + format_count(done) + " " + unit;
  }
  // Slow items (a trial of a search takes seconds): the time each takes reads better than "0/s".
  if (rate > 0 && rate < 1) line += "  " + format_duration(1 / rate) + " each";
  else line += "  " + format_count(rate) + " " + unit + "/s";
  if (total > 0) {
    if (done >= total) {
      line += "  in " + format_duration(elapsed_s);
    } else if (rate > 0) {
      line += "  ETA " + format_duration((total - done) / rate);
    }
  }
  return line;
}

ProgressBar::ProgressBar(std::string label, uint64_t total, std::string unit, FILE* out)
    : label_(std::move(label)), total_(total), unit_(std::move(unit)), out_(out),
      is_tty_(out != nullptr && isatty(fileno(out))), start_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::set_total(uint64_t total) { total_ = total; }

void ProgressBar::add(uint64_t n) {
  done_.fetch_add(n, std::memory_order_relaxed);
  if (out_) maybe_render(false);
}

void ProgressBar::set_note(std::string note) {
  {
    std::lock_guard lock(render_mutex_);
    note_ = std::move(note);
  }
  if (out_) maybe_render(false);
}

void ProgressBar::maybe_render(bool force) {
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  uint64_t total = total_.load();
  uint64_t done = done_.load();
  if (!force) {
    if (is_tty_) {
      if (elapsed - last_render_s_ < 0.1) return;
    } else {
      int quarter = total > 0 ? static_cast<int>(4.0 * done / total) : 0;
      if (quarter <= last_quarter_ || quarter >= 4) return;
    }
  }
  std::unique_lock lock(render_mutex_, std::try_to_lock);
  if (!lock.owns_lock()) return;
  if (finished_) return;
  last_render_s_ = elapsed;
  if (total > 0) last_quarter_ = static_cast<int>(4.0 * done / total);
  std::string line = format_progress_line(label_, done, total, elapsed, unit_);
  if (!note_.empty()) line += "  " + note_;
  if (is_tty_) {
    std::fprintf(out_, "\r\033[K%s", line.c_str());
  } else {
    std::fprintf(out_, "%s\n", line.c_str());
  }
  std::fflush(out_);
}

void ProgressBar::finish() {
  if (!out_) return;
  std::lock_guard lock(render_mutex_);
  if (finished_) return;
  finished_ = true;
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  uint64_t total = total_.load();
  uint64_t done = done_.load();
  if (total > 0 && done < total) total = done;  // stopped early (error): show what was done
  std::string line = format_progress_line(label_, done, total, elapsed, unit_);
  if (!note_.empty()) line += "  " + note_;
  std::fprintf(out_, is_tty_ ? "\r\033[K%s\n" : "%s\n", line.c_str());
  std::fflush(out_);
}

}  // namespace credo
