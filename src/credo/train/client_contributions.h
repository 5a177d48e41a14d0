// The SHAP contributions of every known client, computed once per registered version and feature
// file (by credo train when it registers the version; by the scoring service if it finds none)
// and kept in the store, so an explanation of a known client is a lookup (the exact TreeSHAP of
// one row costs ~0.25 ms; the service answers explanations at tens of thousands a second). Only
// the model's used features are kept (those with a native importance: a feature no tree splits
// on, or with a zero coefficient, contributes exactly zero), as float32 in a feature file
// (feature_matrix.h), memory-mapped.
#pragma once

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "credo/base/status.h"
#include "credo/features/feature_matrix.h"
#include "credo/train/algorithm.h"
#include "credo/train/row_scorer.h"

namespace credo::train {

struct ContributionSource {
  const RowScorer* scorer = nullptr;
  const FeatureMatrix* clients = nullptr;  // the known clients' features
  std::span<const int32_t> client_column;  // model feature i -> column of *clients
  std::vector<uint8_t> used;               // model feature i contributes (native importance > 0)
  std::vector<std::string> feature_names;  // the model's features, in order
  std::string cache_key;                   // what the cached file must have been computed from
};

// Where a registered version's contributions are kept in the store at `store_root`.
std::filesystem::path contributions_cache_file(const std::filesystem::path& store_root, const std::string& model_name,
                                               int64_t version);
// What they must have been computed from: the version (name, number and the run that trained
// it), and the feature file (its absolute path, size and modification time).
std::string contributions_cache_key(const std::string& model_name, int64_t version, const std::string& run_id,
                                    const std::string& features_path);
// The model's inputs that can contribute: those with a native importance.
std::vector<uint8_t> contributing_features(const ScoringModel& model, size_t num_features);

class ClientContributions {
 public:
  // Reads `cache_file` when it was computed from the same `cache_key`, else computes every known
  // client's contributions (on `threads` threads, a progress bar on `progress`) and writes the
  // file (an empty path: kept in memory only). A file that cannot be written is only a warning.
  static StatusOr<ClientContributions> load_or_compute(const ContributionSource& source,
                                                       const std::filesystem::path& cache_file, int threads,
                                                       FILE* progress);

  // The base value (expected log-odds), the same for every client.
  double base_value() const { return base_value_; }
  // Writes the full contributions (one per model feature, zeros for unused ones, base value
  // last) of the client at `client_row` of the client store into `out`.
  void contributions(size_t client_row, double* out) const;
  // The mean |contribution| of each model feature over every known client (global importance).
  const std::vector<double>& mean_abs() const { return mean_abs_; }
  // Whether it was read from the cache (false: computed now).
  bool from_cache() const { return from_cache_; }

 private:
  FeatureMatrix values_;           // rows = the client store's rows; columns = the used features
  std::vector<uint32_t> used_;     // model feature of each column of values_
  size_t num_features_ = 0;        // the model's
  double base_value_ = 0;
  std::vector<double> mean_abs_;
  bool from_cache_ = false;
};

}  // namespace credo::train
