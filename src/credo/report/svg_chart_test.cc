// Pins the charts at the level a browser sees them: well-formed XML, escaped text, finite
// numbers, one <rect> per bar, the marker, round ticks covering the data, and the edge cases
// (no data, one point, zero range, non-finite values, negative bars, extreme magnitudes).
#include "credo/report/svg_chart.h"
#include "credo/report/xml_scan_testing.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace credo::report {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();
using test_xml::Element;
using test_xml::ScannedXml;
using test_xml::scan_xml;

// Well-formed, a viewBox, and no attribute anywhere holding "nan" or "inf".
ScannedXml check_svg(const std::string& doc) {
  ScannedXml xml = scan_xml(doc);
  EXPECT_EQ(xml.error, "") << doc;
  if (!xml.error.empty()) return xml;
  EXPECT_TRUE(xml.elements[0].attributes.count("viewBox"));
  for (const Element& e : xml.elements) {
    for (const auto& [name, value] : e.attributes) {
      std::string lower;
      for (char c : value) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      EXPECT_EQ(lower.find("nan"), std::string::npos) << "<" << e.name << " " << name << "=\"" << value << "\">";
      EXPECT_EQ(lower.find("inf"), std::string::npos) << "<" << e.name << " " << name << "=\"" << value << "\">";
    }
  }
  return xml;
}

// A bar without a whisker.
Bar bar(std::string label, double value) {
  Bar result;
  result.label = std::move(label);
  result.value = value;
  return result;
}

double number(const Element& e, const std::string& attribute) { return std::stod(e.attributes.at(attribute)); }

TEST(SvgXmlScanTest, RejectsMalformedDocuments) {
  EXPECT_EQ(scan_xml("<svg><text a=\"1\">x &amp; y</text><g/></svg>").error, "");
  for (const char* bad : {"<svg><g></svg>", "<svg></g></svg>", "<svg a=1/>", "<svg a=\"1\" a=\"2\"/>",
                          "<svg>a & b</svg>", "<svg a=\"<\"/>", "<svg/><svg/>", "<g/>",
                          "<svg><text>&nbsp;</text></svg>", "<svg"}) {
    EXPECT_NE(scan_xml(bad).error, "") << bad;
  }
}

// ---- Ticks.

bool is_nice_step(double step) {
  double power = std::pow(10.0, std::floor(std::log10(step) + 1e-9));
  double mantissa = step / power;
  for (double nice : {1.0, 2.0, 5.0, 10.0}) {
    if (std::fabs(mantissa - nice) < 1e-6) return true;
  }
  return false;
}

void expect_nice_cover(double lo, double hi, int target) {
  SCOPED_TRACE("lo=" + std::to_string(lo) + " hi=" + std::to_string(hi) + " target=" + std::to_string(target));
  std::vector<double> ticks = nice_ticks(lo, hi, target);
  ASSERT_GE(ticks.size(), 2u);
  EXPECT_LE(ticks.size(), static_cast<size_t>(2 * std::max(target, 2) + 1));
  double step = ticks[1] - ticks[0];
  ASSERT_GT(step, 0);
  EXPECT_TRUE(is_nice_step(step)) << step;
  for (size_t i = 0; i < ticks.size(); ++i) {
    ASSERT_TRUE(std::isfinite(ticks[i]));
    // Each tick a whole multiple of the step: round numbers, and 0 when the range crosses it.
    double units = ticks[i] / step;
    EXPECT_NEAR(units, std::round(units), 1e-6) << ticks[i];
    if (i > 0) {
      EXPECT_NEAR(ticks[i] - ticks[i - 1], step, step * 1e-6);
    }
  }
  double slack = step * 1e-6;
  EXPECT_LE(ticks.front(), std::clamp(std::min(lo, hi), -1e300, 1e300) + slack);
  EXPECT_GE(ticks.back(), std::clamp(std::max(lo, hi), -1e300, 1e300) - slack);
}

