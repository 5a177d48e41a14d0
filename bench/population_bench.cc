// Benchmark of the dashboard's population answers at Home Credit scale (356,255 clients, the
// feature file of `credo features`): load times and memory of the client profiles, the matrix
// and the similarity index, then the latency of distributions (first use of a feature, which
// gathers its column from the mapped matrix, and later uses, with and without filters) and of
// the nearest clients. Budgets: a distribution < 20 ms, the nearest clients < 50 ms.
// Measured (2 shared cores): profiles 3.9 s and 422 MB, population 0.5 s; a distribution 2.7-6.7 ms
// (first use of a feature 14 ms median), similar 8.3 ms; 64 cached columns + index 101 MB.
// usage: population_bench [--data DIR] [--features FILE] [--queries N] [--cached N]
//   (defaults: build/bench-data, DIR/features.credo, 60 queries, 64 cached columns)
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "credo/base/clock.h"
#include "credo/base/memory.h"
#include "credo/base/random.h"
#include "credo/features/client_store.h"
#include "credo/serve/client_profiles.h"
#include "credo/serve/population.h"

namespace {

using credo::seconds_since;
using Clock = std::chrono::steady_clock;

// Resident memory split as the kernel counts it: anonymous (ours) and file-backed (the mapped
// feature file's pages, shared with the page cache and given back under pressure).
std::pair<double, double> rss_anon_file_mb() {
  std::ifstream status("/proc/self/status");
  std::string key;
  double anon = 0, file = 0;
  while (status >> key) {
    double kb = 0;
    if (key == "RssAnon:") status >> kb, anon = kb / 1e3;
    else if (key == "RssFile:") status >> kb, file = kb / 1e3;
  }
  return {anon, file};
}

void print_memory(const char* when) {
  auto [anon, file] = rss_anon_file_mb();
  std::printf("  memory %-28s anonymous %7.0f MB, mapped file %6.0f MB, peak %6.0f MB\n", when, anon, file,
              static_cast<double>(credo::peak_rss_bytes()) / 1e6);
}

struct Latency {
  std::vector<double> ms;
  void print(const char* what) {
    std::sort(ms.begin(), ms.end());
    std::printf("  %-46s median %7.2f ms, p95 %7.2f ms, max %7.2f ms (%zu calls)\n", what, ms[ms.size() / 2],
                ms[std::min(ms.size() - 1, ms.size() * 95 / 100)], ms.back(), ms.size());
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string data = "build/bench-data", features;
  int queries = 60;
  size_t cached = 64;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--data" && i + 1 < argc) data = argv[++i];
    else if (arg == "--features" && i + 1 < argc) features = argv[++i];
    else if (arg == "--queries" && i + 1 < argc) queries = std::max(1, std::stoi(argv[++i]));
    else if (arg == "--cached" && i + 1 < argc) cached = std::stoul(argv[++i]);
    else {
      std::fprintf(stderr, "usage: population_bench [--data DIR] [--features FILE] [--queries N] [--cached N]\n");
      return 2;
    }
  }
  if (features.empty()) features = data + "/features.credo";

  std::printf("population_bench: %s, %s\n", data.c_str(), features.c_str());
  auto start = Clock::now();
  auto store = credo::ClientStore::open(features);
  if (!store.ok()) {
    std::fprintf(stderr, "%s (build it: credo features --data %s --out %s)\n", store.status().to_string().c_str(),
                 data.c_str(), features.c_str());
    return 1;
  }
  auto clients = std::make_shared<const credo::ClientStore>(std::move(*store));
  std::printf("  feature file opened                            %7.2f s (%zu clients x %zu features, mapped)\n",
              seconds_since(start), clients->num_clients(), clients->matrix().num_features());

