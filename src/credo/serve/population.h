// The known clients as a population the dashboard compares one client with: how a feature is
// distributed over everyone or over a group like the client (with the default rate beside each
// bin), and which clients with a known outcome are nearest to them. Behind
// GET /api/v1/population and GET /api/v1/clients/{id}/similar.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/base/status.h"
#include "credo/features/feature_matrix.h"
#include "credo/serve/client_profiles.h"
#include "credo/serve/population_filter.h"

namespace credo::serve {

inline constexpr int kDefaultBins = 20;
inline constexpr int kMaxBins = 100;
inline constexpr int kMaxSimilar = 100;
inline constexpr size_t kMaxSimilarityFeatures = 32;

// The similarity features used when the caller names none: application values that drive
// credit risk, present in every data set (the model's most important features are better).
std::vector<std::string> default_similarity_features();

struct PopulationOptions {
  // The features the nearest-clients distance is taken over (matrix features, numeric application
  // columns or AGE); empty = default_similarity_features().
  std::vector<std::string> similarity_features;
  // Feature columns kept in memory (1.4 MB each at full scale), least recently used dropped first.
  size_t cached_columns = 64;
};

class Population {
 public:
  // The population is the clients of `profiles` (train then test); `features` gives their
  // engineered features by id (a ClientStore's matrix: pass
  // std::shared_ptr<const FeatureMatrix>(store, &store->matrix())). InvalidArgument names a
  // similarity feature that does not exist or is text.
  static StatusOr<std::unique_ptr<Population>> create(std::shared_ptr<const FeatureMatrix> features,
                                                      std::shared_ptr<const ClientProfiles> profiles,
                                                      PopulationOptions options = {});

  // The distribution of `feature` over the clients `filter` selects (see population_filter.h),
  // binned (numbers) or counted per level (text), each bin with its default rate among clients
  // whose outcome is known; with `client_id`, that client's value, bin and percentile in the group.
  // `feature`: a text application column, else a matrix feature, else a numeric application
  // column, else AGE (years). InvalidArgument: unknown feature ("no feature 'X' ..."), bad filter,
  // unknown filter field or level, bins outside [2, kMaxBins]; NotFound: unknown client.
  StatusOr<nlohmann::json> distribution(std::string_view feature, std::string_view filter = "",
                                        std::optional<int64_t> client_id = std::nullopt,
                                        int bins = kDefaultBins) const;

  // The k clients with a known outcome nearest to `client_id` (itself excluded): the root mean
  // square gap of their population percentiles over the similarity features, a value missing on
  // one side counting as a gap of 0.5. NotFound: unknown client; InvalidArgument: k outside
  // [1, kMaxSimilar].
  StatusOr<nlohmann::json> similar(int64_t client_id, int k = 10) const;

  size_t num_clients() const { return profiles_->num_clients(); }
  const std::vector<std::string>& similarity_features() const { return similarity_names_; }
  // Bytes held by the cached columns and the similarity index.
  size_t memory_bytes() const;

  // A field a distribution or a filter names, resolved against the data.
  struct Field {
    enum class Kind { kText, kFeature, kNumber, kAge } kind = Kind::kFeature;
    std::string name;
    int feature = -1;                // kFeature: column of the matrix
    const Column* column = nullptr;  // kText, kNumber: the application column
    std::string description;
  };

 private:
  Population(std::shared_ptr<const FeatureMatrix> features, std::shared_ptr<const ClientProfiles> profiles,
             PopulationOptions options);
  StatusOr<Field> resolve(std::string_view name) const;
  // The field's values for every client in population order (NaN = missing), cached.
  std::shared_ptr<const std::vector<float>> numeric_column(const Field& field) const;
  double value_of(const Field& field, size_t row) const;
  // 1 for the clients the filter keeps; empty when there is no filter.
  StatusOr<std::vector<uint8_t>> filter_mask(std::string_view filter, std::optional<size_t> client_row) const;
  std::vector<float> compute_column(const Field& field) const;
  Status build_similarity_index();

  std::shared_ptr<const FeatureMatrix> features_;
  std::shared_ptr<const ClientProfiles> profiles_;
  PopulationOptions options_;
  std::vector<uint32_t> matrix_row_;  // population row -> features_ row, kNoMatrixRow when absent

  struct CachedColumn {
    std::shared_ptr<const std::vector<float>> values;
    std::list<std::string>::iterator recency;
  };
  mutable std::mutex cache_mutex_;
  mutable std::list<std::string> recency_;  // most recently used first
  mutable std::unordered_map<std::string, CachedColumn> cache_;

  // Similarity: per client, its percentile in [0, 1] of each similarity feature (NaN = missing).
  std::vector<std::string> similarity_names_;
  std::vector<Field> similarity_fields_;
  std::vector<float> similarity_points_;  // num_clients x similarity_names_.size(), row-major
};

}  // namespace credo::serve