TEST(SvgTicksTest, UnitRangeGetsExactDecimalTicks) {
  EXPECT_EQ(nice_ticks(0, 1, 6), (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1.0}));
  EXPECT_EQ(nice_ticks(0, 1, 11), (std::vector<double>{0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0}));
  EXPECT_EQ(nice_ticks(0, 0.84, 5), (std::vector<double>{0, 0.2, 0.4, 0.6, 0.8, 1.0}));
  EXPECT_EQ(nice_ticks(-3.2, 7.9, 6), (std::vector<double>{-4, -2, 0, 2, 4, 6, 8}));
  // 4 or 6 ticks are as near 5: the tighter span wins.
  EXPECT_EQ(nice_ticks(312000, 1180000, 5), (std::vector<double>{2e5, 4e5, 6e5, 8e5, 1e6, 1.2e6}));
}

TEST(SvgTicksTest, ReversedBoundsGiveTheSameTicks) { EXPECT_EQ(nice_ticks(1, 0, 6), nice_ticks(0, 1, 6)); }

TEST(SvgTicksTest, RoundStepsCoverManyRanges) {
  const double cases[][2] = {{0, 1},        {0.31, 0.37},  {-5, 5},       {17, 9341},    {-0.004, 0.0009},
                             {1e-12, 5e-12}, {1e15, 3e15},  {-1e300, 1e300}, {-1e308, 1e308}, {1e6, 1e6 + 5},
                             {0.999, 1.001}, {-7e-9, -3e-9}};
  for (const auto& c : cases) {
    for (int target : {2, 3, 5, 8, 12}) expect_nice_cover(c[0], c[1], target);
  }
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> exponent(-10, 10), mantissa(-1, 1);
  for (int i = 0; i < 500; ++i) {
    double a = mantissa(rng) * std::pow(10, exponent(rng)), b = mantissa(rng) * std::pow(10, exponent(rng));
    expect_nice_cover(a, b, 2 + i % 9);
  }
}

TEST(SvgTicksTest, ZeroRangeGetsARangeAroundTheValue) {
  std::vector<double> at_five = nice_ticks(5, 5, 5);
  EXPECT_LT(at_five.front(), 5);
  EXPECT_GT(at_five.back(), 5);
  EXPECT_EQ(nice_ticks(0, 0, 5), (std::vector<double>{-1, -0.5, 0, 0.5, 1}));
  for (double v : {1e-300, -2.5e-12, 7e14, 1e300, -1e308}) {
    std::vector<double> ticks = nice_ticks(v, v, 5);
    ASSERT_GE(ticks.size(), 2u);
    EXPECT_LT(ticks.front(), ticks.back());
    EXPECT_LE(ticks.front(), std::max(v, -1e300));
    EXPECT_GE(ticks.back(), std::min(v, 1e300));
  }
}

TEST(SvgTicksTest, NonFiniteBoundsGiveTheUnitRange) {
  EXPECT_EQ(nice_ticks(kNaN, 1, 5), (std::vector<double>{0, 1}));
  EXPECT_EQ(nice_ticks(0, kInf, 5), (std::vector<double>{0, 1}));
  EXPECT_EQ(nice_ticks(-kInf, kInf, 5), (std::vector<double>{0, 1}));
}

TEST(SvgTicksTest, LabelsAreShortAndInOneStyle) {
  using Labels = std::vector<std::string>;
  EXPECT_EQ(format_ticks(nice_ticks(0, 1, 6)), (Labels{"0.0", "0.2", "0.4", "0.6", "0.8", "1.0"}));
  EXPECT_EQ(format_ticks(nice_ticks(0, 0.3, 4)), (Labels{"0.0", "0.1", "0.2", "0.3"}));
  EXPECT_EQ(format_ticks({0, 500, 1000, 1500}), (Labels{"0", "500", "1000", "1500"}));
  EXPECT_EQ(format_ticks({-2, -1, 0, 1}), (Labels{"-2", "-1", "0", "1"}));
  EXPECT_EQ(format_ticks({0, 5e5, 1e6, 1.5e6}), (Labels{"0", "5e5", "1e6", "1.5e6"}));
  EXPECT_EQ(format_ticks({0, 5e-5, 1e-4, 1.5e-4}), (Labels{"0", "5e-5", "1e-4", "1.5e-4"}));
  EXPECT_EQ(format_ticks({-2e-9, 0, 2e-9}), (Labels{"-2e-9", "0", "2e-9"}));
  EXPECT_EQ(format_ticks({1e6, 1e6 + 1, 1e6 + 2}), (Labels{"1e6", "1.000001e6", "1.000002e6"}));
  EXPECT_EQ(format_ticks({1e300, 2e300}), (Labels{"1e300", "2e300"}));
}

