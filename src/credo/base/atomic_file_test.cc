// Write-then-rename: the file appears whole, and a failed or abandoned write leaves nothing.
#include "credo/base/atomic_file.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace credo
