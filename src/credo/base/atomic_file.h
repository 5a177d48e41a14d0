// A file that appears whole or not at all: bytes go to a hidden .NAME.tmp-<pid> beside it, renamed to PATH only when
// every byte is written and closed. Readers (and a crash half-way) never see half a file.
// A PATH that is a device or a pipe (/dev/null, /dev/stdout) is written directly: renaming over
// it would replace it with a regular file.
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "credo/base/status.h"

namespace credo {

class AtomicFile {
 public:
  explicit AtomicFile(std::string path);
  ~AtomicFile();  // removes the temporary file unless commit() succeeded
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  // Appends bytes; the first failure is kept and reported by commit().
  void write(const void* data, size_t bytes);
  void write(std::string_view text) { write(text.data(), text.size()); }
  // Closes and renames into place, or returns the first error (naming the file) and leaves nothing.
  Status commit();

 private:
  std::string path_, tmp_;
  FILE* file_ = nullptr;
  Status error_;
};

// Writes `bytes` to `path` through an AtomicFile.
Status write_file_atomically(const std::string& path, std::string_view bytes);

}  // namespace credo
