// Pins the layout of the progress line and the number formats people read.
#include "credo/base/progress.h"

#include <gtest/gtest.h>

namespace credo {
namespace {

TEST(ProgressTest, FormatsCountsAndDurations) {
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(1500), "1.5k");
  EXPECT_EQ(format_count(2.7e6), "2.7M");
  EXPECT_EQ(format_count(3.1e9), "3.1G");
  EXPECT_EQ(format_duration(4.4), "4s");
  EXPECT_EQ(format_duration(65), "1m05s");
  EXPECT_EQ(format_duration(7380), "2h03m");
}

TEST(ProgressTest, LineShowsBarPercentRateAndEta) {
  std::string line = format_progress_line("reading", 50, 100, 10.0, "rows", 10);
  EXPECT_EQ(line, "reading [#####.....]  50% 50/100 rows  5 rows/s  ETA 10s");
}

TEST(ProgressTest, FinishedLineShowsTotalTime) {
  std::string line = format_progress_line("reading", 100, 100, 20.0, "rows", 4);
  EXPECT_EQ(line, "reading [####] 100% 100/100 rows  5 rows/s  in 20s");
}

TEST(ProgressTest, UnknownTotalShowsCountAndRate) {
  EXPECT_EQ(format_progress_line("x", 3000, 0, 1.0, "B"), "x 3.0k B  3.0k B/s");
  // Fewer than one a second: the time each takes.
  EXPECT_EQ(format_progress_line("search", 2, 6, 40.0, "trials", 4), "search [#...]  33% 2/6 trials  20s each  ETA 1m20s");
}

TEST(ProgressTest, BarWritesToAFileAndFinishesOnce) {
  FILE* f = std::tmpfile();
  {
    ProgressBar bar("work", 8, "items", f);
    for (int i = 0; i < 8; ++i) bar.add(1);
    bar.finish();
  }
  std::rewind(f);
  char buf[4096] = {};
  size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  std::string out(buf, n);
  // Not a terminal: one line per quarter reached (25, 50, 75 %) and one final line.
  EXPECT_NE(out.find(" 25%"), std::string::npos);
  EXPECT_NE(out.find("100% 8/8 items"), std::string::npos);
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 4);
}

}  // namespace
}  // namespace credo
