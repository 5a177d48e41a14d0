// The one rule for finding the store.
#include "credo/store/store_location.h"

#include <cstdlib>

namespace credo::store {

StatusOr<std::filesystem::path> resolve_store_dir(const std::string& flag) {
  std::filesystem::path dir;
  if (!flag.empty()) {
    dir = flag;
  } else if (const char* env = std::getenv("CREDO_STORE"); env && *env) {
    dir = env;
  } else {
    dir = "credo-store";
  }
  std::error_code ec;
  std::filesystem::path absolute = std::filesystem::absolute(dir, ec);
  if (ec) return Status::IoError(dir.string() + ": cannot resolve the store folder: " + ec.message());
  return absolute.lexically_normal();
}

}  // namespace credo::store
