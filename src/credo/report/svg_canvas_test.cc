// Pins the text handling the charts rely on: escaping, width estimates and truncation that never
// split a character, finite coordinates, and caller formats that cannot read past their argument.
#include "credo/report/svg_canvas.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace credo::report::svg {
namespace {

TEST(SvgCanvasTest, EscapesMarkupAndRepairsText) {
  EXPECT_EQ(escape_xml("a&b<c>\"d\"'e'"), "a&amp;b&lt;c&gt;&quot;d&quot;&apos;e&apos;");
  EXPECT_EQ(escape_xml("caf\xc3\xa9 \xe2\x82\xac"), "caf\xc3\xa9 \xe2\x82\xac");  // é and € kept
  EXPECT_EQ(escape_xml("x\xffy"), "x\uFFFDy");
  EXPECT_EQ(escape_xml("\xc0\xaf"), "\uFFFD\uFFFD");            // overlong '/'
  EXPECT_EQ(escape_xml("\xed\xa0\x80"), "\uFFFD\uFFFD\uFFFD");  // a surrogate
  EXPECT_EQ(escape_xml("tab\there\x01\n"), "tab here  ");
}

TEST(SvgCanvasTest, WidthGrowsWithTextAndFontSize) {
  EXPECT_EQ(text_width_px("", 12), 0);
  EXPECT_GT(text_width_px("WWWW", 12), text_width_px("iiii", 12));
  EXPECT_DOUBLE_EQ(text_width_px("AMT_CREDIT", 24), 2 * text_width_px("AMT_CREDIT", 12));
  // DejaVu Sans's advance widths (from its hmtx table) sum to 278.6 px for this name at 12 px.
  EXPECT_NEAR(text_width_px("BURO_ACTIVE_AMT_CREDIT_SUM_DEBT_MEAN", 12), 278.6, 0.5);
}

TEST(SvgCanvasTest, TruncatesWithAnEllipsisOnCharacterBoundaries) {
  EXPECT_EQ(truncate_to_width("short", 12, 200), "short");
  std::string cut = truncate_to_width("BURO_ACTIVE_AMT_CREDIT_SUM_DEBT_MEAN", 12, 120);
  EXPECT_EQ(cut.substr(cut.size() - 3), "\u2026");
  EXPECT_EQ(cut.rfind("BURO_", 0), 0u);
  EXPECT_LE(text_width_px(cut, 12), 120);
  std::string accented = truncate_to_width("\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 12, 40);
  EXPECT_EQ(escape_xml(accented), accented);  // still valid UTF-8
  EXPECT_LE(text_width_px(accented, 12), 40);
  EXPECT_EQ(truncate_to_width("abc", 12, 1), "\u2026");  // nothing fits: the ellipsis alone
}

TEST(SvgCanvasTest, CoordinatesAreShortAndFinite) {
  EXPECT_EQ(format_coord(2.5), "2.5");
  EXPECT_EQ(format_coord(100), "100");
  EXPECT_EQ(format_coord(1.23456), "1.23");
  EXPECT_EQ(format_coord(-0.001), "0");
  EXPECT_EQ(format_coord(std::nan("")), "0");
  EXPECT_EQ(format_coord(-std::numeric_limits<double>::infinity()), "0");
}

TEST(SvgCanvasTest, ValueFormatsAcceptOneFloatingConversion) {
  EXPECT_EQ(format_value("%.2f", 0.125), "0.12");
  EXPECT_EQ(format_value("cost %+.3g EUR", 1234.5), "cost +1.23e+03 EUR");
  EXPECT_EQ(format_value("%.1f%%", 12.34), "12.3%");
  for (const char* unsafe : {"%s", "%d", "%n", "%p", "%f%f", "%Lf", "%*.*f", "", "50%"}) {
    EXPECT_EQ(format_value(unsafe, 0.123456), "0.1235") << unsafe;
  }
  EXPECT_EQ(format_value("%.2f", std::nan("")), "n/a");
}

TEST(SvgCanvasTest, ScaleMapsDomainOntoPixels) {
  LinearScale scale{0, 10, 100, 300};
  EXPECT_DOUBLE_EQ(scale(0), 100);
  EXPECT_DOUBLE_EQ(scale(5), 200);
  LinearScale flipped{0, 1, 400, 40};  // y grows downwards in SVG
  EXPECT_DOUBLE_EQ(flipped(1), 40);
}

TEST(SvgCanvasTest, DocumentIsClosedAndScales) {
  SvgCanvas canvas(300, 200, "a & b");
  canvas.text(10, 10, "<x>", {});
  std::string doc = std::move(canvas).finish();
  EXPECT_NE(doc.find("viewBox=\"0 0 300 200\""), std::string::npos);
  EXPECT_NE(doc.find("<title>a &amp; b</title>"), std::string::npos);
  EXPECT_NE(doc.find("&lt;x&gt;</text>"), std::string::npos);
  EXPECT_EQ(doc.substr(doc.size() - 7), "</svg>\n");
}

}  // namespace
}  // namespace credo::report::svg
