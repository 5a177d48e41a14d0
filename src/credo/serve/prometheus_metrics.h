// Metrics a Prometheus server scrapes from GET /metrics, in its text exposition format 0.0.4.
// Series are registered once (a lock, an allocation) and return a handle; observing through the
// handle is a few relaxed atomic operations with no lock and no allocation, because the scoring
// service observes every request (~40,000/s on 2 cores). Rendering takes the registry's lock.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "credo/base/status.h"

namespace credo::serve {

// The Content-Type of render()'s text.
inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// A label set in the family's order: {{"route", "/health"}, {"status", "200"}}.
using MetricLabels = std::vector<std::pair<std::string, std::string>>;

// A count that only goes up.
class Counter {
 public:
  void increment(uint64_t n = 1) { count_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> count_{0};
};

// A value that goes up and down (set, or add a delta).
class Gauge {
 public:
  void set(double value) { value_.store(value, std::memory_order_relaxed); }
  void add(double delta) { value_.fetch_add(delta, std::memory_order_relaxed); }  // a CAS loop (C++20)
  double value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// Observations counted in buckets by upper bound, with their sum. A scrape during observations
// may see the sum and the buckets one observation apart; _count is always the +Inf bucket.
class Histogram {
 public:
  // `upper_bounds`: strictly increasing and finite (the registry checks); +Inf is implied.
  explicit Histogram(std::shared_ptr<const std::vector<double>> upper_bounds);

  void observe(double value);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf
    double sum = 0;
    uint64_t count = 0;
  };
  Snapshot snapshot() const;

 private:
  std::shared_ptr<const std::vector<double>> upper_bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> bucket_counts_;  // not cumulative; last is +Inf
  std::atomic<double> sum_{0};
};

// The current value of an "info" metric: one series of value 1 whose labels change now and then
// (the model served). set() takes a lock; it is meant for reloads, not requests.
class InfoMetric {
 public:
  explicit InfoMetric(std::vector<std::string> label_names) : label_names_(std::move(label_names)) {}
  // `values` in the order of the label names given at registration (asserted).
  void set(std::vector<std::string> values);
  // The current labels, empty before the first set().
  MetricLabels labels() const;

 private:
  const std::vector<std::string> label_names_;
  mutable std::mutex mutex_;
  std::vector<std::string> values_;
};

// A family is a name with a help text, a type and label names; a series is one label set of it.
// Registering the same name again adds a series to the family (or returns the existing one for
// the same labels) and must agree on type, help, label names and buckets. Errors name the metric
// and what is wrong (an invalid name, a reserved label, a mismatch). Handles stay valid for the
// registry's lifetime. Families render in registration order, series too.
class MetricsRegistry {
 public:
  MetricsRegistry();
  ~MetricsRegistry();
  MetricsRegistry(const MetricsRegistry&) = delete;
  MetricsRegistry& operator=(const MetricsRegistry&) = delete;

  StatusOr<Counter*> counter(std::string_view name, std::string_view help, const MetricLabels& labels = {});
  StatusOr<Gauge*> gauge(std::string_view name, std::string_view help, const MetricLabels& labels = {});
  StatusOr<Histogram*> histogram(std::string_view name, std::string_view help, std::span<const double> upper_bounds,
                                 const MetricLabels& labels = {});
  StatusOr<InfoMetric*> info(std::string_view name, std::string_view help, std::vector<std::string> label_names);
  // Series whose value is read when rendering (counts another object keeps, such as the
  // prediction log's). The function must be cheap and thread-safe.
  Status counter_from(std::string_view name, std::string_view help, const MetricLabels& labels,
                      std::function<uint64_t()> read);
  Status gauge_from(std::string_view name, std::string_view help, const MetricLabels& labels,
                    std::function<double()> read);

  // Every family in the text exposition format, ending with a newline.
  std::string render() const;

 private:
  struct Family;
  struct Series;
  // The family of `name`, registered at first use (callers hold mutex_).
  StatusOr<Family*> family(std::string_view name, std::string_view help, int type,
                           const std::vector<std::string>& label_names, std::span<const double> upper_bounds);
  // The series of these labels in the family of `name`, registered at first use (mutex_ held).
  StatusOr<Series*> series(std::string_view name, std::string_view help, int type, const MetricLabels& labels,
                           std::span<const double> upper_bounds);

  mutable std::mutex mutex_;
  std::deque<std::unique_ptr<Family>> families_;
};

// Helpers of the format, public for tests and for other exporters.
// Whether `name` is a valid metric name ([a-zA-Z_:][a-zA-Z0-9_:]*).
bool is_valid_metric_name(std::string_view name);
// Whether `name` is a valid label name ([a-zA-Z_][a-zA-Z0-9_]*, not starting with "__").
bool is_valid_label_name(std::string_view name);
// A label value escaped for the text format: backslash, double quote and newline.
std::string escape_label_value(std::string_view value);
// A HELP text escaped: backslash and newline.
std::string escape_help(std::string_view help);
// A sample value as Prometheus writes it: integers without a point, "+Inf", "-Inf", "NaN", others
// in the shortest form that reads back exactly ("0.00025", "1e-07").
std::string format_metric_value(double value);

}  // namespace credo::serve
