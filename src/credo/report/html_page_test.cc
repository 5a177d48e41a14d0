// Pins the HTML report page: well-formed, every caller text escaped (a feature name or a reason
// can hold markup), tables padded and highlighted, images referenced relatively.
#include "credo/report/html_page.h"

#include <gtest/gtest.h>

#include "credo/report/xml_scan_testing.h"

namespace credo::report {
namespace {

TEST(HtmlPageTest, WellFormedWithEveryTextEscaped) {
  HtmlPage page("Training <run> & report");
  page.heading("Leaderboard");
  page.paragraph("cost < 0.5 & AUC > 0.7");
  page.table({"ALGORITHM", "COST"}, {{"xgboost", "0.48"}, {"logistic"}}, 0);
  page.image("leaderboard.svg", "leaderboard \"chart\"");
  page.facts({{"threshold", "0.31"}});
  page.preformatted("curl -d '{\"a\": 1}' <url>\n  & more");
  std::string html = page.render();
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  test_xml::ScannedXml doc = test_xml::scan_xml(html, "html");
  ASSERT_EQ(doc.error, "") << html;
  EXPECT_TRUE(doc.has_text("Training <run> & report", "title"));
  EXPECT_TRUE(doc.has_text("Training <run> & report", "h1"));
  EXPECT_TRUE(doc.has_text("cost < 0.5 & AUC > 0.7", "p"));
  // Two rows, the short one padded to the headers' width; the first highlighted.
  EXPECT_EQ(doc.all("tr").size(), 3u);
  EXPECT_EQ(doc.all("td").size(), 4u);
  EXPECT_EQ(doc.all("tr", "highlight").size(), 1u);
  ASSERT_EQ(doc.all("img").size(), 1u);
  EXPECT_EQ(doc.all("img")[0]->attributes.at("src"), "leaderboard.svg");
  EXPECT_EQ(doc.all("img")[0]->attributes.at("alt"), "leaderboard &quot;chart&quot;");
  EXPECT_TRUE(doc.has_text("0.31", "dd"));
  EXPECT_TRUE(doc.has_text("curl -d '{\"a\": 1}' <url>\n  & more", "pre")) << "kept as it is, line breaks too";
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

}  // namespace
}  // namespace credo::report
