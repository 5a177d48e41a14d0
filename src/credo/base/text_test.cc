// Cutting text at UTF-8 boundaries, escaping binary bytes, trimming, one-'*' name patterns.
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

TEST(TextTest, PrintableTextEscapesBinaryBytesAndKeepsUtf8) {
  EXPECT_EQ(printable_text("plain, text"), "plain, text");
  EXPECT_EQ(printable_text(std::string("PK\x03\x04", 4)), "PK\\x03\\x04");
  EXPECT_EQ(printable_text(std::string("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(printable_text("\x1f\x8b\x08"), "\\x1f\\x8b\\x08");  // gzip's signature: 0x8b starts no sequence
  EXPECT_EQ(printable_text("caf\xC3\xA9\tx"), "caf\xC3\xA9\\x09x");  // é kept, the tab escaped
  EXPECT_EQ(printable_text("\xC3("), "\\xc3(");                   // a lead byte without its follower
  EXPECT_EQ(printable_text(std::string(100, '\x01'), 4), "\\x01\\x01\\x01\\x01...");
}

TEST(TextTest, TrimRemovesTheGivenCharactersAtBothEnds) {
  EXPECT_EQ(trim("  a b \t\r\n"), "a b");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim(""), "");
  EXPECT_EQ(trim(" a\r", " \t"), "a\r");  // only the characters asked for
}

TEST(TextTest, NameMatchesAPatternWithOneStar) {
  EXPECT_TRUE(name_matches("AMT_CREDIT", "AMT_CREDIT"));
  EXPECT_FALSE(name_matches("AMT_CREDIT", "AMT_CREDIT_SUM"));
  EXPECT_TRUE(name_matches("AMT_*", "AMT_CREDIT"));
  EXPECT_TRUE(name_matches("*_AVG", "APARTMENTS_AVG"));
  EXPECT_TRUE(name_matches("STATUS_*_SHARE", "STATUS_0_SHARE"));
  EXPECT_TRUE(name_matches("STATUS_*_SHARE", "STATUS__SHARE"));
  EXPECT_FALSE(name_matches("STATUS_*_SHARE", "STATUS_SHARE"));  // head and tail may not overlap
  EXPECT_TRUE(name_matches("*", "anything"));
}

}  // namespace
}  // namespace credo
