// Atomic copies of artifact files and folders.
#include "credo/store/artifacts.h"

#include <unistd.h>

#include <algorithm>
#include <random>

namespace credo::store {
namespace fs = std::filesystem;

namespace {

fs::path temporary_beside(const fs::path& destination) {
  std::random_device random;
  return destination.parent_path() /
         ("." + destination.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
          std::to_string(random()));
}

}  // namespace

Status validate_artifact_path(const std::string& relative) {
  fs::path p(relative);
  if (p.is_absolute()) return Status::InvalidArgument("artifact path '" + relative + "' must be relative");
  for (const auto& part : p)
    if (part == "..") return Status::InvalidArgument("artifact path '" + relative + "' may not contain '..'");
  return Status::Ok();
}

Status copy_atomically(const fs::path& source, const fs::path& destination) {
  std::error_code ec;
  fs::file_status status = fs::status(source, ec);
  if (ec || !fs::exists(status)) return Status::NotFound(source.string() + ": no such file or folder");
  fs::create_directories(destination.parent_path(), ec);
  if (ec) return Status::IoError(destination.parent_path().string() + ": " + ec.message());
  fs::path tmp = temporary_beside(destination);
  if (fs::is_directory(status)) {
    fs::copy(source, tmp, fs::copy_options::recursive, ec);
  } else {
    fs::copy_file(source, tmp, ec);
  }
  if (ec) {
    fs::remove_all(tmp);
    return Status::IoError("copying " + source.string() + " to " + destination.string() + ": " + ec.message());
  }
  // A folder can't be renamed over a non-empty one: move the old one aside first.
  fs::path old;
  if (fs::is_directory(destination, ec)) {
    old = temporary_beside(destination);
    fs::rename(destination, old, ec);
    if (ec) {
      fs::remove_all(tmp);
      return Status::IoError(destination.string() + ": " + ec.message());
    }
  }
  fs::rename(tmp, destination, ec);
  if (ec) {
    fs::remove_all(tmp);
    if (!old.empty()) fs::rename(old, destination);
    return Status::IoError(destination.string() + ": " + ec.message());
  }
  if (!old.empty()) fs::remove_all(old, ec);
  return Status::Ok();
}

StatusOr<std::vector<ArtifactEntry>> list_artifacts(const fs::path& dir) {
  std::vector<ArtifactEntry> entries;
  std::error_code ec;
  if (!fs::exists(dir, ec)) return entries;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.rfind('.', 0) == 0 && name.find(".tmp-") != std::string::npos) continue;  // a copy under way
    ArtifactEntry entry;
    entry.path = fs::relative(it->path(), dir).generic_string();
    entry.is_dir = it->is_directory();
    entry.bytes = entry.is_dir ? 0 : it->file_size();
    entries.push_back(std::move(entry));
  }
  if (ec) return Status::IoError(dir.string() + ": " + ec.message());
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.path < b.path; });
  return entries;
}

}  // namespace credo::store
