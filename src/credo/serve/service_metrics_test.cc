// Pins the service's metric set: what a few requests, decisions, reloads and a model change
// render as (route patterns and codes as labels, the unmatched route, the prediction log read at
// scrape time), and that 8 threads observing the same routes count exactly.
#include "credo/serve/service_metrics.h"

#include <gtest/gtest.h>

#include <thread>

#include "credo/serve/promtool_testing.h"

namespace credo::serve {
namespace {

using testing::promtool_problems;
using testing::sample_value;

std::vector<RouteLabel> some_routes() {
  return {{"GET", "/health"}, {"GET", "/api/v1/clients/{id}/score"}, {"POST", "/api/v1/score"}};
}

TEST(ServiceMetrics, CountsRequestsByRoutePatternAndStatus) {
  uint64_t logged = 41;
  ServiceMetrics metrics(some_routes(), 1712345678.5,
                         {[&] { return logged; }, [] { return uint64_t{2}; }, [] { return uint64_t{5}; },
                          [] { return uint64_t{3}; }});
  metrics.observe_request(1, 200, 0.0003);
  metrics.observe_request(1, 200, 0.002);
  metrics.observe_request(1, 404, 0.0001);
  metrics.observe_request(2, 422, 0.01);
  metrics.observe_request(metrics.unmatched_route(), 404, 0.00005);
  metrics.observe_request(99, 200, 0.1);  // a route id out of range counts as unmatched
  metrics.observe_decision(true);
  metrics.observe_decision(false);
  metrics.observe_decision(false);
  metrics.observe_reload(true);
  metrics.observe_reload(false);
  metrics.set_model("credit-default", 3, "champion");
  logged = 42;

  std::string text = metrics.render();
  auto value = [&](const std::string& series) { return sample_value(text, series); };
  auto requests = [&](const std::string& method, const std::string& route, const std::string& status) {
    return value("credo_http_requests_total{method=\"" + method + "\",route=\"" + route + "\",status=\"" + status + "\"}");
  };
  EXPECT_EQ(requests("GET", "/api/v1/clients/{id}/score", "200"), 2);
  EXPECT_EQ(requests("GET", "/api/v1/clients/{id}/score", "404"), 1);
  EXPECT_EQ(requests("POST", "/api/v1/score", "422"), 1);
  EXPECT_EQ(requests("*", "unmatched", "404"), 1);
  EXPECT_EQ(requests("*", "unmatched", "200"), 1);
  EXPECT_TRUE(std::isnan(requests("GET", "/health", "200"))) << "no series before the first request";

  const std::string score_route = "method=\"GET\",route=\"/api/v1/clients/{id}/score\"";
  EXPECT_EQ(value("credo_http_request_duration_seconds_count{" + score_route + "}"), 3);
  auto bucket = [&](const std::string& le) {
    return value("credo_http_request_duration_seconds_bucket{" + score_route + ",le=\"" + le + "\"}");
  };
  // Cumulative, ending in +Inf equal to the count (what Prometheus' histogram_quantile assumes).
  EXPECT_EQ(bucket("0.0001"), 1);
  EXPECT_EQ(bucket("0.00025"), 1);
  EXPECT_EQ(bucket("0.0005"), 2);
  EXPECT_EQ(bucket("0.0025"), 3);
  EXPECT_EQ(bucket("5"), 3);
  EXPECT_EQ(bucket("+Inf"), 3);
  EXPECT_NE(text.find("# TYPE credo_http_request_duration_seconds histogram\n"), std::string::npos);

  EXPECT_EQ(value("credo_http_errors_total{code=\"NOT_FOUND\"}"), 2);
  EXPECT_EQ(value("credo_http_errors_total{code=\"UNPROCESSABLE\"}"), 1);
  EXPECT_EQ(value("credo_http_errors_total{code=\"INTERNAL\"}"), 0);
  EXPECT_EQ(value("credo_decisions_total{decision=\"REFUSED\"}"), 1);
  EXPECT_EQ(value("credo_decisions_total{decision=\"ACCEPTED\"}"), 2);
  EXPECT_EQ(value("credo_model_reloads_total{result=\"ok\"}"), 1);
  EXPECT_EQ(value("credo_model_reloads_total{result=\"failed\"}"), 1);
  const std::string model_v3 = "credo_model_info{name=\"credit-default\",version=\"3\",alias=\"champion\"}";
  EXPECT_EQ(value(model_v3), 1);
  EXPECT_EQ(value("credo_predictions_logged_total"), 42) << "read at scrape time";
  EXPECT_EQ(value("credo_predictions_dropped_total"), 2);
  EXPECT_EQ(value("credo_predictions_queued"), 5);
  EXPECT_EQ(value("credo_prediction_log_retries_total"), 3);
  EXPECT_EQ(value("process_start_time_seconds"), 1712345678.5);
  EXPECT_NE(text.find("le=\"0.0001\"}"), std::string::npos);
  EXPECT_NE(text.find("le=\"0.00025\"}"), std::string::npos);

  metrics.set_model("credit-default", 4, "champion");
  std::string changed = metrics.render();
  EXPECT_TRUE(std::isnan(sample_value(changed, model_v3)));
  EXPECT_EQ(sample_value(changed, "credo_model_info{name=\"credit-default\",version=\"4\",alias=\"champion\"}"), 1);

  CREDO_SKIP_WITHOUT_PROMTOOL();
  EXPECT_EQ(promtool_problems(text), "") << text;
  EXPECT_EQ(promtool_problems(changed), "") << changed;
}

TEST(ServiceMetrics, WithoutAPredictionLogItsCountsAreZero) {
  ServiceMetrics metrics(some_routes(), 0);
  std::string text = metrics.render();
  EXPECT_EQ(sample_value(text, "credo_predictions_logged_total"), 0);
  EXPECT_EQ(sample_value(text, "credo_predictions_dropped_total"), 0);
  EXPECT_EQ(sample_value(text, "credo_prediction_log_retries_total"), 0);
  CREDO_SKIP_WITHOUT_PROMTOOL();
  EXPECT_EQ(promtool_problems(text), "") << text;
}

TEST(ServiceMetrics, EightThreadsCountExactly) {
  ServiceMetrics metrics(some_routes(), 0);
  constexpr int kThreads = 8, kPerThread = 50000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        metrics.observe_request(static_cast<size_t>(i % 3), i % 5 == 0 ? 503 : 200, 0.001953125);  // 2^-9
        metrics.observe_decision(t % 2 == 0);
      }
    });
  for (std::thread& t : threads) t.join();
  std::string text = metrics.render();
  double requests = 0, count = 0, sum = 0;
  for (const RouteLabel& route : some_routes()) {
    std::string method_route = "method=\"" + route.method + "\",route=\"" + route.path + "\"";
    for (const char* status : {"200", "503"})
      requests += sample_value(text, "credo_http_requests_total{" + method_route + ",status=\"" + status + "\"}");
    count += sample_value(text, "credo_http_request_duration_seconds_count{" + method_route + "}");
    sum += sample_value(text, "credo_http_request_duration_seconds_sum{" + method_route + "}");
  }
  constexpr double kTotal = double{kThreads} * kPerThread;
  EXPECT_EQ(requests, kTotal);
  EXPECT_EQ(count, kTotal);
  EXPECT_EQ(sum, kTotal * 0.001953125);
  EXPECT_EQ(sample_value(text, "credo_http_errors_total{code=\"UNAVAILABLE\"}"), kTotal / 5);
  EXPECT_EQ(sample_value(text, "credo_decisions_total{decision=\"REFUSED\"}"), kTotal / 2);
}

}  // namespace
}  // namespace credo::serve
