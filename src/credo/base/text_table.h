// Tables for a terminal: the leaderboards, run lists and comparisons people read. Columns are
// sized to their content (capped, with an ellipsis), numbers right-aligned, so the same table
// reads well in an 80-column terminal and in a log.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace credo {

class TextTable {
 public:
  explicit TextTable(std::vector<std::string> headers, size_t max_column_width = 40);
  void add_row(std::vector<std::string> cells);
  size_t num_rows() const { return rows_.size(); }
  // The table with a header underline, one line per row, columns separated by two spaces.
  std::string render() const;

 private:
  std::vector<std::string> headers_;
  std::vector<std::vector<std::string>> rows_;
  size_t max_width_;
};

// A number as people read it in a table: 4 significant digits ("0.7812", "1234", "1.2e+06"),
// "nan" and "inf" spelled out.
std::string format_number(double value);
// Local time of a Unix time in milliseconds: "2026-11-23 19:40:12".
std::string format_time_ms(int64_t time_ms);

}  // namespace credo
