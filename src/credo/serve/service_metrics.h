// The scoring service's own metrics on top of the Prometheus registry: requests by route and
// status, latency by route, decisions, errors by code, the prediction log, the model served and
// its reloads, the process start time. The server calls one method per event; each is a few
// relaxed atomic operations once a series exists (the first request of a route and status
// registers its series under the registry's lock).
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "credo/serve/prometheus_metrics.h"

namespace credo::serve {

// How a route is labelled: its method and path pattern ("/api/v1/clients/{id}/score"), never a
// raw path, so the number of series stays bounded.
struct RouteLabel {
  std::string method, path;
};

// Counts the prediction log keeps; read at each scrape. Empty functions read as 0.
struct PredictionLogReaders {
  std::function<uint64_t()> logged;   // events committed to the store
  std::function<uint64_t()> dropped;  // events the store refused (their requests failed, unanswered)
  std::function<uint64_t()> queued;   // events waiting for their commit (their requests wait)
  std::function<uint64_t()> retries;  // writes tried again because the store was locked
};

// Latency buckets in seconds, 100 us to 5 s.
std::span<const double> latency_buckets_seconds();

class ServiceMetrics {
 public:
  // `routes`: the endpoints in the catalogue's order (a route id is an index into it).
  // `start_time_seconds`: when the process started, seconds since the Unix epoch.
  ServiceMetrics(std::vector<RouteLabel> routes, double start_time_seconds, PredictionLogReaders log = {});
  ~ServiceMetrics();

  // The route id of a request that matched no endpoint (labelled method "*", route "unmatched").
  size_t unmatched_route() const { return routes_.size() - 1; }

  // One answered request: counted by route and status, its latency (seconds) in the route's
  // histogram, and for a status >= 400 an error by its code (see error_codes.h).
  void observe_request(size_t route, int status, double seconds);
  // One scoring decision (a single score, or each row of a batch).
  void observe_decision(bool refused) { (refused ? refused_ : accepted_)->increment(); }
  // A reload attempt (POST /admin/reload) and whether it succeeded.
  void observe_reload(bool ok) { (ok ? reloads_ok_ : reloads_failed_)->increment(); }
  // The model now served: credo_model_info{name,version,alias} 1 (replaces the previous one).
  void set_model(const std::string& name, int version, const std::string& alias);

  // The text for GET /metrics (Content-Type kPrometheusContentType).
  std::string render() const { return registry_.render(); }
  // For series beyond the service's own.
  MetricsRegistry& registry() { return registry_; }

 private:
  static constexpr int kLowestStatus = 100, kStatusSlots = 500;  // statuses 100..599
  struct RouteSeries {
    std::array<std::atomic<Counter*>, kStatusSlots> requests{};  // registered at first use
    std::atomic<Histogram*> latency{nullptr};
  };

  MetricsRegistry registry_;
  std::vector<RouteLabel> routes_;  // the catalogue's, then the unmatched route
  std::unique_ptr<RouteSeries[]> route_series_;
  std::vector<Counter*> errors_;    // by error_codes() index
  Counter *accepted_ = nullptr, *refused_ = nullptr;
  Counter *reloads_ok_ = nullptr, *reloads_failed_ = nullptr;
  InfoMetric* model_info_ = nullptr;
};

}  // namespace credo::serve
