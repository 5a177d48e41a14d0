// Benchmark of the data stage: reads the eight Home Credit CSV files (a folder or the zip)
// with their schemas and prints, per table and in total, MB/s, rows/s, wall time, the
// memory the tables hold and the process's peak memory.
// The load is repeated (--repeat, default 3) and the median run is reported, because on a
// shared virtual machine single runs vary by tens of percent.
// usage: data_bench DATA_DIR_OR_ZIP [--threads N] [--repeat R]
#include <algorithm>
#include <chrono>
#include <vector>
#include <cstdio>
#include <string>

#include "bench_support.h"
#include "credo/data/homecredit_loader.h"

namespace {

struct Run {
  double seconds = 0;
  double table_mb = 0;
  std::string report;
};

// Loads every table once, keeping them all (as a full load does) until the run ends.
credo::StatusOr<Run> load_all(const credo::HomeCreditSource& source, int threads) {
  Run run;
  char line[256];
  std::snprintf(line, sizeof line, "%-28s %12s %10s %8s %9s %11s %11s\n", "table", "rows", "CSV MB", "s", "MB/s",
                "Mrows/s", "memory MB");
  run.report += line;
  double total_mb = 0;
  size_t total_rows = 0;
  std::vector<credo::Table> keep;
  for (const auto& info : credo::homecredit_tables()) {
    double mb = 0;
    {
      CREDO_ASSIGN_OR_RETURN(auto bytes, source.open_table(info.id));
      mb = static_cast<double>(bytes->size_hint()) / 1e6;
    }
    auto start = std::chrono::steady_clock::now();
    CREDO_ASSIGN_OR_RETURN(credo::Table table, credo::load_homecredit_table(source, info.id, threads, nullptr));
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double mem = static_cast<double>(table.memory_bytes()) / 1e6;
    std::snprintf(line, sizeof line, "%-28s %12zu %10.1f %8.2f %9.0f %11.2f %11.1f\n",
                  std::string(info.file_name).c_str(), table.num_rows(), mb, s, mb / s,
                  static_cast<double>(table.num_rows()) / s / 1e6, mem);
    run.report += line;
    total_mb += mb;
    run.seconds += s;
    run.table_mb += mem;
    total_rows += table.num_rows();
    keep.push_back(std::move(table));
  }
  std::snprintf(line, sizeof line, "%-28s %12zu %10.1f %8.2f %9.0f %11.2f %11.1f\n", "total", total_rows, total_mb,
                run.seconds, total_mb / run.seconds, static_cast<double>(total_rows) / run.seconds / 1e6, run.table_mb);
  run.report += line;
  return run;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DATA_DIR_OR_ZIP [--threads N]\n", argv[0]);
    return 2;
  }
  std::string path = argv[1];
  int threads = 0, repeat = 3;
  if (const char* value = credo::bench::flag_value(argc, argv, 2, "--threads")) threads = std::atoi(value);
  if (const char* value = credo::bench::flag_value(argc, argv, 2, "--repeat")) repeat = std::max(1, std::atoi(value));
  constexpr credo::bench::ExitOnError check("data_bench");
  credo::HomeCreditSource source = check(credo::HomeCreditSource::open(path));
  std::printf("data stage: reading the Home Credit tables from %s%s\n", path.c_str(), source.is_zip() ? " (zip)" : "");
  std::vector<Run> runs;
  for (int r = 0; r < repeat; ++r) {
    Run run = check(load_all(source, threads));
    std::printf("run %d: %.2f s\n", r + 1, run.seconds);
    runs.push_back(std::move(run));
  }
  std::sort(runs.begin(), runs.end(), [](const Run& a, const Run& b) { return a.seconds < b.seconds; });
  const Run& median = runs[runs.size() / 2];
  std::printf("median run:\n%s", median.report.c_str());
  double peak = credo::bench::peak_memory_mb();
  std::printf("peak memory %.0f MB = %.2f x the loaded tables (%.0f MB)\n", peak, peak / median.table_mb, median.table_mb);
  return 0;
}
