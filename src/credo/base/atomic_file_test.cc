// Write-then-rename: the file appears whole, and a failed or abandoned write leaves nothing.
#include "credo/base/atomic_file.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iterator>

#include "credo/base/temp_dir.h"

namespace credo {
namespace {
namespace fs = std::filesystem;

size_t entries(const fs::path& dir) {
  return static_cast<size_t>(std::distance(fs::directory_iterator(dir), fs::directory_iterator()));
}

TEST(AtomicFileTest, TheFileAppearsOnlyOnCommit) {
  TempDir dir("atomic");
  std::string path = (dir / "report.txt").string();
  {
    AtomicFile file(path);
    file.write("half");
    EXPECT_FALSE(fs::exists(path));
    EXPECT_EQ(entries(dir.path()), 1u);  // the hidden temporary
    file.write(std::string_view(" and whole"));
    ASSERT_TRUE(file.commit().ok());
  }
  std::ifstream in(path);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(in)), {}), "half and whole");
  EXPECT_EQ(entries(dir.path()), 1u);
  // Replacing keeps the old content until the new one is complete.
  ASSERT_TRUE(write_file_atomically(path, "new").ok());
  std::ifstream again(path);
  EXPECT_EQ(std::string((std::istreambuf_iterator<char>(again)), {}), "new");
}

TEST(AtomicFileTest, AnAbandonedWriteLeavesNothing) {
  TempDir dir("atomic");
  {
    AtomicFile file((dir / "model.bin").string());
    file.write("partial");
  }  // no commit: an error path
  EXPECT_EQ(entries(dir.path()), 0u);
  Status missing = write_file_atomically((dir / "no" / "such" / "dir.txt").string(), "x");
  EXPECT_EQ(missing.code(), StatusCode::kIoError);
  EXPECT_NE(missing.message().find("dir.txt"), std::string::npos);
}

// `credo predict --out /dev/stdout` or `--out /dev/null`: renaming over a device or a pipe would
// replace it with a regular file (as root, /dev/null itself). A pipe stands for both here.
TEST(AtomicFileTest, ADeviceOrPipeIsWrittenNotReplaced) {
  TempDir dir("atomic_fifo");
  std::string path = (dir / "pipe").string();
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  // The reading end, open before the write (non-blocking, so a write elsewhere fails, not hangs).
  int reader = ::open(path.c_str(), O_RDONLY | O_NONBLOCK);
  ASSERT_GE(reader, 0);
  Status written = write_file_atomically(path, "SK_ID_CURR,probability\n");
  char buffer[64] = {};
  ssize_t got = ::read(reader, buffer, sizeof buffer);
  ::close(reader);
  EXPECT_TRUE(written.ok()) << written.to_string();
  EXPECT_EQ(std::string(buffer, got > 0 ? static_cast<size_t>(got) : 0), "SK_ID_CURR,probability\n");
  EXPECT_TRUE(fs::is_fifo(path));
  EXPECT_EQ(entries(dir.path()), 1u);  // no temporary file beside it
}

}  // namespace
}  // namespace credo
