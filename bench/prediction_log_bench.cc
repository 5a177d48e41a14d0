// Benchmark of the prediction log's group commit: what it costs that record() returns only once
// its event is committed. 1, 8 and 64 callers (the HTTP server runs up to 64 workers) record
// events as fast as they are acknowledged, for --seconds each, on a fresh store, with SQLite's
// synchronous=NORMAL (a commit survives a process crash) and FULL (it survives a power cut:
// one fsync per commit). Prints events/s and each record()'s latency, median and 99th percentile.
// usage: prediction_log_bench [--seconds S] [--callers N] [--dir DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <thread>
#include <vector>

#include "bench_support.h"
#include "credo/base/temp_dir.h"
#include "credo/serve/prediction_log.h"
#include "credo/serve/prediction_log_testing.h"
#include "credo/store/store.h"

namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr credo::bench::ExitOnError check("prediction_log_bench");

struct Measured {
  double events_per_second = 0;
  double p50_us = 0, p99_us = 0;
};

Measured measure(const std::filesystem::path& store_dir, bool sync_each_commit, int callers, double seconds) {
  auto store = check(credo::store::open_store(store_dir, true, nullptr, {.sync_each_commit = sync_each_commit}));
  credo::serve::PredictionLog log(*store);
  std::vector<std::vector<double>> latencies_us(callers);
  std::vector<std::thread> threads;
  auto start = SteadyClock::now();
  auto deadline = start + std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(seconds));
  for (int t = 0; t < callers; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; SteadyClock::now() < deadline; ++i) {
        auto before = SteadyClock::now();
        check(log.record(credo::serve::testing_event(t, i)));
        latencies_us[t].push_back(std::chrono::duration<double, std::micro>(SteadyClock::now() - before).count());
      }
    });
  for (auto& t : threads) t.join();
  double elapsed = std::chrono::duration<double>(SteadyClock::now() - start).count();
  std::vector<double> all;
  for (const auto& l : latencies_us) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  Measured m;
  m.events_per_second = static_cast<double>(all.size()) / elapsed;
  m.p50_us = all[all.size() / 2];
  m.p99_us = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 2;
  std::vector<int> callers = {1, 8, 64};
  std::string dir_flag;
  using credo::bench::flag_value;
  if (const char* value = flag_value(argc, argv, 1, "--seconds")) seconds = std::stod(value);
  if (const char* value = flag_value(argc, argv, 1, "--callers")) callers = {std::stoi(value)};
  if (const char* value = flag_value(argc, argv, 1, "--dir")) dir_flag = value;
  credo::TempDir temp("prediction_log_bench");
  std::filesystem::path root = dir_flag.empty() ? temp.path() : std::filesystem::path(dir_flag);
  std::printf("%-8s %-8s %12s %10s %10s\n", "callers", "sync", "events/s", "p50 us", "p99 us");
  int run = 0;
  for (bool full : {false, true})
    for (int n : callers) {
      Measured m = measure(root / ("store_" + std::to_string(run++)), full, n, seconds);
      std::printf("%-8d %-8s %12.0f %10.0f %10.0f\n", n, full ? "FULL" : "NORMAL", m.events_per_second, m.p50_us,
                  m.p99_us);
      std::fflush(stdout);
    }
  credo::bench::print_peak_memory(39);
  return 0;
}
