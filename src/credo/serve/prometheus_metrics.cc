// The registry keeps families in a deque of owned objects so handles never move; observations
// touch only the handle's atomics. Rendering walks the families under the registry's lock and
// reads each atomic once (relaxed: a scrape is a snapshot of roughly now, not a barrier).
#include "credo/serve/prometheus_metrics.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>

namespace credo::serve {
namespace {

enum FamilyType { kCounterType, kGaugeType, kHistogramType, kInfoType };

const char* type_name(int type) {
  switch (type) {
    case kCounterType: return "counter";
    case kHistogramType: return "histogram";
    default: return "gauge";  // an info metric is a gauge of value 1 in format 0.0.4
  }
}

bool is_metric_name_char(char c, bool first, bool colon_allowed) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_') return true;
  if (c == ':') return colon_allowed;
  return !first && c >= '0' && c <= '9';
}

bool is_valid_name(std::string_view name, bool colon_allowed) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i)
    if (!is_metric_name_char(name[i], i == 0, colon_allowed)) return false;
  return true;
}

// {a="x",b="y"} with `extra` (the histogram's le) last; empty when there is no label at all.
std::string label_text(const std::vector<std::string>& names, const std::vector<std::string>& values,
                       std::string_view extra_name = {}, std::string_view extra_value = {}) {
  if (names.empty() && extra_name.empty()) return {};
  std::string text = "{";
  for (size_t i = 0; i < names.size(); ++i) {
    if (i > 0) text += ',';
    text += names[i] + "=\"" + escape_label_value(values[i]) + '"';
  }
  if (!extra_name.empty()) {
    if (!names.empty()) text += ',';
    text += std::string(extra_name) + "=\"" + std::string(extra_value) + '"';
  }
  return text + "}";
}

}  // namespace

bool is_valid_metric_name(std::string_view name) { return is_valid_name(name, true); }

bool is_valid_label_name(std::string_view name) {
  return is_valid_name(name, false) && name.substr(0, 2) != "__";
}

std::string escape_label_value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string escape_help(std::string_view help) {
  std::string out;
  out.reserve(help.size());
  for (char c : help) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

std::string format_metric_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) return std::to_string(static_cast<int64_t>(value));
  char buffer[32];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general);
  assert(error == std::errc());
  return std::string(buffer, end);
}

Histogram::Histogram(std::shared_ptr<const std::vector<double>> upper_bounds)
    : upper_bounds_(std::move(upper_bounds)),
      bucket_counts_(std::make_unique<std::atomic<uint64_t>[]>(upper_bounds_->size() + 1)) {}

