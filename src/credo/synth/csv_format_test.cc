#include "credo/synth/csv_format.h"

#include <cmath>

#include <gtest/gtest.h>

namespace credo::synth {
namespace {

std::string fmt(double v, int decimals) {
  std::string s;
  append_float(s, v, decimals);
  return s;
}

// Expected strings are Python's repr() of the same values (what pandas writes).
TEST(CsvFormat, FloatsLookLikePandas) {
  EXPECT_EQ(fmt(202500, 2), "202500.0");
  EXPECT_EQ(fmt(-3648, 0), "-3648.0");
  EXPECT_EQ(fmt(0.018801, 6), "0.018801");
  EXPECT_EQ(fmt(24700.5, 2), "24700.5");
  EXPECT_EQ(fmt(4412.58, 2), "4412.58");
  EXPECT_EQ(fmt(0, 2), "0.0");
  EXPECT_EQ(fmt(-0.0001, 4), "-0.0001");
  EXPECT_EQ(fmt(1e6, 2), "1000000.0");
  EXPECT_EQ(fmt(0.0838, -1), "0.0838");
  EXPECT_EQ(fmt(1.67069e-05, -1), "1.67069e-05");
  EXPECT_EQ(fmt(0.2629485927471776, -1), "0.2629485927471776");
  EXPECT_EQ(fmt(365243, 0), "365243.0");
  EXPECT_EQ(fmt(NAN, 2), "");
}

TEST(CsvFormat, IntsAndText) {
  std::string s;
  append_int(s, -42);
  append_int(s, 100002);
  EXPECT_EQ(s, "-42100002");
  EXPECT_EQ(csv_field("Cash loans"), "Cash loans");
  EXPECT_EQ(csv_field("Spouse, partner"), "\"Spouse, partner\"");
  EXPECT_EQ(csv_field("a\"b"), "\"a\"\"b\"");
}

}  // namespace
}  // namespace credo::synth