// ---- Line charts.

LineChart roc_chart() {
  LineChart chart;
  chart.title = "ROC curves";
  chart.x_label = "false positive rate";
  chart.y_label = "true positive rate";
  chart.series.push_back({"logistic", {0, 0.1, 0.3, 0.6, 1}, {0, 0.45, 0.72, 0.9, 1}});
  chart.series.push_back({"xgboost", {0, 0.1, 0.3, 0.6, 1}, {0, 0.52, 0.79, 0.93, 1}});
  chart.series.push_back({"chance", {0, 1}, {0, 1}});
  return chart;
}

const Element* dashed_line(const ScannedXml& xml) {
  for (const Element* line : xml.all("line")) {
    if (line->attributes.count("stroke-dasharray")) return line;
  }
  return nullptr;
}

TEST(SvgLineChartTest, DrawsEverySeriesWithALegendAndAxes) {
  ScannedXml xml = check_svg(render_svg(roc_chart()));
  EXPECT_EQ(xml.all("polyline").size(), 3u);
  for (const char* name : {"ROC curves", "false positive rate", "true positive rate", "logistic", "xgboost",
                           "chance", "0.0", "0.2", "1.0"}) {
    EXPECT_TRUE(xml.has_text(name)) << name;
  }
  EXPECT_EQ(dashed_line(xml), nullptr);
  // Distinct colours per series.
  auto lines = xml.all("polyline");
  EXPECT_NE(lines[0]->attributes.at("stroke"), lines[1]->attributes.at("stroke"));
  EXPECT_NE(lines[1]->attributes.at("stroke"), lines[2]->attributes.at("stroke"));
}

TEST(SvgLineChartTest, MarkerIsADashedVerticalLineWithItsLabel) {
  LineChart chart;
  chart.title = "Business cost by threshold";
  chart.series.push_back({"cost", {0.1, 0.2, 0.3, 0.4, 0.5}, {900, 700, 650, 720, 800}});
  chart.marker_x = 0.31;
  chart.marker_label = "threshold 0.31";
  ScannedXml xml = check_svg(render_svg(chart));
  const Element* marker = dashed_line(xml);
  ASSERT_NE(marker, nullptr);
  EXPECT_EQ(number(*marker, "x1"), number(*marker, "x2"));
  EXPECT_LT(number(*marker, "y1"), number(*marker, "y2"));
  EXPECT_TRUE(xml.has_text("threshold 0.31"));
  // One series: no legend entry repeating its name.
  EXPECT_FALSE(xml.has_text("cost"));

  chart.marker_x = kNaN;
  EXPECT_EQ(dashed_line(check_svg(render_svg(chart))), nullptr);
}

TEST(SvgLineChartTest, MarkerOutsideTheDataWidensTheAxis) {
  LineChart chart;
  chart.series.push_back({"cost", {0.1, 0.2}, {1, 2}});
  chart.marker_x = 0.9;
  ScannedXml xml = check_svg(render_svg(chart));
  EXPECT_TRUE(xml.has_text("0.9") || xml.has_text("1.0"));
  ASSERT_NE(dashed_line(xml), nullptr);
}

