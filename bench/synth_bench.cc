// Benchmark of `credo synth`: generates N clients (default: the full 356,255) into a
// temporary directory and prints rows/s, MB/s, wall time and peak memory.
// Usage: synth_bench [--clients N] [--threads T] [--keep]
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "bench_support.h"
#include "credo/synth/synth.h"

int main(int argc, char** argv) {
  credo::SynthOptions options;
  options.clients = 356255;
  options.seed = 42;
  bool keep = false;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--clients") && i + 1 < argc) options.clients = std::atoll(argv[++i]);
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) options.threads = std::atoi(argv[++i]);
    else if (!std::strcmp(argv[i], "--keep")) keep = true;
    else {
      std::fprintf(stderr, "usage: synth_bench [--clients N] [--threads T] [--keep]\n");
      return 2;
    }
  }
  auto dir = std::filesystem::temp_directory_path() / ("credo_synth_bench_" + std::to_string(::getpid()));
  options.out_dir = dir.string();
  options.progress = stderr;
  auto start = std::chrono::steady_clock::now();
  auto result = credo::generate_homecredit(options);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (!result.ok()) {
    std::fprintf(stderr, "synth_bench: %s\n", result.status().to_string().c_str());
    return 1;
  }
  uint64_t rows = 0, bytes = 0;
  for (size_t t = 0; t < credo::kHcTableCount; ++t) {
    rows += static_cast<uint64_t>(result->rows[t]);
    bytes += result->bytes[t];
  }
  std::printf("synth %lld clients: %llu rows, %.1f MB in %.2f s\n", static_cast<long long>(options.clients),
              static_cast<unsigned long long>(rows), bytes / 1e6, seconds);
  std::printf("  %.2f M rows/s, %.1f MB/s, peak RSS %.0f MB\n", rows / seconds / 1e6, bytes / seconds / 1e6,
              credo::bench::peak_memory_mb());
  std::printf("  default rate %.2f%%, Bayes AUC %.4f (application only %.4f)\n", 100 * result->default_rate,
              result->bayes_auc, result->app_only_auc);
  if (keep) std::printf("  kept in %s\n", options.out_dir.c_str());
  else std::filesystem::remove_all(dir);
  return 0;
}
