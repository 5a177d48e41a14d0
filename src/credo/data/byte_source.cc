// Plain-file and in-memory byte sources for the CSV reader.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "credo/data/byte_source.h"

namespace credo {

StatusOr<size_t> ByteSource::read(char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    CREDO_ASSIGN_OR_RETURN(size_t r, read_some(buf + got, n - got));
    if (r == 0) break;
    got += r;
  }
  return got;
}

namespace {

class FileSource final : public ByteSource {
 public:
  FileSource(int fd, std::string name, size_t size) : fd_(fd), name_(std::move(name)), size_(size) {}
  ~FileSource() override { ::close(fd_); }
  StatusOr<size_t> read_some(char* buf, size_t n) override {
    while (true) {
      ssize_t r = ::read(fd_, buf, n);
      if (r >= 0) return static_cast<size_t>(r);
      if (errno != EINTR) return Status::IoError(name_ + ": " + std::strerror(errno));
    }
  }
  size_t size_hint() const override { return size_; }
  const std::string& name() const override { return name_; }

 private:
  int fd_;
  std::string name_;
  size_t size_;
};

class StringSource final : public ByteSource {
 public:
  StringSource(std::string text, std::string name) : text_(std::move(text)), name_(std::move(name)) {}
  StatusOr<size_t> read_some(char* buf, size_t n) override {
    size_t k = std::min(n, text_.size() - pos_);
    std::memcpy(buf, text_.data() + pos_, k);
    pos_ += k;
    return k;
  }
  size_t size_hint() const override { return text_.size(); }
  const std::string& name() const override { return name_; }

 private:
  std::string text_;
  std::string name_;
  size_t pos_ = 0;
};

}  // namespace

StatusOr<std::unique_ptr<ByteSource>> open_file_source(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path + ": no such file");
    return Status::IoError(path + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Status::InvalidArgument(path + ": not a regular file");
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  return std::unique_ptr<ByteSource>(new FileSource(fd, path, static_cast<size_t>(st.st_size)));
}

std::unique_ptr<ByteSource> make_string_source(std::string text, std::string name) {
  return std::make_unique<StringSource>(std::move(text), std::move(name));
}

}  // namespace credo