TEST(SvgLineChartTest, TextIsEscaped) {
  LineChart chart = roc_chart();
  chart.title = "Cost & <risk> \"A\" 'B'";
  chart.series[0].name = "a<b>&c";
  chart.marker_x = 0.5;
  chart.marker_label = "t < 0.5 & \"ok\"";
  std::string doc = render_svg(chart);
  ScannedXml xml = check_svg(doc);
  EXPECT_NE(doc.find("Cost &amp; &lt;risk&gt; &quot;A&quot; &apos;B&apos;"), std::string::npos);
  EXPECT_EQ(doc.find("<risk>"), std::string::npos);
  EXPECT_TRUE(xml.has_text("Cost & <risk> \"A\" 'B'"));
  EXPECT_TRUE(xml.has_text("a<b>&c"));
  EXPECT_TRUE(xml.has_text("t < 0.5 & \"ok\""));
}

TEST(SvgLineChartTest, NoDataGivesAnEmptyPlot) {
  LineChart chart;
  chart.title = "nothing";
  ScannedXml xml = check_svg(render_svg(chart));
  EXPECT_TRUE(xml.has_text("no data"));
  chart.series.push_back({"empty", {}, {}});
  chart.series.push_back({"all nan", {kNaN, 1}, {0, kInf}});
  xml = check_svg(render_svg(chart));
  EXPECT_TRUE(xml.has_text("no data"));
  EXPECT_TRUE(xml.all("polyline").empty());
}

TEST(SvgLineChartTest, SinglePointIsADot) {
  LineChart chart;
  chart.series.push_back({"one", {0.5}, {3}});
  ScannedXml xml = check_svg(render_svg(chart));
  EXPECT_EQ(xml.all("circle").size(), 1u);
  EXPECT_TRUE(xml.all("polyline").empty());
}

TEST(SvgLineChartTest, NonFinitePointsAreSkippedAndLengthsMayDiffer) {
  LineChart chart;
  chart.series.push_back({"gappy", {0, 1, 2, 3, 4, 5, 6}, {1, kNaN, 3, kInf, -kInf, 2}});
  ScannedXml xml = check_svg(render_svg(chart));
  auto lines = xml.all("polyline");
  ASSERT_EQ(lines.size(), 1u);
  const std::string& points = lines[0]->attributes.at("points");
  EXPECT_EQ(std::count(points.begin(), points.end(), ','), 3);  // (0,1) (2,3) (5,2)
}

TEST(SvgLineChartTest, FlatSeriesAndExtremeMagnitudesStayFinite) {
  for (double scale : {1.0, 1e-12, 1e15, 1e300, -1e300}) {
    SCOPED_TRACE(scale);
    LineChart flat;
    flat.series.push_back({"flat", {0, 1, 2}, {4 * scale, 4 * scale, 4 * scale}});
    check_svg(render_svg(flat));
    LineChart wide;
    wide.series.push_back({"wide", {-scale, 0, scale}, {scale, -scale, 0.5 * scale}});
    check_svg(render_svg(wide));
  }
  LineChart same_x;
  same_x.series.push_back({"vertical", {2, 2, 2}, {1, 2, 3}});
  check_svg(render_svg(same_x));
  LineChart extreme;
  extreme.series.push_back({"max", {0, 1}, {std::numeric_limits<double>::max(), -std::numeric_limits<double>::max()}});
  check_svg(render_svg(extreme));
}

TEST(SvgLineChartTest, DegenerateSizesAreClampedAndViewBoxMatches) {
  LineChart chart = roc_chart();
  chart.width = 0;
  chart.height = -5;
  ScannedXml xml = check_svg(render_svg(chart));
  EXPECT_GT(number(xml.elements[0], "width"), 100);
  EXPECT_EQ(xml.elements[0].attributes.at("viewBox"),
            "0 0 " + xml.elements[0].attributes.at("width") + " " + xml.elements[0].attributes.at("height"));
}

// ---- Bar charts.

BarChart leaderboard() {
  BarChart chart;
  chart.title = "Models by business cost";
  chart.value_label = "business cost per client";
  chart.bars = {{"xgboost", 0.412, 0.011, true}, {"logistic", 0.437, 0.009, false}, {"dummy", 0.6, std::nullopt, false}};
  return chart;
}

