// Benchmark of the data stage: reads the eight Home Credit CSV files (a folder or the zip)
// with their schemas and prints, per table and in total, MB/s, rows/s, wall time, the
// memory the tables hold and the process's peak memory.
// usage: data_bench DATA_DIR_OR_ZIP [--threads N]
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>

#include "credo/base/memory.h"
#include "credo/data/homecredit_loader.h"

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s DATA_DIR_OR_ZIP [--threads N]\n", argv[0]);
    return 2;
  }
  std::string path = argv[1];
  int threads = 0;
  for (int i = 2; i + 1 < argc; ++i)
    if (std::strcmp(argv[i], "--threads") == 0) threads = std::atoi(argv[i + 1]);
  auto source = credo::HomeCreditSource::open(path);
  if (!source.ok()) {
    std::fprintf(stderr, "data_bench: %s\n", source.status().to_string().c_str());
    return 1;
  }
  std::printf("data stage: reading the Home Credit tables from %s%s\n", path.c_str(), source->is_zip() ? " (zip)" : "");
  std::printf("%-28s %12s %10s %8s %9s %11s %11s\n", "table", "rows", "CSV MB", "s", "MB/s", "Mrows/s", "memory MB");
  double total_mb = 0, total_s = 0, total_mem = 0;
  size_t total_rows = 0;
  std::vector<credo::Table> keep;  // hold every table, as a full load does, for the peak memory
  for (const auto& info : credo::homecredit_tables()) {
    auto bytes = source->open_table(info.id);
    if (!bytes.ok()) {
      std::fprintf(stderr, "data_bench: %s\n", bytes.status().to_string().c_str());
      return 1;
    }
    double mb = static_cast<double>((*bytes)->size_hint()) / 1e6;
    auto start = std::chrono::steady_clock::now();
    credo::CsvReadOptions options;
    options.schema = &credo::homecredit_schema(info.id);
    options.unique_key = std::string(info.unique_key);
    options.threads = threads;
    auto table = credo::read_csv(**bytes, options);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!table.ok()) {
      std::fprintf(stderr, "data_bench: %s\n", table.status().to_string().c_str());
      return 1;
    }
    double mem = static_cast<double>(table->memory_bytes()) / 1e6;
    std::printf("%-28s %12zu %10.1f %8.2f %9.0f %11.2f %11.1f\n", std::string(info.file_name).c_str(),
                table->num_rows(), mb, s, mb / s, static_cast<double>(table->num_rows()) / s / 1e6, mem);
    total_mb += mb;
    total_s += s;
    total_mem += mem;
    total_rows += table->num_rows();
    keep.push_back(std::move(*table));
  }
  double peak = static_cast<double>(credo::peak_rss_bytes()) / 1e6;
  std::printf("%-28s %12zu %10.1f %8.2f %9.0f %11.2f %11.1f\n", "total", total_rows, total_mb, total_s,
              total_mb / total_s, static_cast<double>(total_rows) / total_s / 1e6, total_mem);
  std::printf("peak memory %.0f MB = %.2f x the loaded tables (%.0f MB)\n", peak, peak / total_mem, total_mem);
  return 0;
}
