// Benchmark of the tracking store at the scale where MLflow's UI is known to slow down:
// 10,000 runs with 50 metrics and 5 params each in one experiment, then
//   - listing every run with its params and metrics (what `credo runs list --json` does),
//   - a filter plus an order (`--filter "metrics.m7 > 0.5 and params.algo = 'xgboost'"
//     --order-by metrics.business_cost`),
//   - the best 20 runs by a metric,
//   - logging 100,000 metric points through the batched ActiveRun API (one run, 10 keys,
//     10,000 steps each, as boosting rounds are logged).
// Each query is repeated (--repeat, default 5) and the median printed, with the peak memory.
// usage: store_bench [--runs N] [--metrics M] [--points P] [--repeat R] [--dir DIR]
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench_support.h"
#include "credo/base/random.h"
#include "credo/base/clock.h"
#include "credo/base/temp_dir.h"
#include "credo/store/active_run.h"
#include "credo/store/store.h"

namespace {

using Clock = std::chrono::steady_clock;

using credo::seconds_since;
using credo::bench::median;
constexpr credo::bench::ExitOnError check("store_bench");

}  // namespace

int main(int argc, char** argv) {
  size_t runs = 10000, metrics = 50, points = 100000;
  int repeat = 5;
  std::string dir_flag;
  using credo::bench::flag_value;
  if (const char* value = flag_value(argc, argv, 1, "--runs")) runs = std::stoul(value);
  if (const char* value = flag_value(argc, argv, 1, "--metrics")) metrics = std::stoul(value);
  if (const char* value = flag_value(argc, argv, 1, "--points")) points = std::stoul(value);
  if (const char* value = flag_value(argc, argv, 1, "--repeat")) repeat = std::stoi(value);
  if (const char* value = flag_value(argc, argv, 1, "--dir")) dir_flag = value;
  credo::TempDir temp("store_bench");
  std::filesystem::path dir = dir_flag.empty() ? temp.path() / "store" : std::filesystem::path(dir_flag);
  auto store = check(credo::store::open_store(dir));
  credo::Rng rng(42);
  const char* algos[] = {"dummy", "logreg", "random_forest", "xgboost"};

  auto start = Clock::now();
  for (size_t r = 0; r < runs; ++r) {
    credo::store::NewRun run;
    run.experiment_name = "bench";
    run.run_name = "trial-" + std::to_string(r);
    credo::store::RunInfo info = check(store->create_run(run));
    std::vector<credo::store::Metric> values;
    for (size_t m = 0; m < metrics; ++m) values.push_back({"m" + std::to_string(m), rng.uniform(), 0, 0});
    values.push_back({"business_cost", 0.4 + 0.2 * rng.uniform(), 0, 0});
    check(store->log_batch(info.run_id, values,
                           {{"algo", algos[r % 4]}, {"max_depth", std::to_string(3 + r % 6)},
                            {"eta", std::to_string(0.01 * (1 + r % 30))}, {"sampler", r % 2 ? "smote" : "weights"},
                            {"seed", "42"}},
                           {}));
    check(store->set_run_status(info.run_id, credo::store::RunStatus::kFinished));
  }
  double create_s = seconds_since(start);
  std::printf("created            %zu runs x %zu metrics + 5 params in %.2f s (%.0f runs/s)\n", runs, metrics + 1,
              create_s, runs / create_s);

  auto time_search = [&](const char* label, const std::string& filter, const std::string& order, int64_t limit) {
    credo::store::RunSearch search;
    search.experiment_ids = {check(store->get_experiment_by_name("bench")).id};
    search.filter = check(credo::store::parse_run_filter(filter));
    if (!order.empty()) search.order_by.push_back(check(credo::store::parse_run_order(order)));
    search.max_results = limit;
    std::vector<double> times;
    size_t found = 0;
    for (int i = 0; i < repeat; ++i) {
      auto t = Clock::now();
      found = check(store->search_runs(search)).size();
      times.push_back(seconds_since(t));
    }
    std::printf("%-18s %6zu runs in %7.1f ms (median of %d)\n", label, found, 1000 * median(times), repeat);
  };
  time_search("list all", "", "", 0);
  time_search("filter + order", "metrics.m7 > 0.5 and params.algo = 'xgboost'", "metrics.business_cost", 0);
  time_search("best 20", "", "metrics.business_cost ASC", 20);

  credo::store::RunOptions options;
  options.experiment = "bench";
  options.run_name = "boosting";
  auto run = check(credo::store::ActiveRun::start(*store, options));
  start = Clock::now();
  for (size_t p = 0; p < points; ++p)
    check(run->log_metric("valid_" + std::to_string(p % 10), 1.0 / (1 + p), static_cast<int64_t>(p / 10)));
  check(run->end());
  double log_s = seconds_since(start);
  std::printf("logged             %zu metric points in %.3f s (%.0f points/s)\n", points, log_s, points / log_s);
  std::printf("store file         %.1f MB\n", std::filesystem::file_size(dir / "store.db") / 1e6);
  credo::bench::print_peak_memory(19);
  return 0;
}
