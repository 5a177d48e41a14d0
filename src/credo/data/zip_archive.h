// Reads members of a zip archive as byte streams (libzip), so the Kaggle download
// (home-credit-default-risk.zip, 2.5 GB of CSV inside) is read without unzipping it first.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "credo/base/status.h"
#include "credo/data/byte_source.h"

namespace credo {

class ZipArchive {
 public:
  static StatusOr<std::shared_ptr<ZipArchive>> open(const std::string& path);
  ~ZipArchive();
  ZipArchive(const ZipArchive&) = delete;
  ZipArchive& operator=(const ZipArchive&) = delete;

  // Names of the members (files) in the archive, folders excluded.
  const std::vector<std::string>& members() const { return members_; }
  // Index of the member whose name, or whose name without folders, is `name`; -1 if none.
  int find(const std::string& name) const;
  // A sequential stream of the member's uncompressed bytes.
  StatusOr<std::unique_ptr<ByteSource>> open_member(int index);
  const std::string& path() const { return path_; }

 private:
  ZipArchive() = default;
  void* zip_ = nullptr;  // zip_t*, kept opaque so that libzip's header stays in zip_archive.cc
  std::string path_;
  std::vector<std::string> members_;
  std::vector<int64_t> member_index_;
  std::weak_ptr<ZipArchive> self_;
};

// True if `path` names a file that starts with the zip signature.
bool looks_like_zip(const std::string& path);

}  // namespace credo
