// XXH3-128 fingerprints of bytes, files and folders (libxxhash, Debian-packaged).
#include "credo/base/fingerprint.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <vector>

namespace credo {
namespace {

std::string to_hex(XXH128_hash_t hash) {
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(hash.high64),
                static_cast<unsigned long long>(hash.low64));
  return buf;
}

Status update_with_file(XXH3_state_t* state, const std::filesystem::path& path) {
  std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!file) return Status::IoError(path.string() + ": cannot read");
  std::vector<char> block(1 << 20);
  size_t n;
  while ((n = std::fread(block.data(), 1, block.size(), file.get())) > 0) XXH3_128bits_update(state, block.data(), n);
  if (std::ferror(file.get())) return Status::IoError(path.string() + ": read failed");
  return Status::Ok();
}

using StatePtr = std::unique_ptr<XXH3_state_t, XXH_errorcode (*)(XXH3_state_t*)>;

StatePtr new_state() {
  StatePtr state(XXH3_createState(), &XXH3_freeState);
  XXH3_128bits_reset(state.get());
  return state;
}

}  // namespace

std::string fingerprint_bytes(std::string_view bytes) { return to_hex(XXH3_128bits(bytes.data(), bytes.size())); }

StatusOr<std::string> fingerprint_file(const std::filesystem::path& path) {
  StatePtr state = new_state();
  CREDO_RETURN_IF_ERROR(update_with_file(state.get(), path));
  return to_hex(XXH3_128bits_digest(state.get()));
}

StatusOr<std::string> fingerprint_tree(const std::filesystem::path& dir) {
  std::error_code ec;
  std::vector<std::string> files;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file()) files.push_back(std::filesystem::relative(it->path(), dir).generic_string());
  }
  if (ec) return Status::IoError(dir.string() + ": " + ec.message());
  std::sort(files.begin(), files.end());
  StatePtr state = new_state();
  for (const std::string& name : files) {
    // The name and a separator first, so moving bytes between files changes the fingerprint.
    XXH3_128bits_update(state.get(), name.data(), name.size() + 1);
    CREDO_RETURN_IF_ERROR(update_with_file(state.get(), dir / name));
  }
  return to_hex(XXH3_128bits_digest(state.get()));
}

}  // namespace credo
