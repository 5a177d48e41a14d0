// Benchmark of the feature store at Home Credit scale: builds a random 356,255 x 800 feature
// matrix (ids 100002.., a tenth of the clients in the test set, a fifth of the values missing),
// then prints the binary write rate, the load time, the CSV export rate, ClientStore lookups
// per second and the process's peak memory. Files go to DIR (default: the temp folder) and are
// removed at the end. Write and load are repeated (--repeat, default 3) and the median printed:
// on this kind of virtual machine the first write of a process runs at a quarter of the speed of
// later ones (fresh page-cache memory), and other work on the machine moves single runs a lot.
// usage: feature_store_bench [--rows N] [--features F] [--dir DIR] [--threads T] [--repeat R] [--keep]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bench_support.h"
#include "credo/base/parallel.h"
#include "credo/base/clock.h"
#include "credo/base/random.h"
#include "credo/features/client_store.h"
#include "credo/features/feature_matrix.h"

namespace {

using credo::seconds_since;
using credo::bench::median;
constexpr credo::bench::ExitOnError check("feature_store_bench");

double file_mb(const std::string& path) { return static_cast<double>(std::filesystem::file_size(path)) / 1e6; }

// Values shaped like engineered features: counts, amounts with cents, ratios, and missing values.
credo::FeatureMatrix random_matrix(size_t rows, size_t features, int threads) {
  std::vector<credo::FeatureInfo> infos(features);
  for (size_t f = 0; f < features; ++f) {
    infos[f].name = "BURO_FEATURE_";
    infos[f].name += std::to_string(f);
    infos[f].table = "bureau";
    infos[f].aggregation = "mean";
    infos[f].source_column = "AMT_CREDIT_SUM";
  }
  credo::FeatureMatrix m(std::move(infos), rows);
  const size_t block = 4096;
  credo::parallel_for((rows + block - 1) / block, threads, [&](size_t b) {
    credo::Rng rng(42, b);
    for (size_t r = b * block; r < std::min(rows, (b + 1) * block); ++r) {
      m.set_client(r, 100002 + static_cast<int64_t>(r), rng.bernoulli(0.1) ? -1 : rng.bernoulli(0.08), false);
      float* values = m.row(r);
      for (size_t f = 0; f < features; ++f) {
        if (rng.bernoulli(0.2)) continue;  // stays NaN
        switch (f % 3) {
          case 0: values[f] = static_cast<float>(rng.below(20)); break;
          case 1: values[f] = static_cast<float>(std::round(rng.uniform(0, 2e6)) / 100); break;
          default: values[f] = static_cast<float>(rng.uniform()); break;
        }
      }
    }
  });
  for (size_t r = 0; r < rows; r += 10) m.set_client(r, m.id(r), -1, true);
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  size_t rows = 356'255, features = 800;
  int threads = 0, repeat = 3;
  bool keep = false;
  std::string dir = std::filesystem::temp_directory_path().string();
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--rows" && i + 1 < argc) rows = std::stoul(argv[++i]);
    else if (arg == "--features" && i + 1 < argc) features = std::stoul(argv[++i]);
    else if (arg == "--threads" && i + 1 < argc) threads = std::stoi(argv[++i]);
    else if (arg == "--dir" && i + 1 < argc) dir = argv[++i];
    else if (arg == "--repeat" && i + 1 < argc) repeat = std::max(1, std::stoi(argv[++i]));
    else if (arg == "--keep") keep = true;
    else {
      std::fprintf(stderr, "usage: feature_store_bench [--rows N] [--features F] [--dir DIR] [--threads T] [--repeat R] [--keep]\n");
      return 2;
    }
  }
  std::string bin_path = dir + "/feature_store_bench.cfm", csv_path = dir + "/feature_store_bench.csv";

  auto start = std::chrono::steady_clock::now();
  credo::FeatureMatrix m = random_matrix(rows, features, threads);
  std::printf("matrix       %zu x %zu, %.0f MB of values, built in %.2f s\n", rows, features,
              static_cast<double>(m.values().size_bytes()) / 1e6, seconds_since(start));

