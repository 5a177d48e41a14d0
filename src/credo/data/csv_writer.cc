// Formatting with std::to_chars into one buffer, flushed in large writes.
#include "credo/data/csv_writer.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "credo/base/atomic_file.h"

namespace credo {

void append_csv_text(std::string& out, std::string_view text) {
  bool needs_quotes = text.find_first_of(",\"\r\n") != std::string_view::npos ||
                      (!text.empty() && (text.front() == ' ' || text.back() == ' '));
  if (!needs_quotes) {
    out.append(text);
    return;
  }
  out.push_back('"');
  for (char c : text) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

namespace {
template <typename T>
char* format_number(char* out, T value) {
  if (std::isnan(value)) return out;
  // Whole numbers below 1e5 are most values of credit data: an integer conversion is ten times
  // faster than the shortest-float search and gives the same text.
  if (std::fabs(value) < T(1e5) && value == std::trunc(value) && !(value == 0 && std::signbit(value))) {
    char* end = std::to_chars(out, out + kMaxCsvNumberChars, static_cast<int32_t>(value)).ptr;
    std::memcpy(end, ".0", 2);
    return end + 2;
  }
  T magnitude = std::fabs(value);
  bool plain = std::isfinite(value) && (magnitude == 0 || (magnitude >= T(1e-5) && magnitude < T(1e16)));
  char* end = plain ? std::to_chars(out, out + kMaxCsvNumberChars, value, std::chars_format::fixed).ptr
                    : std::to_chars(out, out + kMaxCsvNumberChars, value).ptr;
  if (std::isfinite(value) && std::find_if(out, end, [](char c) { return c == '.' || c == 'e'; }) == end) {
    *end++ = '.';
    *end++ = '0';
  }
  return end;
}
}  // namespace

char* format_csv_number(char* out, double value) { return format_number(out, value); }
char* format_csv_number(char* out, float value) { return format_number(out, value); }

void append_csv_double(std::string& out, double value) {
  char buf[kMaxCsvNumberChars];
  out.append(buf, format_csv_number(buf, value));
}

void append_csv_value(std::string& out, const Column& column, size_t row) {
  if (column.is_missing(row)) return;
  switch (column.type()) {
    case ColumnType::kInt64: {
      char buf[24];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, column.int64s()[row]);
      (void)ec;
      out.append(buf, end);
      break;
    }
    case ColumnType::kDouble:
      append_csv_double(out, column.doubles()[row]);
      break;
    case ColumnType::kCategorical:
      append_csv_text(out, column.category(row));
      break;
  }
}

namespace {
void append_header(std::string& out, const Table& table) {
  for (size_t c = 0; c < table.num_columns(); ++c) {
    if (c) out.push_back(',');
    append_csv_text(out, table.column(c).name());
  }
  out.push_back('\n');
}
void append_row(std::string& out, const Table& table, size_t row) {
  for (size_t c = 0; c < table.num_columns(); ++c) {
    if (c) out.push_back(',');
    append_csv_value(out, table.column(c), row);
  }
  out.push_back('\n');
}
}  // namespace

std::string to_csv_string(const Table& table) {
  std::string out;
  append_header(out, table);
  for (size_t r = 0; r < table.num_rows(); ++r) append_row(out, table, r);
  return out;
}

Status write_csv(const Table& table, const std::string& path) {
  AtomicFile file(path);
  std::string buffer;
  buffer.reserve(1 << 20);
  append_header(buffer, table);
  for (size_t r = 0; r < table.num_rows(); ++r) {
    append_row(buffer, table, r);
    if (buffer.size() >= (1 << 20)) {
      file.write(buffer);
      buffer.clear();
    }
  }
  file.write(buffer);
  return file.commit();
}

}  // namespace credo
