// The model bundle: everything needed to score, in one versioned folder, the unit the registry
// stores and the server loads.
//   MLmodel          MLflow's manifest: flavour "credo" (algorithm, credo version), the input
//                    signature (feature names and types, in order), run id, creation time
//   features.json    the features in order with their descriptions, and the fitted feature
//                    pipeline (so the server computes a new applicant's features the same way)
//   decision.json    the threshold, the cost matrix, and the rule (refuse when p >= threshold)
//   metrics.json     cross-validated and hold-out metrics; params.json the hyper-parameters
//   data.json        the fingerprint and size of the training data, the run and the time it was made
//   model/           the algorithm's own files (booster, coefficients and preprocessing...)
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/base/status.h"
#include "credo/features/feature_matrix.h"
#include "credo/train/algorithm.h"
#include "credo/train/metrics.h"

namespace credo::train {

inline constexpr int kBundleFormatVersion = 1;

struct BundleInfo {
  std::string algorithm;
  Params params;
  std::string imbalance;
  double threshold = 0.5;
  CostMatrix cost;
  std::vector<FeatureInfo> features;
  nlohmann::json feature_pipeline;  // the feature matrix's metadata (fitted spec)
  nlohmann::json metrics;           // {"cv": {...}, "holdout": {...}}
  std::string data_fingerprint;
  size_t training_rows = 0;
  std::string run_id;
  std::string created_utc;
};

// Writes the bundle into `dir` (created; must not exist or be empty).
Status save_bundle(const std::filesystem::path& dir, const ScoringModel& model, const BundleInfo& info);

struct Bundle {
  BundleInfo info;
  std::unique_ptr<ScoringModel> model;
};

// Reads a bundle written by save_bundle; errors name the file and field that is wrong.
StatusOr<Bundle> load_bundle(const std::filesystem::path& dir, int threads);

// The bundle's features in the bundle's order, taken from `matrix` by name (so a feature file
// with extra or reordered columns still scores); an error names the first missing feature.
StatusOr<std::vector<float>> aligned_rows(const Bundle& bundle, const FeatureMatrix& matrix,
                                          std::span<const int32_t> rows);

}  // namespace credo::train