TEST(SvgBarChartTest, OneRectPerBarWithLabelsValuesAndWhiskers) {
  ScannedXml xml = check_svg(render_svg(leaderboard()));
  auto bars = xml.all("rect", "bar");
  ASSERT_EQ(bars.size(), 3u);
  for (const char* text : {"Models by business cost", "business cost per client", "xgboost", "logistic", "dummy",
                           "0.412 \u00B1 0.011", "0.6"}) {
    EXPECT_TRUE(xml.has_text(text)) << text;
  }
  // Top to bottom in the given order; the highlighted bar in its own colour.
  EXPECT_LT(number(*bars[0], "y"), number(*bars[1], "y"));
  EXPECT_LT(number(*bars[1], "y"), number(*bars[2], "y"));
  EXPECT_NE(bars[0]->attributes.at("fill"), bars[1]->attributes.at("fill"));
  EXPECT_EQ(bars[1]->attributes.at("fill"), bars[2]->attributes.at("fill"));
  // Longer bar for the larger value, all from the same zero.
  EXPECT_EQ(number(*bars[0], "x"), number(*bars[2], "x"));
  EXPECT_LT(number(*bars[0], "width"), number(*bars[2], "width"));
  // Tooltips carry the label and value.
  EXPECT_EQ(xml.all("title").size(), 4u);  // the document's and one per bar
}

TEST(SvgBarChartTest, NegativeBarsGrowLeftInTheirOwnColour) {
  BarChart chart;
  chart.title = "Client 100002: contributions to the score";
  chart.value_label = "SHAP value";
  chart.positive_label = "toward refusal";
  chart.negative_label = "toward acceptance";
  chart.bars = {bar("EXT_SOURCE_3", -0.42), bar("DAYS_BIRTH", 0.13), bar("AMT_CREDIT", -0.05), bar("EXT_SOURCE_2", 0.31)};
  ScannedXml xml = check_svg(render_svg(chart));
  auto bars = xml.all("rect", "bar");
  ASSERT_EQ(bars.size(), 4u);
  double zero_x = number(*bars[1], "x");
  EXPECT_EQ(number(*bars[3], "x"), zero_x);
  EXPECT_NEAR(number(*bars[0], "x") + number(*bars[0], "width"), zero_x, 0.02);
  EXPECT_NEAR(number(*bars[2], "x") + number(*bars[2], "width"), zero_x, 0.02);
  EXPECT_GT(number(*bars[0], "width"), number(*bars[3], "width"));
  EXPECT_EQ(bars[0]->attributes.at("fill"), bars[2]->attributes.at("fill"));
  EXPECT_EQ(bars[1]->attributes.at("fill"), bars[3]->attributes.at("fill"));
  EXPECT_NE(bars[0]->attributes.at("fill"), bars[1]->attributes.at("fill"));
  EXPECT_TRUE(xml.has_text("toward refusal"));
  EXPECT_TRUE(xml.has_text("toward acceptance"));
  EXPECT_EQ(xml.all("rect", "swatch").size(), 2u);
  EXPECT_TRUE(xml.has_text("-0.42"));
}

TEST(SvgBarChartTest, LongLabelsAreCutWithAnEllipsisAndKeptWhole) {
  BarChart chart;
  chart.title = "Global feature importance";
  std::string long_name = "BURO_ACTIVE_AMT_CREDIT_SUM_DEBT_MEAN_" + std::string(80, 'X');
  chart.bars = {bar(long_name, 0.3), bar("EXT_SOURCE_3", 0.2)};
  std::string doc = render_svg(chart);
  ScannedXml xml = check_svg(doc);
  bool found_cut = false;
  for (const Element* text : xml.all("text")) {
    if (text->text.rfind("BURO_ACTIVE", 0) == 0) {
      found_cut = true;
      EXPECT_LT(text->text.size(), long_name.size());
      EXPECT_EQ(text->text.substr(text->text.size() - 3), "\u2026");
      // The label column ends left of the bars.
      EXPECT_LT(number(*text, "x"), number(*xml.all("rect", "bar")[0], "x"));
    }
  }
  EXPECT_TRUE(found_cut);
  EXPECT_TRUE(xml.has_text("EXT_SOURCE_3"));
  EXPECT_NE(doc.find(long_name + ": 0.3"), std::string::npos);  // the tooltip holds the whole name
}

