// ClientStore: a loaded feature matrix whose id index is built before the first request.
#include "credo/features/client_store.h"

namespace credo {

StatusOr<ClientStore> ClientStore::open(const std::string& path) {
  CREDO_ASSIGN_OR_RETURN(FeatureMatrix matrix, read_feature_matrix(path));
  // Builds the index now, so the first request does not pay for it.
  (void)matrix.find_row(0);
  return ClientStore(std::move(matrix), path);
}

StatusOr<std::span<const float>> ClientStore::features_of(int64_t client_id) const {
  std::optional<size_t> row = find(client_id);
  if (!row) return Status::NotFound("client " + std::to_string(client_id) + " is not in " + path_);
  return std::span<const float>(matrix_.row(*row), matrix_.num_features());
}

}  // namespace credo
