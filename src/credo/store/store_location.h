// Where the store is: `--store DIR`, else the CREDO_STORE environment variable, else
// ./credo-store, one rule for every command.
#pragma once

#include <filesystem>
#include <string>

#include "credo/base/status.h"

namespace credo::store {

// The store folder for a command, from its `--store` flag (empty when not given), as an absolute path.
StatusOr<std::filesystem::path> resolve_store_dir(const std::string& flag);

}  // namespace credo::store
