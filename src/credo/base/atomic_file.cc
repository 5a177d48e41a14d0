// Write-then-rename files.
#include "credo/base/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace credo {

namespace {

// ".NAME.tmp-PID" beside PATH: hidden, and recognisable as a write in progress.
std::string temporary_name(const std::string& path) {
  std::filesystem::path p(path);
  return (p.parent_path() / ("." + p.filename().string() + ".tmp-" + std::to_string(::getpid()))).string();
}

// Whether `path` is something other than a regular file or nothing: a device (/dev/null), a
// pipe (/dev/stdout in a pipeline). Renaming over it would replace it with a regular file.
bool is_special_file(const std::string& path) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  return !ec && std::filesystem::exists(status) && !std::filesystem::is_regular_file(status) &&
         !std::filesystem::is_directory(status);
}

}  // namespace

AtomicFile::AtomicFile(std::string path)
    : path_(std::move(path)), tmp_(is_special_file(path_) ? "" : temporary_name(path_)) {
  file_ = std::fopen((tmp_.empty() ? path_ : tmp_).c_str(), "wb");
  if (!file_) error_ = Status::IoError(path_ + ": cannot write: " + std::strerror(errno));
}

AtomicFile::~AtomicFile() {
  if (file_) {
    std::fclose(file_);
    if (!tmp_.empty()) std::remove(tmp_.c_str());
  }
}

void AtomicFile::write(const void* data, size_t bytes) {
  if (!error_.ok() || bytes == 0) return;
  if (std::fwrite(data, 1, bytes, file_) != bytes)
    error_ = Status::IoError(path_ + ": write failed: " + std::strerror(errno));
}

Status AtomicFile::commit() {
  if (!file_) return error_;
  bool closed = std::fclose(file_) == 0;
  file_ = nullptr;
  if (error_.ok() && !closed) error_ = Status::IoError(path_ + ": write failed (disk full?)");
  if (!error_.ok()) {
    if (!tmp_.empty()) std::remove(tmp_.c_str());
    return error_;
  }
  if (tmp_.empty()) return Status::Ok();  // written straight to a device or pipe
  std::error_code ec;
  std::filesystem::rename(tmp_, path_, ec);
  if (ec) {
    std::remove(tmp_.c_str());
    return Status::IoError(path_ + ": " + ec.message());
  }
  return Status::Ok();
}

Status write_file_atomically(const std::string& path, std::string_view bytes) {
  AtomicFile file(path);
  file.write(bytes);
  return file.commit();
}

}  // namespace credo
