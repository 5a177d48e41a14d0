// Pins the Prometheus registry: the exact text of a hand-made registry, value formatting and
// escaping, the names and label sets refused, exact sums under 8 threads, and that every
// rendering passes `promtool check metrics` (Prometheus' own parser and linter).
#include "credo/serve/prometheus_metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <thread>

#include "credo/serve/promtool_testing.h"

namespace credo::serve {
namespace {

using testing::promtool_problems;
using testing::sample_value;

TEST(PrometheusMetrics, RendersAHandMadeRegistryExactly) {
  MetricsRegistry registry;
  Counter* health = registry.counter("http_requests_total", "Requests answered.",
                                     {{"route", "/health"}, {"status", "200"}}).value();
  Counter* missing = registry.counter("http_requests_total", "Requests answered.",
                                      {{"route", "/api/v1/clients/{id}"}, {"status", "404"}}).value();
  Gauge* queue = registry.gauge("queue_depth", "Events waiting.\nA second line, with a \\ backslash.").value();
  const double bounds[] = {0.001, 0.25, 1};
  Histogram* latency = registry.histogram("latency_seconds", "Latency.", bounds, {{"route", "/x"}}).value();
  InfoMetric* model = registry.info("model_info", "The model served.", {"name", "version"}).value();
  ASSERT_TRUE(registry.counter_from("logged_total", "Logged.", {}, [] { return uint64_t{7}; }).ok());

  health->increment(3);
  missing->increment();
  queue->set(2.5);
  latency->observe(0.0009765625);  // 2^-10, below the first bound: sums stay exact
  latency->observe(0.25);          // on a bound: le is inclusive
  latency->observe(3);
  model->set({"credit \"default\"", "3"});

  EXPECT_EQ(registry.render(),
            "# HELP http_requests_total Requests answered.\n"
            "# TYPE http_requests_total counter\n"
            "http_requests_total{route=\"/health\",status=\"200\"} 3\n"
            "http_requests_total{route=\"/api/v1/clients/{id}\",status=\"404\"} 1\n"
            "# HELP queue_depth Events waiting.\\nA second line, with a \\\\ backslash.\n"
            "# TYPE queue_depth gauge\n"
            "queue_depth 2.5\n"
            "# HELP latency_seconds Latency.\n"
            "# TYPE latency_seconds histogram\n"
            "latency_seconds_bucket{route=\"/x\",le=\"0.001\"} 1\n"
            "latency_seconds_bucket{route=\"/x\",le=\"0.25\"} 2\n"
            "latency_seconds_bucket{route=\"/x\",le=\"1\"} 2\n"
            "latency_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"
            "latency_seconds_sum{route=\"/x\"} 3.2509765625\n"
            "latency_seconds_count{route=\"/x\"} 3\n"
            "# HELP model_info The model served.\n"
            "# TYPE model_info gauge\n"
            "model_info{name=\"credit \\\"default\\\"\",version=\"3\"} 1\n"
            "# HELP logged_total Logged.\n"
            "# TYPE logged_total counter\n"
            "logged_total 7\n");
  CREDO_SKIP_WITHOUT_PROMTOOL();
  EXPECT_EQ(promtool_problems(registry.render()), "");
}

TEST(PrometheusMetrics, TheSameLabelsReturnTheSameSeries) {
  MetricsRegistry registry;
  Counter* a = registry.counter("a_total", "A.", {{"k", "v"}}).value();
  EXPECT_EQ(registry.counter("a_total", "A.", {{"k", "v"}}).value(), a);
  EXPECT_NE(registry.counter("a_total", "A.", {{"k", "w"}}).value(), a);
}

TEST(PrometheusMetrics, AnInfoMetricShowsOnlyItsCurrentLabels) {
  MetricsRegistry registry;
  InfoMetric* info = registry.info("model_info", "Model.", {"version"}).value();
  EXPECT_EQ(registry.render(), "# HELP model_info Model.\n# TYPE model_info gauge\n");
  info->set({"1"});
  info->set({"2"});
  EXPECT_EQ(registry.render(), "# HELP model_info Model.\n# TYPE model_info gauge\nmodel_info{version=\"2\"} 1\n");
}

struct ValueCase {
  double value;
  const char* text;
};

TEST(PrometheusMetrics, FormatsValuesAsPrometheusReadsThem) {
  const ValueCase cases[] = {
      {0, "0"},
      {5, "5"},
      {-3, "-3"},
      {2.5, "2.5"},
      {0.0001, "0.0001"},
      {0.00025, "0.00025"},
      {1e-7, "1e-07"},
      {0.1 + 0.2, "0.30000000000000004"},
      {1e20, "1e+20"},
      {1712345678.25, "1.71234567825e+09"},  // as Go's client writes process_start_time_seconds
      {std::numeric_limits<double>::infinity(), "+Inf"},
      {-std::numeric_limits<double>::infinity(), "-Inf"},
      {std::nan(""), "NaN"},
  };
  for (const ValueCase& c : cases) EXPECT_EQ(format_metric_value(c.value), c.text) << c.text;
}

TEST(PrometheusMetrics, EscapesLabelValuesAndHelp) {
  EXPECT_EQ(escape_label_value("plain /api/v1"), "plain /api/v1");
  EXPECT_EQ(escape_label_value("a\\b\"c\nd"), "a\\\\b\\\"c\\nd");
  EXPECT_EQ(escape_help("say \"hi\"\\\n"), "say \"hi\"\\\\\\n");  // quotes stay in HELP

  MetricsRegistry registry;
  registry.counter("odd_total", "Odd labels.", {{"value", "back\\slash \"quoted\"\nnew line"}}).value()->increment();
  std::string text = registry.render();
  EXPECT_EQ(sample_value(text, "odd_total{value=\"back\\\\slash \\\"quoted\\\"\\nnew line\"}"), 1) << text;
  CREDO_SKIP_WITHOUT_PROMTOOL();
  EXPECT_EQ(promtool_problems(text), "") << text;  // Prometheus' parser reads the escapes
}

TEST(PrometheusMetrics, ValidatesNames) {
  EXPECT_TRUE(is_valid_metric_name("credo:http_requests_total"));
  EXPECT_TRUE(is_valid_metric_name("_x"));
  EXPECT_FALSE(is_valid_metric_name(""));
  EXPECT_FALSE(is_valid_metric_name("2xx_total"));
  EXPECT_FALSE(is_valid_metric_name("http-requests"));
  EXPECT_FALSE(is_valid_metric_name("caf\xc3\xa9"));
  EXPECT_TRUE(is_valid_label_name("route"));
  EXPECT_FALSE(is_valid_label_name("__name__"));
  EXPECT_FALSE(is_valid_label_name("a:b"));
  EXPECT_FALSE(is_valid_label_name("1a"));
}

struct RefusedCase {
  const char* what;
  std::function<Status(MetricsRegistry&)> attempt;
  const char* message_part;
};

TEST(PrometheusMetrics, RefusesWhatTheFormatCannotSay) {
  const double increasing[] = {1, 2};
  const double decreasing[] = {1, 0.5};
  const double infinite[] = {1, std::numeric_limits<double>::infinity()};
  const RefusedCase cases[] = {
      {"bad name", [](MetricsRegistry& r) { return r.counter("bad-name", "x").status(); }, "metric 'bad-name'"},
      {"reserved label", [](MetricsRegistry& r) { return r.counter("a_total", "x", {{"__x", "1"}}).status(); }, "'__x'"},
      {"label twice", [](MetricsRegistry& r) { return r.counter("a_total", "x", {{"k", "1"}, {"k", "2"}}).status(); },
       "appears twice"},
      {"le on a histogram",
       [&](MetricsRegistry& r) { return r.histogram("h", "x", increasing, {{"le", "1"}}).status(); }, "'le'"},
      {"decreasing buckets", [&](MetricsRegistry& r) { return r.histogram("h", "x", decreasing).status(); },
       "bound 1 is 0.5"},
      {"infinite bucket", [&](MetricsRegistry& r) { return r.histogram("h", "x", infinite).status(); }, "+Inf"},
      {"other type",
       [](MetricsRegistry& r) {
         (void)r.counter("a_total", "x");
         return r.gauge("a_total", "x").status();
       },
       "another type"},
      {"other labels",
       [](MetricsRegistry& r) {
         (void)r.counter("a_total", "x", {{"k", "1"}});
         return r.counter("a_total", "x", {{"j", "1"}}).status();
       },
       "labels (j) differ from the family's (k)"},
      {"other buckets",
       [&](MetricsRegistry& r) {
         (void)r.histogram("h", "x", increasing, {{"k", "1"}});
         return r.histogram("h", "x", std::span<const double>(increasing, 1), {{"k", "2"}}).status();
       },
       "other buckets"},
      {"info twice",
       [](MetricsRegistry& r) {
         (void)r.info("i", "x", {"v"});
         return r.info("i", "x", {"v"}).status();
       },
       "registered once"},
      {"counter over a function",
       [](MetricsRegistry& r) {
         (void)r.counter_from("c_total", "x", {}, [] { return uint64_t{1}; });
         return r.counter("c_total", "x").status();
       },
       "read from a function"},
  };
  for (const RefusedCase& c : cases) {
    MetricsRegistry registry;
    Status status = c.attempt(registry);
    EXPECT_FALSE(status.ok()) << c.what;
    EXPECT_NE(status.message().find(c.message_part), std::string::npos) << c.what << ": " << status.message();
  }
}

TEST(PrometheusMetrics, ConcurrentObservationsSumExactly) {
  MetricsRegistry registry;
  Counter* requests = registry.counter("requests_total", "Requests.").value();
  Gauge* in_flight = registry.gauge("in_flight", "Requests being served.").value();
  const double bounds[] = {0.1, 1};
  Histogram* latency = registry.histogram("latency_seconds", "Latency.", bounds).value();
  constexpr int kThreads = 8, kPerThread = 200000;
  std::atomic<bool> done{false};
  std::vector<std::string> snapshots;  // rendered while the others observe: each must pass promtool
  std::thread scraper([&] {
    while (!done.load()) {
      std::string text = registry.render();
      if (snapshots.size() < 20 && (snapshots.empty() || snapshots.back() != text)) snapshots.push_back(std::move(text));
    }
  });
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        requests->increment();
        in_flight->add(0.5);
        latency->observe(t % 2 == 0 ? 0.0625 : 0.5);  // binary fractions: every partial sum is exact
      }
    });
  }
  for (std::thread& t : threads) t.join();
  done = true;
  scraper.join();

  std::string text = registry.render();
  constexpr double kTotal = double{kThreads} * kPerThread;
  EXPECT_EQ(requests->value(), kTotal);
  EXPECT_EQ(sample_value(text, "requests_total"), kTotal);
  EXPECT_EQ(sample_value(text, "in_flight"), kTotal * 0.5);
  EXPECT_EQ(sample_value(text, "latency_seconds_bucket{le=\"0.1\"}"), kTotal / 2);
  EXPECT_EQ(sample_value(text, "latency_seconds_bucket{le=\"1\"}"), kTotal);
  EXPECT_EQ(sample_value(text, "latency_seconds_bucket{le=\"+Inf\"}"), kTotal);
  EXPECT_EQ(sample_value(text, "latency_seconds_count"), kTotal);
  EXPECT_EQ(sample_value(text, "latency_seconds_sum"), kTotal / 2 * (0.0625 + 0.5));
  CREDO_SKIP_WITHOUT_PROMTOOL();
  ASSERT_FALSE(snapshots.empty());
  for (const std::string& snapshot : snapshots) EXPECT_EQ(promtool_problems(snapshot), "") << snapshot;
}

}  // namespace
}  // namespace credo::serve
