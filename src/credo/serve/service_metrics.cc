// Series are created on first use for (route, status) pairs, so /metrics lists only what was
// answered; the registry returns the same series to two threads racing on a first use, so the
// slot needs no lock of its own.
#include "credo/serve/service_metrics.h"

#include <cassert>

#include "credo/serve/error_codes.h"

namespace credo::serve {
namespace {

constexpr double kLatencyBuckets[] = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                      0.05,   0.1,     0.25,   0.5,   1,      2.5,   5};

constexpr const char* kRequestsName = "credo_http_requests_total";
constexpr const char* kRequestsHelp = "HTTP requests answered, by route pattern and status.";
constexpr const char* kLatencyName = "credo_http_request_duration_seconds";
constexpr const char* kLatencyHelp = "Time from receiving a request to its answer, by route pattern.";

// Series names and labels here are constants: a registration error is a programming error.
template <typename T>
T* registered_handle(StatusOr<T*> handle) {
  assert(handle.ok() && "a service metric failed to register");
  return std::move(handle).value();
}

void must_register(const Status& status) {
  assert(status.ok() && "a service metric failed to register");
  (void)status;
}

std::function<uint64_t()> or_zero(std::function<uint64_t()> read) {
  return read ? std::move(read) : [] { return uint64_t{0}; };
}

}  // namespace

std::span<const double> latency_buckets_seconds() { return kLatencyBuckets; }

ServiceMetrics::ServiceMetrics(std::vector<RouteLabel> routes, double start_time_seconds, PredictionLogReaders log)
    : routes_(std::move(routes)) {
  routes_.push_back({"*", "unmatched"});
  route_series_ = std::make_unique<RouteSeries[]>(routes_.size());
  for (const ErrorCode& code : error_codes())
    errors_.push_back(registered_handle(registry_.counter("credo_http_errors_total",
                                                   "Error answers, by the code of their body.", {{"code", code.code}})));
  accepted_ = registered_handle(registry_.counter("credo_decisions_total", "Scoring decisions, by decision.",
                                           {{"decision", "ACCEPTED"}}));
  refused_ = registered_handle(registry_.counter("credo_decisions_total", "Scoring decisions, by decision.",
                                          {{"decision", "REFUSED"}}));
  must_register(registry_.counter_from("credo_predictions_logged_total", "Predictions written to the store's prediction log.",
                              {}, or_zero(std::move(log.logged))));
  must_register(registry_.counter_from("credo_predictions_dropped_total",
                                       "Predictions the store refused (their requests failed; none was answered).", {},
                                       or_zero(std::move(log.dropped))));
  must_register(registry_.gauge_from("credo_predictions_queued",
                                     "Predictions waiting for their commit to the store (their requests wait).", {},
                                     [read = or_zero(std::move(log.queued))] { return static_cast<double>(read()); }));
  must_register(registry_.counter_from("credo_prediction_log_retries_total",
                                       "Prediction log writes tried again because the store was locked.", {},
                                       or_zero(std::move(log.retries))));
  model_info_ = registered_handle(registry_.info("credo_model_info", "The model version served (value 1).",
                                          {"name", "version", "alias"}));
  reloads_ok_ = registered_handle(registry_.counter("credo_model_reloads_total", "Model reloads, by result.",
                                             {{"result", "ok"}}));
  reloads_failed_ = registered_handle(registry_.counter("credo_model_reloads_total", "Model reloads, by result.",
                                                 {{"result", "failed"}}));
  registered_handle(registry_.gauge("process_start_time_seconds", "Start time of the process since the Unix epoch in seconds."))
      ->set(start_time_seconds);
}

ServiceMetrics::~ServiceMetrics() = default;

void ServiceMetrics::observe_request(size_t route, int status, double seconds) {
  if (route >= routes_.size()) route = unmatched_route();  // the caller's bug; still counted
  // A status outside 100..599 is not HTTP; cpp-httplib sends none, count it as a 500.
  int slot = status >= kLowestStatus && status < kLowestStatus + kStatusSlots ? status - kLowestStatus
                                                                              : 500 - kLowestStatus;
  RouteSeries& series = route_series_[route];
  const RouteLabel& label = routes_[route];
  Counter* requests = series.requests[slot].load(std::memory_order_acquire);
  if (!requests) {
    requests = registered_handle(registry_.counter(
        kRequestsName, kRequestsHelp,
        {{"method", label.method}, {"route", label.path}, {"status", std::to_string(slot + kLowestStatus)}}));
    series.requests[slot].store(requests, std::memory_order_release);
  }
  requests->increment();
  Histogram* latency = series.latency.load(std::memory_order_acquire);
  if (!latency) {
    latency = registered_handle(
        registry_.histogram(kLatencyName, kLatencyHelp, kLatencyBuckets, {{"method", label.method}, {"route", label.path}}));
    series.latency.store(latency, std::memory_order_release);
  }
  latency->observe(seconds);
  if (status >= 400) errors_[error_code_index(status)]->increment();
}

void ServiceMetrics::set_model(const std::string& name, int version, const std::string& alias) {
  model_info_->set({name, std::to_string(version), alias});
}

}  // namespace credo::serve