  std::vector<double> write_s, load_s;
  credo::StatusOr<credo::FeatureMatrix> loaded = credo::Status::Internal("not loaded");
  for (int run = 0; run < repeat; ++run) {
    loaded = credo::Status::Internal("released");  // unmaps the previous run's file
    start = std::chrono::steady_clock::now();
    credo::Status written = credo::write_feature_matrix(m, bin_path);
    write_s.push_back(seconds_since(start));
    check(written);
    start = std::chrono::steady_clock::now();
    loaded = credo::read_feature_matrix(bin_path);
    load_s.push_back(seconds_since(start));
    check(loaded.status());
  }
  double mb = file_mb(bin_path);
  std::printf("write        %8.1f MB in %6.2f s  %7.0f MB/s  (median of %d; first %.2f s)\n", mb, median(write_s),
              mb / median(write_s), repeat, write_s.front());
  std::printf("load         %8.1f MB in %6.3f s  (median of %d, file in the page cache)\n", mb, median(load_s), repeat);

  // One pass over every value, to show what touching the loaded matrix costs.
  start = std::chrono::steady_clock::now();
  size_t present = 0;
  for (float v : loaded->values()) present += !std::isnan(v);
  double scan_s = seconds_since(start);
  bool same = std::memcmp(loaded->values().data(), m.values().data(), m.values().size_bytes()) == 0;
  double present_pct = 100.0 * static_cast<double>(present) / static_cast<double>(m.values().size());
  std::printf("  full scan of the loaded values %.3f s, %.1f%% present, %s\n", scan_s, present_pct,
              same ? "bitwise equal" : "DIFFERENT");
  loaded = credo::Status::Internal("released");

  start = std::chrono::steady_clock::now();
  credo::Status csv = credo::write_feature_matrix_csv(m, csv_path, threads);
  double csv_s = seconds_since(start);
  check(csv);
  std::printf("CSV export   %8.1f MB in %6.2f s  %7.0f MB/s  %.1f Mvalues/s\n", file_mb(csv_path), csv_s,
              file_mb(csv_path) / csv_s, static_cast<double>(m.values().size()) / csv_s / 1e6);

  start = std::chrono::steady_clock::now();
  auto store = credo::ClientStore::open(bin_path);
  double open_s = seconds_since(start);
  check(store.status());
  // Random ids: find() on a mix where a fifth are unknown, features_of() (reading one value of the
  // vector, so the row is really fetched) on known ids, as the scoring service asks.
  const size_t lookups = 10'000'000;
  std::vector<int64_t> mixed_ids(1 << 16), known_ids(1 << 16);
  credo::Rng rng(7);
  for (auto& id : mixed_ids) id = 100002 + static_cast<int64_t>(rng.below(rows + rows / 4));
  for (auto& id : known_ids) id = 100002 + static_cast<int64_t>(rng.below(rows));
  size_t found = 0;
  start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < lookups; ++i) found += store->find(mixed_ids[i & (mixed_ids.size() - 1)]).has_value();
  double find_s = seconds_since(start);
  double checksum = 0;
  start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < lookups; ++i) {
    auto vector = store->features_of(known_ids[i & (known_ids.size() - 1)]);
    float v = (*vector)[i % features];
    checksum += std::isnan(v) ? 0 : v;
  }
  double features_s = seconds_since(start);
  std::printf("ClientStore  open %.3f s\n", open_s);
  std::printf("  find         %.1f M lookups/s, %5.1f ns per lookup (%.0f%% found)\n", lookups / find_s / 1e6,
              find_s / lookups * 1e9, 100.0 * static_cast<double>(found) / lookups);
  std::printf("  features_of  %.1f M lookups/s, %5.1f ns per lookup (a random row read; checksum %.3g)\n",
              lookups / features_s / 1e6, features_s / lookups * 1e9, checksum);
  credo::bench::print_peak_memory(13);

  if (!keep) {
    std::filesystem::remove(bin_path);
    std::filesystem::remove(csv_path);
  }
  return 0;
}
