// A report as one standalone HTML page that a person opens in any browser: headings, short
// paragraphs, tables and the SVG charts beside it, with a plain built-in style and no script
// or download. Every text is escaped here, so callers pass plain text. The page is also
// well-formed XML (void elements self-closed), so tests can parse it strictly.
#pragma once

#include <string>
#include <vector>

namespace credo::report {

class HtmlPage {
 public:
  explicit HtmlPage(std::string title);

  void heading(const std::string& text);                 // a section title
  void paragraph(const std::string& text);
  // A table; a row shorter than `headers` is padded with empty cells. `highlight_row` (or -1)
  // is drawn in bold (e.g. the chosen model).
  void table(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows,
             int highlight_row = -1);
  // An image (an SVG chart) by its path relative to the page, with a text alternative.
  void image(const std::string& relative_path, const std::string& alt);
  // Text shown as it is, in a fixed-width block (a command line, a JSON example).
  void preformatted(const std::string& text);
  // Pairs of "label: value" lines (a summary).
  void facts(const std::vector<std::pair<std::string, std::string>>& label_values);

  // The whole document (UTF-8).
  std::string render() const;

 private:
  std::string title_;
  std::string body_;
};

}  // namespace credo::report
