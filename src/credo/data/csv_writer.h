// Writes tables as CSV that credo, pandas and spreadsheets read back to the same values:
// missing values as empty fields, doubles in shortest round-trip form with a ".0" on whole
// numbers (as pandas writes them, so types survive a round trip), text quoted when needed.
#pragma once

#include <string>

#include "credo/base/status.h"
#include "credo/data/table.h"

namespace credo {

// Appends the CSV text of one value of `column` at `row` to `out`.
void append_csv_value(std::string& out, const Column& column, size_t row);
// Appends `text` to `out`, quoted (RFC 4180) if it holds a comma, quote, newline or edge spaces.
void append_csv_text(std::string& out, std::string_view text);
// Appends a double as pandas writes it: shortest round-trip digits, "1.0" not "1".
void append_csv_double(std::string& out, double value);

// The room format_csv_number may need.
inline constexpr size_t kMaxCsvNumberChars = 48;
// Writes the shortest text that reads back to exactly `value` and returns its end; nothing for
// NaN (missing). Plain decimals for 1e-5 <= |value| < 1e16 with ".0" on whole numbers, as pandas
// writes them ("100000.0", not "1e+05"), scientific notation beyond. The float overload gives
// the shortest text of the float ("0.1", not "0.10000000149011612").
char* format_csv_number(char* out, double value);
char* format_csv_number(char* out, float value);

// Writes `table` with a header row; the file is written under a temporary name and renamed,
// so a reader never sees half a file.
Status write_csv(const Table& table, const std::string& path);
std::string to_csv_string(const Table& table);

}  // namespace credo
