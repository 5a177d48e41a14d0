// The one file that talks to libzip.
#include "credo/data/zip_archive.h"

#include <zip.h>

#include <cstdio>
#include <cstring>

namespace credo {
namespace {

class ZipMemberSource final : public ByteSource {
 public:
  ZipMemberSource(std::shared_ptr<ZipArchive> archive, zip_file_t* file, std::string name, size_t size)
      : archive_(std::move(archive)), file_(file), name_(std::move(name)), size_(size) {}
  ~ZipMemberSource() override { zip_fclose(file_); }
  StatusOr<size_t> read_some(char* buf, size_t n) override {
    zip_int64_t r = zip_fread(file_, buf, n);
    if (r < 0) return Status::IoError(name_ + ": " + zip_error_strerror(zip_file_get_error(file_)));
    return static_cast<size_t>(r);
  }
  size_t size_hint() const override { return size_; }
  const std::string& name() const override { return name_; }

 private:
  std::shared_ptr<ZipArchive> archive_;  // keeps the archive open while the member is read
  zip_file_t* file_;
  std::string name_;
  size_t size_;
};

std::string base_name(const std::string& name) {
  size_t slash = name.find_last_of('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

}  // namespace

bool looks_like_zip(const std::string& path) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return false;
  char magic[4] = {};
  size_t n = std::fread(magic, 1, 4, f);
  std::fclose(f);
  return n == 4 && std::memcmp(magic, "PK\x03\x04", 4) == 0;
}

StatusOr<std::shared_ptr<ZipArchive>> ZipArchive::open(const std::string& path) {
  int err = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_RDONLY, &err);
  if (z == nullptr) {
    zip_error_t error;
    zip_error_init_with_code(&error, err);
    std::string message = path + ": cannot open as a zip archive: " + zip_error_strerror(&error);
    zip_error_fini(&error);
    return err == ZIP_ER_NOENT ? Status::NotFound(message) : Status::InvalidArgument(message);
  }
  std::shared_ptr<ZipArchive> archive(new ZipArchive());
  archive->zip_ = z;
  archive->path_ = path;
  archive->self_ = archive;
  zip_int64_t n = zip_get_num_entries(z, 0);
  for (zip_int64_t i = 0; i < n; ++i) {
    const char* name = zip_get_name(z, static_cast<zip_uint64_t>(i), 0);
    if (name == nullptr) continue;
    std::string s(name);
    if (s.empty() || s.back() == '/') continue;
    archive->members_.push_back(s);
    archive->member_index_.push_back(i);
  }
  return archive;
}

ZipArchive::~ZipArchive() {
  if (zip_) zip_discard(static_cast<zip_t*>(zip_));
}

int ZipArchive::find(const std::string& name) const {
  for (size_t i = 0; i < members_.size(); ++i)
    if (members_[i] == name) return static_cast<int>(i);
  for (size_t i = 0; i < members_.size(); ++i)
    if (base_name(members_[i]) == name) return static_cast<int>(i);
  return -1;
}

StatusOr<std::unique_ptr<ByteSource>> ZipArchive::open_member(int index) {
  if (index < 0 || static_cast<size_t>(index) >= members_.size())
    return Status::NotFound(path_ + ": no such member");
  auto zi = static_cast<zip_uint64_t>(member_index_[static_cast<size_t>(index)]);
  zip_t* z = static_cast<zip_t*>(zip_);
  zip_stat_t st;
  zip_stat_init(&st);
  size_t size = 0;
  if (zip_stat_index(z, zi, 0, &st) == 0 && (st.valid & ZIP_STAT_SIZE)) size = static_cast<size_t>(st.size);
  zip_file_t* file = zip_fopen_index(z, zi, 0);
  std::string name = path_ + ":" + members_[static_cast<size_t>(index)];
  if (file == nullptr) return Status::IoError(name + ": " + zip_strerror(z));
  return std::unique_ptr<ByteSource>(new ZipMemberSource(self_.lock(), file, name, size));
}

}  // namespace credo
