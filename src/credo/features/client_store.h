// The engineered features of known clients, by SK_ID_CURR, for the scoring service: the service
// scores a client id by looking up the row the features stage computed, so training and serving
// see the same numbers. The feature file is mapped once; a lookup is one index probe.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "credo/base/status.h"
#include "credo/features/feature_matrix.h"

namespace credo {

class ClientStore {
 public:
  // Maps the feature file at `path` (see read_feature_matrix for its errors) and indexes its ids.
  static StatusOr<ClientStore> open(const std::string& path);

  // Row of `client_id` in matrix(), or nullopt.
  std::optional<size_t> find(int64_t client_id) const { return matrix_.find_row(client_id); }
  const FeatureMatrix& matrix() const { return matrix_; }
  const std::string& path() const { return path_; }
  size_t num_clients() const { return matrix_.num_rows(); }
  // The client's feature vector (in the order of matrix().features()), or NotFound
  // "client 123 is not in <path>".
  StatusOr<std::span<const float>> features_of(int64_t client_id) const;

 private:
  ClientStore(FeatureMatrix matrix, std::string path) : matrix_(std::move(matrix)), path_(std::move(path)) {}

  FeatureMatrix matrix_;
  std::string path_;
};

}  // namespace credo
