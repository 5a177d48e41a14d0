// Internal to the feature pipeline: what a batch build learns from the data (the levels of text
// columns, out-of-fold target encodings and the clients' folds), saved as JSON in the feature
// file's metadata so that online scoring applies exactly what the build learned.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "credo/base/status.h"

namespace credo::features_internal {

inline constexpr int kTargetFolds = 5;
inline constexpr double kTargetSmoothing = 20;  // prior weight, in clients, of target encodings

struct TargetEncoding {
  double prior = 0;
  std::map<std::string, double> full;                        // from every training client
  std::array<double, kTargetFolds> fold_prior{};
  std::array<std::map<std::string, double>, kTargetFolds> folds;  // without the fold's clients
};

struct FittedState {
  uint64_t seed = 42;
  std::map<std::string, std::vector<std::string>> levels;  // "bureau.CREDIT_ACTIVE" -> levels
  std::map<std::string, TargetEncoding> target;            // "ORGANIZATION_TYPE" -> encoding
};

// The fold (0..kTargetFolds-1) of a client for out-of-fold target encoding.
int fold_of(int64_t client_id, uint64_t seed);

// The fitted state as the metadata's JSON, and back (InvalidArgument for a malformed one).
nlohmann::json fitted_to_json(const FittedState& fitted);
StatusOr<FittedState> fitted_from_json(const nlohmann::json& json);

}  // namespace credo::features_internal
