// Benchmark of scoring a posted application, before the model: the body's JSON text parsed,
// turned into the client's raw rows (serve/application_json), and its feature vector computed
// online (FeaturePipeline::compute_client). The scoring API must answer 10,000 posted
// applications per second on 2 cores shared with its load generator, so these steps have
// ~80 us per application at most; each is timed alone, on one thread (CPU time), over real
// application rows.
// usage: application_json_bench FEATURES APPLICATION_CSV [--rows N] [--seconds S]
//   FEATURES: a feature file whose metadata holds the fitted pipeline (demo/features.credo)
//   APPLICATION_CSV: application rows to post (demo/data/application_test.csv)
#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_support.h"
#include "credo/base/clock.h"
#include "credo/data/csv_reader.h"
#include "credo/data/homecredit.h"
#include "credo/features/feature_matrix.h"
#include "credo/features/pipeline.h"
#include "credo/serve/application_json.h"

namespace {

using Clock = std::chrono::steady_clock;
using credo::seconds_since;

constexpr credo::bench::ExitOnError must("application_json_bench");

// CPU seconds of this thread: on a machine shared with other work, wall time measures the
// neighbours as much as the code.
double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

// Runs `step` over every body, pass after pass, for at least `seconds` of CPU time; CPU
// microseconds per body.
template <typename Step>
double us_per_body(size_t bodies, double seconds, Step step) {
  double start = thread_cpu_seconds();
  size_t done = 0;
  do {
    for (size_t i = 0; i < bodies; ++i) step(i);
    done += bodies;
  } while (thread_cpu_seconds() - start < seconds);
  return 1e6 * (thread_cpu_seconds() - start) / static_cast<double>(done);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: application_json_bench FEATURES APPLICATION_CSV [--rows N] [--seconds S]\n");
    return 2;
  }
  size_t max_rows = 2000;
  double seconds = 2;
  if (const char* rows = credo::bench::flag_value(argc, argv, 3, "--rows")) max_rows = std::stoul(rows);
  if (const char* s = credo::bench::flag_value(argc, argv, 3, "--seconds")) seconds = std::stod(s);
  auto start = Clock::now();
  credo::FeatureMatrix matrix = must(credo::read_feature_matrix(argv[1]));
  credo::FeaturePipeline pipeline = must(credo::FeaturePipeline::from_metadata(matrix.metadata()));
  double load_s = seconds_since(start);
  credo::CsvReadOptions options;
  options.schema = &credo::homecredit_schema(credo::HcTable::kApplicationTest);
  credo::Table applications = must(credo::read_csv_file(argv[2], options));

  // The bodies a client would post: each real row's fields (missing ones left out), as text.
  std::vector<std::string> bodies;
  for (size_t r = 0; r < applications.num_rows() && bodies.size() < max_rows; ++r) {
    nlohmann::json fields = credo::serve::application_row_to_json(credo::take_rows(applications, {r}));
    for (auto it = fields.begin(); it != fields.end();) it = it->is_null() ? fields.erase(it) : std::next(it);
    bodies.push_back(nlohmann::json{{"application", fields}}.dump());
  }
  const size_t n = bodies.size();
  size_t body_bytes = 0;
  for (const auto& b : bodies) body_bytes += b.size();

  std::vector<nlohmann::json> parsed(n);
  double parse_us = us_per_body(n, seconds, [&](size_t i) { parsed[i] = nlohmann::json::parse(bodies[i]); });
  std::vector<credo::ClientRows> rows(n);
  double rows_us = us_per_body(n, seconds, [&](size_t i) { rows[i] = must(credo::serve::client_rows_from_json(parsed[i])); });
  double checksum = 0;
  double features_us = us_per_body(n, seconds, [&](size_t i) {
    std::vector<double> vector = must(pipeline.compute_client(rows[i]));
    checksum += vector[i % vector.size()];
  });
  // As the server does it: the rows handed over to compute_client, which then works on the
  // application row in place instead of copying it.
  double handed_over_us = us_per_body(n, seconds, [&](size_t i) {
    credo::ClientRows posted = must(credo::serve::client_rows_from_json(parsed[i]));
    std::vector<double> vector = must(pipeline.compute_client(std::move(posted)));
    checksum += vector[i % vector.size()];
  });
  double total_us = parse_us + handed_over_us;

  std::printf("pipeline           %zu features, restored from %s in %.2f s\n", pipeline.features().size(), argv[1], load_s);
  std::printf("bodies             %zu posted applications (no history), %.0f bytes each on average\n", n,
              static_cast<double>(body_bytes) / static_cast<double>(n));
  std::printf("JSON text parse    %8.2f us per application\n", parse_us);
  std::printf("rows from JSON     %8.2f us per application (client_rows_from_json)\n", rows_us);
  std::printf("features           %8.2f us per application (compute_client on rows kept)\n", features_us);
  std::printf("rows + features    %8.2f us per application (the rows handed over: compute_client(std::move(rows)))\n",
              handed_over_us);
  std::printf("parse, rows, features %5.2f us per application: %.0f applications per second on one core\n", total_us,
              1e6 / total_us);
  std::printf("peak memory        %.0f MB (checksum %g)\n", credo::bench::peak_memory_mb(), checksum);
  return 0;
}
