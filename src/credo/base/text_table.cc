// Column sizing by displayed characters (UTF-8 aware), numbers to the right.
#include "credo/base/text_table.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace credo {
namespace {

size_t display_width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;  // count code points, not continuation bytes
  return n;
}

// The first `width` code points of `s`, with an ellipsis when it was longer.
std::string clip(const std::string& s, size_t width) {
  if (display_width(s) <= width) return s;
  std::string out;
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 && ++n == width) break;
    out.push_back(s[i]);
  }
  return out + "…";
}

bool looks_numeric(const std::string& s) {
  if (s.empty()) return false;
  char* end = nullptr;
  std::strtod(s.c_str(), &end);
  return end && *end == '\0';
}

}  // namespace

TextTable::TextTable(std::vector<std::string> headers, size_t max_column_width)
    : headers_(std::move(headers)), max_width_(std::max<size_t>(4, max_column_width)) {}

void TextTable::add_row(std::vector<std::string> cells) {
  cells.resize(headers_.size());
  rows_.push_back(std::move(cells));
}

std::string TextTable::render() const {
  size_t columns = headers_.size();
  std::vector<size_t> width(columns, 0);
  std::vector<bool> numeric(columns, true);
  for (size_t c = 0; c < columns; ++c) {
    width[c] = std::min(max_width_, display_width(headers_[c]));
    bool any = false;
    for (const auto& row : rows_) {
      width[c] = std::max(width[c], std::min(max_width_, display_width(row[c])));
      if (!row[c].empty() && row[c] != "-") {
        any = true;
        numeric[c] = numeric[c] && looks_numeric(row[c]);
      }
    }
    numeric[c] = numeric[c] && any;
  }
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t c = 0; c < columns; ++c) {
      std::string cell = clip(cells[c], width[c]);
      std::string pad(width[c] - display_width(cell), ' ');
      bool last = c + 1 == columns;
      out += numeric[c] ? pad + cell : (last ? cell : cell + pad);
      if (!last) out += "  ";
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(headers_);
  std::vector<std::string> rule;
  for (size_t c = 0; c < columns; ++c) rule.emplace_back(width[c], '-');
  out += line(rule);
  for (const auto& row : rows_) out += line(row);
  return out;
}

std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", value);
  return buf;
}

std::string format_time_ms(int64_t time_ms) {
  std::time_t seconds = static_cast<std::time_t>(time_ms / 1000);
  std::tm local{};
  localtime_r(&seconds, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &local);
  return buf;
}

}  // namespace credo