TEST(SvgBarChartTest, HeightFollowsTheNumberOfBars) {
  BarChart few, many;
  for (int i = 0; i < 30; ++i) {
    std::string label = "feature ";
    label += std::to_string(i);
    if (i < 3) few.bars.push_back(bar(label, 1.0 + i));
    many.bars.push_back(bar(label, 1.0 + i));
  }
  ScannedXml few_xml = check_svg(render_svg(few)), many_xml = check_svg(render_svg(many));
  EXPECT_GT(number(many_xml.elements[0], "height"), number(few_xml.elements[0], "height") + 27 * 15);
  EXPECT_EQ(many_xml.all("rect", "bar").size(), 30u);
}

TEST(SvgBarChartTest, NonFiniteValuesKeepTheirRowButDrawNoBar) {
  BarChart chart;
  chart.bars = {{"ok", 2.0, kNaN, false}, {"nan", kNaN, 0.1, false}, bar("inf", kInf), {"also ok", 1.0, -0.5, false}};
  ScannedXml xml = check_svg(render_svg(chart));
  EXPECT_EQ(xml.all("rect", "bar").size(), 2u);
  EXPECT_TRUE(xml.has_text("nan"));
  EXPECT_TRUE(xml.has_text("n/a"));
  EXPECT_TRUE(xml.has_text("1 \u00B1 0.5"));  // a negative error is read as its magnitude
  EXPECT_TRUE(xml.has_text("2"));
}

TEST(SvgBarChartTest, EdgeCasesStayWellFormed) {
  BarChart empty;
  empty.title = "no bars";
  ScannedXml xml = check_svg(render_svg(empty));
  EXPECT_TRUE(xml.has_text("no data"));
  EXPECT_TRUE(xml.all("rect", "bar").empty());

  BarChart zeros;
  zeros.bars = {bar("a", 0), bar("b", 0)};
  EXPECT_EQ(check_svg(render_svg(zeros)).all("rect", "bar").size(), 2u);

  BarChart extreme;
  const double largest = std::numeric_limits<double>::max();
  extreme.bars = {{"huge", 3e300, 1e300, false}, bar("tiny", 1e-300), bar("negative huge", -largest),
                  {"overflowing whisker", -largest, largest, false}};
  xml = check_svg(render_svg(extreme));
  ASSERT_EQ(xml.all("rect", "bar").size(), 4u);
  for (const Element* rect : xml.all("rect", "bar")) {
    EXPECT_GE(number(*rect, "x"), 0);
    EXPECT_LE(number(*rect, "x") + number(*rect, "width"), extreme.width);
  }

  BarChart narrow = leaderboard();
  narrow.width = 10;
  narrow.bars[0].label = std::string(200, 'W');
  check_svg(render_svg(narrow));
}

TEST(SvgBarChartTest, ValueFormatIsUsedWhenSafe) {
  BarChart chart;
  chart.bars = {bar("a", 0.12345)};
  chart.value_format = "%.2f";
  EXPECT_TRUE(check_svg(render_svg(chart)).has_text("0.12"));
  chart.value_format = "%.1f%%";
  EXPECT_TRUE(check_svg(render_svg(chart)).has_text("0.1%"));
  for (const char* unsafe : {"%s", "%d", "%n", "%f %f", "%*f", "%Lf", "100%"}) {
    chart.value_format = unsafe;
    EXPECT_TRUE(check_svg(render_svg(chart)).has_text("0.1235")) << unsafe;
  }
}

TEST(SvgBarChartTest, InvalidUtf8AndControlCharactersAreRepaired) {
  BarChart chart;
  chart.title = std::string("bad \xff byte and \x01 control");
  chart.bars = {bar("caf\xc3\xa9 \xe2\x82", 1.0)};
  ScannedXml xml = check_svg(render_svg(chart));
  EXPECT_TRUE(xml.has_text("bad \uFFFD byte and   control"));
  EXPECT_TRUE(xml.has_text("caf\u00E9 \uFFFD\uFFFD"));
}

}  // namespace
}  // namespace credo::report
