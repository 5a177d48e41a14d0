// Where the CSV reader's bytes come from: a file, a member of a zip archive or a string, read
// in order, so one reader serves the Kaggle folder, the Kaggle zip and tests alike.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "credo/base/status.h"

namespace credo {

// A sequential source of bytes: a file, a member of a zip archive, a string.
class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads `n` bytes into `buf`, fewer only at the end; returns 0 at the end.
  StatusOr<size_t> read(char* buf, size_t n);
  // Total size in bytes if known in advance (for progress), else 0.
  virtual size_t size_hint() const = 0;
  // What error messages call this source ("bureau.csv", "home-credit.zip:bureau.csv").
  virtual const std::string& name() const = 0;

 protected:
  // Reads at least one byte and at most `n` (0 only at the end), as read(2) does.
  virtual StatusOr<size_t> read_some(char* buf, size_t n) = 0;
};

// The file at `path`; IoError naming it when it cannot be opened.
StatusOr<std::unique_ptr<ByteSource>> open_file_source(const std::string& path);
// The bytes of `text`, called `name` in messages.
std::unique_ptr<ByteSource> make_string_source(std::string text, std::string name);

}  // namespace credo
