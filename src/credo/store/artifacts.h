// Artifacts are plain files under the store folder. Each arrives whole: it is copied under a
// temporary name beside its destination and renamed into place, so a crash or a concurrent reader
// never sees half a model.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "credo/base/status.h"

namespace credo::store {

struct ArtifactEntry {
  std::string path;  // relative to the run's artifact folder, '/'-separated
  bool is_dir = false;
  uint64_t bytes = 0;
};

// Copies the file or folder `source` to `destination` (which must not be a parent of it),
// replacing what was there.
Status copy_atomically(const std::filesystem::path& source, const std::filesystem::path& destination);

// Every file and folder under `dir`, sorted by path; an absent folder has none.
StatusOr<std::vector<ArtifactEntry>> list_artifacts(const std::filesystem::path& dir);

// Checks that `relative` is a relative path that stays inside the folder it is joined to.
Status validate_artifact_path(const std::string& relative);

}  // namespace credo::store