void Histogram::observe(double value) {
  const std::vector<double>& bounds = *upper_bounds_;
  // The first bound >= value (le is inclusive); NaN counts in +Inf only, as Prometheus' clients do.
  size_t bucket = std::isnan(value) ? bounds.size()
                                    : static_cast<size_t>(std::lower_bound(bounds.begin(), bounds.end(), value) -
                                                          bounds.begin());
  bucket_counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

Histogram::Snapshot Histogram::snapshot() const {
  Snapshot snapshot;
  snapshot.cumulative.reserve(upper_bounds_->size() + 1);
  for (size_t i = 0; i <= upper_bounds_->size(); ++i) {
    snapshot.count += bucket_counts_[i].load(std::memory_order_relaxed);
    snapshot.cumulative.push_back(snapshot.count);
  }
  snapshot.sum = sum_.load(std::memory_order_relaxed);
  return snapshot;
}

void InfoMetric::set(std::vector<std::string> values) {
  assert(values.size() == label_names_.size());
  std::lock_guard lock(mutex_);
  values_ = std::move(values);
}

MetricLabels InfoMetric::labels() const {
  std::lock_guard lock(mutex_);
  MetricLabels labels;
  for (size_t i = 0; i < values_.size(); ++i) labels.emplace_back(label_names_[i], values_[i]);
  return labels;
}

// One label set of a family; exactly one of its handles or functions is set once registered.
struct MetricsRegistry::Series {
  std::vector<std::string> label_values;
  std::unique_ptr<Counter> counter;
  std::unique_ptr<Gauge> gauge;
  std::unique_ptr<Histogram> histogram;
  std::function<uint64_t()> read_count;
  std::function<double()> read_value;
};

struct MetricsRegistry::Family {

  std::string name, help;
  int type = kCounterType;
  std::vector<std::string> label_names;
  std::shared_ptr<const std::vector<double>> upper_bounds;  // histograms
  std::deque<Series> series;
  std::unique_ptr<InfoMetric> info;

  // The series with these labels, or a new one; fails when the label names differ.
  StatusOr<Series*> find_or_add(const MetricLabels& labels) {
    std::vector<std::string> values;
    bool names_match = labels.size() == label_names.size();
    for (size_t i = 0; names_match && i < labels.size(); ++i) {
      names_match = labels[i].first == label_names[i];
      values.push_back(labels[i].second);
    }
    if (!names_match) {
      std::string expected, given;
      for (const std::string& n : label_names) expected += (expected.empty() ? "" : ",") + n;
      for (const auto& [n, v] : labels) given += (given.empty() ? "" : ",") + n;
      return Status::InvalidArgument("metric " + name + ": labels (" + given + ") differ from the family's (" +
                                     expected + ")");
    }
    for (Series& s : series)
      if (s.label_values == values) return &s;
    series.push_back(Series{std::move(values), nullptr, nullptr, nullptr, nullptr, nullptr});
    return &series.back();
  }

  void render(std::string& out) const {
    out += "# HELP " + name + ' ' + escape_help(help) + "\n# TYPE " + name + ' ' + type_name(type) + '\n';
    if (info) {
      MetricLabels labels = info->labels();
      if (labels.empty()) return;
      std::vector<std::string> values;
      for (const auto& [n, v] : labels) values.push_back(v);
      out += name + label_text(label_names, values) + " 1\n";
      return;
    }
    for (const Series& s : series) {
      std::string labels = label_text(label_names, s.label_values);
      if (s.counter) out += name + labels + ' ' + std::to_string(s.counter->value()) + '\n';
      if (s.read_count) out += name + labels + ' ' + std::to_string(s.read_count()) + '\n';
      if (s.gauge) out += name + labels + ' ' + format_metric_value(s.gauge->value()) + '\n';
      if (s.read_value) out += name + labels + ' ' + format_metric_value(s.read_value()) + '\n';
      if (s.histogram) {
        Histogram::Snapshot snapshot = s.histogram->snapshot();
        for (size_t b = 0; b < snapshot.cumulative.size(); ++b) {
          std::string le = b < upper_bounds->size() ? format_metric_value((*upper_bounds)[b]) : "+Inf";
          out += name + "_bucket" + label_text(label_names, s.label_values, "le", le) + ' ' +
                 std::to_string(snapshot.cumulative[b]) + '\n';
        }
        out += name + "_sum" + labels + ' ' + format_metric_value(snapshot.sum) + '\n';
        out += name + "_count" + labels + ' ' + std::to_string(snapshot.count) + '\n';
      }
    }
  }
};

MetricsRegistry::MetricsRegistry() = default;
MetricsRegistry::~MetricsRegistry() = default;

StatusOr<MetricsRegistry::Family*> MetricsRegistry::family(std::string_view name, std::string_view help, int type,
                                                           const std::vector<std::string>& label_names,
                                                           std::span<const double> upper_bounds) {
  std::string what = "metric '" + std::string(name) + "'";
  if (!is_valid_metric_name(name))
    return Status::InvalidArgument(what + ": a name is letters, digits, '_' and ':', not starting with a digit");
  for (size_t i = 0; i < label_names.size(); ++i) {
    if (!is_valid_label_name(label_names[i]))
      return Status::InvalidArgument(what + ": label '" + label_names[i] +
                                     "' is not letters, digits and '_' (not starting with a digit or '__')");
    if (type == kHistogramType && label_names[i] == "le")
      return Status::InvalidArgument(what + ": 'le' is the histogram's own label");
    if (std::find(label_names.begin(), label_names.begin() + i, label_names[i]) != label_names.begin() + i)
      return Status::InvalidArgument(what + ": label '" + label_names[i] + "' appears twice");
  }
  for (size_t i = 0; i < upper_bounds.size(); ++i) {
    if (!std::isfinite(upper_bounds[i]) || (i > 0 && upper_bounds[i] <= upper_bounds[i - 1]))
      return Status::InvalidArgument(what + ": bucket bounds must be finite and increasing (bound " +
                                     std::to_string(i) + " is " + format_metric_value(upper_bounds[i]) + ")");
  }
  for (const std::unique_ptr<Family>& f : families_) {
    if (f->name != name) continue;
    if (f->type != type || f->help != help || (f->info != nullptr) != (type == kInfoType))
      return Status::InvalidArgument(what + " is already registered with another type or help text");
    if (f->upper_bounds && !std::equal(f->upper_bounds->begin(), f->upper_bounds->end(), upper_bounds.begin(),
                                       upper_bounds.end()))
      return Status::InvalidArgument(what + " is already registered with other buckets");
    if (type == kInfoType) return Status::InvalidArgument(what + ": an info metric is registered once");
    return f.get();
  }
  auto f = std::make_unique<Family>();
  f->name = name;
  f->help = help;
  f->type = type;
  f->label_names = label_names;
  if (type == kHistogramType)
    f->upper_bounds = std::make_shared<const std::vector<double>>(upper_bounds.begin(), upper_bounds.end());
  if (type == kInfoType) f->info = std::make_unique<InfoMetric>(label_names);
  families_.push_back(std::move(f));
  return families_.back().get();
}

namespace {
std::vector<std::string> names_of(const MetricLabels& labels) {
  std::vector<std::string> names;
  for (const auto& [name, value] : labels) names.push_back(name);
  return names;
}
}  // namespace

StatusOr<MetricsRegistry::Series*> MetricsRegistry::series(std::string_view name, std::string_view help, int type,
                                                           const MetricLabels& labels,
                                                           std::span<const double> upper_bounds) {
  CREDO_ASSIGN_OR_RETURN(Family * f, family(name, help, type, names_of(labels), upper_bounds));
  CREDO_ASSIGN_OR_RETURN(Series * s, f->find_or_add(labels));
  if (type == kHistogramType && !s->histogram) s->histogram = std::make_unique<Histogram>(f->upper_bounds);
  return s;
}

namespace {
Status read_from_function(std::string_view name) {
  return Status::InvalidArgument("metric " + std::string(name) + ": this series is read from a function");
}
Status exists_already(std::string_view name) {
  return Status::InvalidArgument("metric " + std::string(name) + ": this series exists already");
}
}  // namespace

StatusOr<Counter*> MetricsRegistry::counter(std::string_view name, std::string_view help, const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(Series * s, series(name, help, kCounterType, labels, {}));
  if (s->read_count) return read_from_function(name);
  if (!s->counter) s->counter = std::make_unique<Counter>();
  return s->counter.get();
}

StatusOr<Gauge*> MetricsRegistry::gauge(std::string_view name, std::string_view help, const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(Series * s, series(name, help, kGaugeType, labels, {}));
  if (s->read_value) return read_from_function(name);
  if (!s->gauge) s->gauge = std::make_unique<Gauge>();
  return s->gauge.get();
}

StatusOr<Histogram*> MetricsRegistry::histogram(std::string_view name, std::string_view help,
                                                std::span<const double> upper_bounds, const MetricLabels& labels) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(Series * s, series(name, help, kHistogramType, labels, upper_bounds));
  return s->histogram.get();
}

StatusOr<InfoMetric*> MetricsRegistry::info(std::string_view name, std::string_view help,
                                            std::vector<std::string> label_names) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(Family * f, family(name, help, kInfoType, label_names, {}));
  return f->info.get();
}

Status MetricsRegistry::counter_from(std::string_view name, std::string_view help, const MetricLabels& labels,
                                     std::function<uint64_t()> read) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(Series * s, series(name, help, kCounterType, labels, {}));
  if (s->counter || s->read_count) return exists_already(name);
  s->read_count = std::move(read);
  return Status::Ok();
}

Status MetricsRegistry::gauge_from(std::string_view name, std::string_view help, const MetricLabels& labels,
                                   std::function<double()> read) {
  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(Series * s, series(name, help, kGaugeType, labels, {}));
  if (s->gauge || s->read_value) return exists_already(name);
  s->read_value = std::move(read);
  return Status::Ok();
}

std::string MetricsRegistry::render() const {
  std::lock_guard lock(mutex_);
  std::string out;
  for (const std::unique_ptr<Family>& f : families_) f->render(out);
  return out;
}

}  // namespace credo::serve