  start = Clock::now();
  auto source = credo::HomeCreditSource::open(data);
  if (!source.ok()) return std::fprintf(stderr, "%s\n", source.status().to_string().c_str()), 1;
  auto loaded = credo::serve::ClientProfiles::load(*source);
  if (!loaded.ok()) return std::fprintf(stderr, "%s\n", loaded.status().to_string().c_str()), 1;
  auto profiles = std::make_shared<const credo::serve::ClientProfiles>(std::move(*loaded));
  std::printf("  client profiles loaded                         %7.2f s (%zu clients, %zu columns, %.0f MB)\n",
              seconds_since(start), profiles->num_clients(), profiles->table().num_columns(),
              static_cast<double>(profiles->table().memory_bytes()) / 1e6);
  print_memory("after the profiles");

  // The nearest-clients distance over ten features a model of this data ranks high.
  credo::serve::PopulationOptions options;
  options.cached_columns = cached;
  for (const char* name : {"EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3", "EXT_SOURCES_MEAN", "PAYMENT_RATE",
                           "DAYS_BIRTH", "DAYS_EMPLOYED", "AMT_ANNUITY", "INSTAL_DPD_MAX", "PREV_REFUSED_COUNT"})
    if (clients->matrix().feature_index(name) >= 0) options.similarity_features.push_back(name);
  start = Clock::now();
  auto matrix = std::shared_ptr<const credo::FeatureMatrix>(clients, &clients->matrix());
  auto created = credo::serve::Population::create(matrix, profiles, options);
  if (!created.ok()) return std::fprintf(stderr, "%s\n", created.status().to_string().c_str()), 1;
  const credo::serve::Population& population = **created;
  std::printf("  population and similarity index (%zu features) %6.2f s\n", population.similarity_features().size(),
              seconds_since(start));
  print_memory("after the population");

  credo::Rng rng(42, 0);
  auto random_client = [&] { return profiles->id(rng.below(profiles->num_clients())); };
  auto timed = [&](Latency& latency, auto&& call) {
    auto t = Clock::now();
    auto answer = call();
    latency.ms.push_back(seconds_since(t) * 1e3);
    if (!answer.ok()) std::fprintf(stderr, "error: %s\n", answer.status().to_string().c_str());
  };

  // First use of features never asked: each gathers its column from the mapped matrix.
  const auto& infos = clients->matrix().features();
  Latency first_use;
  for (int q = 0; q < queries; ++q) {
    const std::string& name = infos[(static_cast<size_t>(q) * 7919) % infos.size()].name;
    timed(first_use, [&] { return population.distribution(name, "", random_client()); });
  }
  first_use.print("distribution, first use of a feature");
  print_memory("after those columns cached");
  std::printf("  cached columns and similarity index            %7.0f MB\n",
              static_cast<double>(population.memory_bytes()) / 1e6);

  struct Case {
    const char* label;
    const char* feature;
    const char* filter;
  };
  const Case cases[] = {
      {"distribution AMT_CREDIT, everyone", "AMT_CREDIT", ""},
      {"distribution EXT_SOURCES_MEAN, same gender", "EXT_SOURCES_MEAN", "CODE_GENDER:client"},
      {"distribution PAYMENT_RATE, F,Working,AGE:30-40", "PAYMENT_RATE", "CODE_GENDER:F,NAME_INCOME_TYPE:Working,AGE:30-40"},
      {"distribution DAYS_EMPLOYED (raw), everyone", "DAYS_EMPLOYED", ""},
      {"distribution OCCUPATION_TYPE (text), same age", "OCCUPATION_TYPE", "AGE:client"},
  };
  for (const Case& c : cases) {
    if (!population.distribution(c.feature, c.filter, random_client()).ok()) continue;  // absent feature
    Latency latency;
    for (int q = 0; q < queries; ++q) timed(latency, [&] { return population.distribution(c.feature, c.filter, random_client()); });
    latency.print(c.label);
  }

  Latency nearest;
  for (int q = 0; q < queries; ++q) timed(nearest, [&] { return population.similar(random_client(), 10); });
  nearest.print("similar, k = 10");
  print_memory("at the end");
  return 0;
}
