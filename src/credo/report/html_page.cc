// HtmlPage: the document is built as text; escaping goes through the SVG writer's XML escaper
// (the same rules apply to HTML text and attribute values).
#include "credo/report/html_page.h"

#include "credo/report/svg_canvas.h"

namespace credo::report {
namespace {

std::string escaped(const std::string& text) { return svg::escape_xml(text); }

constexpr const char* kStyle =
    "body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#222;max-width:980px;"
    "margin:2em auto;padding:0 1em;line-height:1.45}"
    "h1{font-size:1.6em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ddd}"
    "table{border-collapse:collapse;margin:0.8em 0;font-size:0.92em}"
    "th,td{padding:0.3em 0.7em;border-bottom:1px solid #e5e5e5;text-align:left}"
    "th{background:#f5f5f5}tr.highlight td{font-weight:bold;background:#fff7e6}"
    "img{max-width:100%;display:block;margin:0.8em 0}dl{display:grid;grid-template-columns:max-content auto;"
    "gap:0.2em 1em}dt{color:#555}dd{margin:0}"
    "pre{background:#f6f8fa;border:1px solid #e5e5e5;padding:0.6em;overflow-x:auto;font-size:0.88em}";

}  // namespace

HtmlPage::HtmlPage(std::string title) : title_(std::move(title)) {}

void HtmlPage::heading(const std::string& text) { body_ += "<h2>" + escaped(text) + "</h2>\n"; }

void HtmlPage::paragraph(const std::string& text) { body_ += "<p>" + escaped(text) + "</p>\n"; }

void HtmlPage::table(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows,
                     int highlight_row) {
  body_ += "<table>\n<tr>";
  for (const std::string& h : headers) body_ += "<th>" + escaped(h) + "</th>";
  body_ += "</tr>\n";
  for (size_t r = 0; r < rows.size(); ++r) {
    body_ += static_cast<int>(r) == highlight_row ? "<tr class=\"highlight\">" : "<tr>";
    for (size_t c = 0; c < std::max(headers.size(), rows[r].size()); ++c)
      body_ += "<td>" + (c < rows[r].size() ? escaped(rows[r][c]) : std::string()) + "</td>";
    body_ += "</tr>\n";
  }
  body_ += "</table>\n";
}

void HtmlPage::image(const std::string& relative_path, const std::string& alt) {
  body_ += "<img src=\"" + escaped(relative_path) + "\" alt=\"" + escaped(alt) + "\"/>\n";
}

void HtmlPage::preformatted(const std::string& text) {
  // Line by line: the escaper turns control characters, line breaks included, into spaces.
  body_ += "<pre>";
  for (size_t start = 0; start <= text.size();) {
    size_t end = std::min(text.find('\n', start), text.size());
    body_ += escaped(text.substr(start, end - start)) + (end < text.size() ? "\n" : "");
    start = end + 1;
  }
  body_ += "</pre>\n";
}

void HtmlPage::facts(const std::vector<std::pair<std::string, std::string>>& label_values) {
  body_ += "<dl>\n";
  for (const auto& [label, value] : label_values) body_ += "<dt>" + escaped(label) + "</dt><dd>" + escaped(value) + "</dd>\n";
  body_ += "</dl>\n";
}

std::string HtmlPage::render() const {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n<title>" + escaped(title_) +
         "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<h1>" + escaped(title_) + "</h1>\n" + body_ +
         "</body>\n</html>\n";
}

}  // namespace credo::report
