// The access log's writer: every queued line is written by close(), none blocks a request, and
// lines that find the queue full are counted.
#include "credo/serve/access_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "credo/base/temp_dir.h"

namespace credo::serve {
namespace {

TEST(AccessLog, CloseWritesEveryQueuedLine) {
  TempDir dir("access_log");
  std::string path = (dir.path() / "access.log").string();
  FILE* out = std::fopen(path.c_str(), "w");
  ASSERT_NE(out, nullptr);
  {
    AccessLog log(out);
    for (int i = 0; i < 5000; ++i) EXPECT_TRUE(log.write("{\"n\": " + std::to_string(i) + "}"));
    log.close();
    EXPECT_EQ(log.written(), 5000u);
    EXPECT_EQ(log.dropped(), 0u);
    EXPECT_FALSE(log.write("late"));
  }
  std::fclose(out);
  std::ifstream in(path);
  std::string line;
  int n = 0;
  while (std::getline(in, line)) EXPECT_EQ(line, "{\"n\": " + std::to_string(n++) + "}");
  EXPECT_EQ(n, 5000);
}

TEST(AccessLog, AStalledLogDropsAndCountsInsteadOfWaiting) {
  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  FILE* out = ::fdopen(pipe_fds[1], "w");
  ASSERT_NE(out, nullptr);
  AccessLog log(out, 16);
  // Nobody reads the pipe: the writer blocks once it is full, and the queue fills behind it.
  const std::string line(1000, 'x');
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 2000; ++i) log.write(line);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(1));  // never waited
  EXPECT_GT(log.dropped(), 0u);
  std::thread reader([&] {
    char buffer[65536];
    while (::read(pipe_fds[0], buffer, sizeof buffer) > 0) {
    }
  });
  log.close();
  std::fclose(out);
  reader.join();
  ::close(pipe_fds[0]);
  EXPECT_EQ(log.written() + log.dropped(), 2000u);
}

}  // namespace
}  // namespace credo::serve
