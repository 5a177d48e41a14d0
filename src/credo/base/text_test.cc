// Cutting text at UTF-8 boundaries.
#include "credo/base/text.h"

#include <gtest/gtest.h>

namespace credo {
namespace {

TEST(TextTest, ShortTextIsKept) {
  EXPECT_EQ(cut_text("abc", 3), "abc");
  EXPECT_EQ(cut_text("", 0), "");
}

TEST(TextTest, LongTextIsCutWithAnEllipsis) {
  EXPECT_EQ(cut_text("abcdef", 3), "abc...");
  EXPECT_EQ(cut_text(std::string(1000, 'x')).size(), 43u);
}

TEST(TextTest, NeverSplitsAUtf8Sequence) {
  std::string text = "ab\xC3\xA9" "cd";  // "abécd": é is two bytes
  EXPECT_EQ(utf8_prefix_length(text, 3), 2u);  // would split é
  EXPECT_EQ(utf8_prefix_length(text, 4), 4u);
  EXPECT_EQ(cut_text(text, 3), "ab...");
  std::string euro = "\xE2\x82\xAC\xE2\x82\xAC";  // two 3-byte characters
  EXPECT_EQ(utf8_prefix_length(euro, 5), 3u);
  EXPECT_EQ(utf8_prefix_length(euro, 2), 0u);
  EXPECT_EQ(utf8_suffix_start(euro, 4), 3u);  // the last character whole
  EXPECT_EQ(utf8_suffix_start("abc", 5), 0u);
  EXPECT_EQ(utf8_suffix_start(text, 3), 4u);   // "cd", not half of é
}

}  // namespace
}  // namespace credo
