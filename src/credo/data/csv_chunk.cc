// The hot loop of CSV reading. Fields are scanned byte by byte (Home Credit fields are short,
// 5-10 bytes, so a SIMD search would not pay for its setup), numbers are parsed in place with
// a hand-written integer parser and std::from_chars for doubles (libstdc++ 12 uses the
// Eisel-Lemire algorithm), and categorical levels are looked up with a one-entry cache first
// because long tables repeat the same level row after row (bureau_balance STATUS).
#include "credo/data/csv_chunk.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

#include "credo/base/text.h"

namespace credo::csv_internal {

Field read_field(const char*& p, const char* end, std::string& scratch) {
  Field f;
  if (p < end && *p == '"') {
    f.quoted = true;
    const char* segment = ++p;
    const char* close = nullptr;
    scratch.clear();
    while (true) {
      const char* q = static_cast<const char*>(std::memchr(p, '"', static_cast<size_t>(end - p)));
      if (q == nullptr) {
        f.error = FieldError::kUnterminatedQuote;
        p = end;
        return f;
      }
      if (q + 1 < end && q[1] == '"') {  // "" is one escaped quote
        f.escaped = true;
        scratch.append(segment, q + 1);
        p = q + 2;
        segment = p;
        continue;
      }
      close = q;
      break;
    }
    if (f.escaped) {
      scratch.append(segment, close);
      f.value = scratch;
    } else {
      f.value = std::string_view(segment, static_cast<size_t>(close - segment));
    }
    for (char c : f.value) f.newlines += (c == '\n');
    p = close + 1;
    if (p == end) {
      f.end = FieldEnd::kEnd;
    } else if (*p == ',') {
      ++p;
      f.end = FieldEnd::kComma;
    } else if (*p == '\n') {
      ++p;
      f.end = FieldEnd::kRecord;
    } else if (*p == '\r' && p + 1 < end && p[1] == '\n') {
      p += 2;
      f.end = FieldEnd::kRecord;
    } else if (*p == '\r' && p + 1 == end) {
      p += 1;
      f.end = FieldEnd::kEnd;
    } else {
      f.error = FieldError::kJunkAfterQuote;
    }
    return f;
  }
  const char* start = p;
  while (p < end) {
    char c = *p;
    if (c == ',') {
      f.value = std::string_view(start, static_cast<size_t>(p - start));
      ++p;
      f.end = FieldEnd::kComma;
      return f;
    }
    if (c == '\n') {
      const char* stop = (p > start && p[-1] == '\r') ? p - 1 : p;
      f.value = std::string_view(start, static_cast<size_t>(stop - start));
      ++p;
      f.end = FieldEnd::kRecord;
      return f;
    }
    ++p;
  }
  const char* stop = (p > start && p[-1] == '\r') ? p - 1 : p;
  f.value = std::string_view(start, static_cast<size_t>(stop - start));
  f.end = FieldEnd::kEnd;
  return f;
}

size_t last_record_boundary(std::string_view text) {
  // Parity of quotes from the start (a record boundary, outside quotes) to the end.
  size_t quotes = 0;
  const char* base = text.data();
  const char* end = base + text.size();
  for (const char* q = base; (q = static_cast<const char*>(std::memchr(q, '"', static_cast<size_t>(end - q)))); ++q)
    ++quotes;
  size_t pos = text.size();
  size_t quotes_after = 0;
  while (pos > 0) {
    const void* nl = memrchr(base, '\n', pos);
    if (nl == nullptr) return std::string_view::npos;
    size_t at = static_cast<size_t>(static_cast<const char*>(nl) - base);
    for (size_t i = at + 1; i < pos; ++i) quotes_after += (base[i] == '"');
    if (((quotes - quotes_after) & 1) == 0) return at + 1;
    pos = at;
  }
  return std::string_view::npos;
}

namespace {
// Values are trimmed of spaces and tabs only (a field may hold other white space).
std::string_view trim_value(std::string_view s) { return trim(s, " \t"); }
}  // namespace

bool parse_int64(std::string_view s, int64_t& out) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') s = trim_value(s);
  if (s.empty()) return false;
  const char* p = s.data();
  const char* end = p + s.size();
  bool negative = false;
  if (*p == '-' || *p == '+') {
    negative = *p == '-';
    ++p;
    if (p == end) return false;
  }
  uint64_t v = 0;
  for (; p < end; ++p) {
    unsigned d = static_cast<unsigned>(*p - '0');
    if (d > 9) return false;
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  if (negative) {
    if (v > static_cast<uint64_t>(INT64_MAX) + 1) return false;
    out = static_cast<int64_t>(0 - v);
  } else {
    if (v > static_cast<uint64_t>(INT64_MAX)) return false;
    out = static_cast<int64_t>(v);
  }
  return true;
}

ParsedNumber parse_double(std::string_view s, double& out) {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') s = trim_value(s);
  if (s.empty()) return ParsedNumber::kNotANumber;
  const char* p = s.data();
  const char* end = p + s.size();
  if (*p == '+') ++p;  // from_chars does not accept a leading '+'
  double value;
  auto [ptr, ec] = std::from_chars(p, end, value);
  if (ptr != end || (ec != std::errc() && ec != std::errc::result_out_of_range)) return ParsedNumber::kNotANumber;
  if (ec == std::errc::result_out_of_range) {
    // Underflow keeps strtod's denormal or zero; overflow is infinity, refused below.
    value = std::strtod(std::string(p, end).c_str(), nullptr);
  }
  if (!std::isfinite(value)) return ParsedNumber::kNotFinite;
  out = value;
  return ParsedNumber::kFinite;
}

namespace {
// The message for a value of a number column that is not one.
std::string not_a_number_message(const ColumnPlan& plan, std::string_view v, ParsedNumber parsed, const char* expected) {
  if (parsed == ParsedNumber::kNotFinite)
    return "column '" + plan.name + "': '" + printable_text(v, 60) +
           "' is not a finite number (NaN, infinity and numbers beyond 1.8e308 are refused; leave the field empty "
           "for a missing value)";
  return "column '" + plan.name + "': '" + printable_text(v, 60) + "' is not a number (expected " +
         (plan.inferred ? "a number, as in the first rows" : expected) + ")";
}
}  // namespace

namespace {


// Looks a categorical level up in the chunk's dictionary, adding it if new.
inline int32_t level_code(ColumnPiece& col, std::string_view v) {
  return col.levels.code_of(v);
}

// Appends one value to a column piece. Returns false (and fills the error) on a bad value.
inline bool append_value(ColumnPiece& col, const ColumnPlan& plan, const Field& field, ChunkError& error) {
  std::string_view v = field.value;
  const size_t i = col.size;
  switch (col.type) {
    case ColumnType::kInt64: {
      if (v.empty() && !field.quoted) {
        col.ints[i] = 0;
        col.int_missing[i] = 1;
        ++col.missing;
        ++col.size;
        return true;
      }
      int64_t x;
      if (parse_int64(v, x)) {
        col.ints[i] = x;
        col.int_missing[i] = 0;
        ++col.size;
        return true;
      }
      double d;
      ParsedNumber parsed = parse_double(v, d);
      if (parsed == ParsedNumber::kFinite) {
        // A whole-number column that holds a decimal value in this chunk: promote the piece to
        // double in place (exact for |x| < 2^53); the merge promotes the whole column.
        col.type = ColumnType::kDouble;
        col.doubles = reinterpret_cast<double*>(col.ints);
        for (size_t k = 0; k < i; ++k) {
          double as_double = col.int_missing[k] ? NAN : static_cast<double>(col.ints[k]);
          std::memcpy(&col.doubles[k], &as_double, sizeof as_double);
        }
        col.ints = nullptr;
        col.doubles[i] = d;
        ++col.size;
        return true;
      }
      error.message = not_a_number_message(plan, v, parsed, "an integer");
      return false;
    }
    case ColumnType::kDouble: {
      if (v.empty() && !field.quoted) {
        col.doubles[i] = NAN;
        ++col.missing;
        ++col.size;
        return true;
      }
      double d;
      ParsedNumber parsed = parse_double(v, d);
      if (parsed == ParsedNumber::kFinite) {
        col.doubles[i] = d;
        ++col.size;
        return true;
      }
      error.message = not_a_number_message(plan, v, parsed, "a decimal number");
      return false;
    }
    case ColumnType::kCategorical: {
      if (v.empty()) {
        col.codes[i] = -1;
        ++col.missing;
        ++col.size;
        return true;
      }
      col.codes[i] = level_code(col, v);
      ++col.size;
      return true;
    }
  }
  return true;
}

// True if `q` is at a byte that ends an unquoted field.
inline bool at_delimiter(const char* q, const char* end) {
  return q == end || *q == ',' || *q == '\n' || (*q == '\r' && (q + 1 == end || q[1] == '\n'));
}

// Parses a plain integer ("-1234") at q into the next slot of `col` and leaves q at its
// delimiter; false, with nothing written, for anything else (empty, decimal, quoted, text),
// which then takes the general path.
inline bool fast_int(const char*& q, const char* end, ColumnPiece& col) {
  const char* s = q;
  bool negative = false;
  if (*s == '-') { negative = true; ++s; }
  const char* digits = s;
  uint64_t v = 0;
  while (s < end && static_cast<unsigned>(*s - '0') < 10) {
    v = v * 10 + static_cast<unsigned>(*s - '0');
    ++s;
  }
  size_t n = static_cast<size_t>(s - digits);
  if (n == 0 || n > 18 || !at_delimiter(s, end)) return false;
  col.ints[col.size] = negative ? -static_cast<int64_t>(v) : static_cast<int64_t>(v);
  col.int_missing[col.size] = 0;
  ++col.size;
  q = s;
  return true;
}

// Parses a plain decimal ("-1234.56", "0.0188") at q. With at most 15 significant digits and 22
// decimals, mantissa / 10^decimals is one correctly rounded division of two exact doubles
// (Clinger's fast path), so the result equals strtod's; anything else takes the general path.
inline bool fast_double(const char*& q, const char* end, ColumnPiece& col) {
  static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                      1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char* s = q;
  bool negative = false;
  if (*s == '-') { negative = true; ++s; }
  uint64_t mantissa = 0;
  int digits = 0, decimals = 0;
  while (s < end && static_cast<unsigned>(*s - '0') < 10) {
    mantissa = mantissa * 10 + static_cast<unsigned>(*s - '0');
    ++digits;
    ++s;
  }
  if (s < end && *s == '.') {
    ++s;
    while (s < end && static_cast<unsigned>(*s - '0') < 10) {
      mantissa = mantissa * 10 + static_cast<unsigned>(*s - '0');
      ++digits;
      ++decimals;
      ++s;
    }
  }
  if (digits == 0 || digits > 15 || decimals > 22 || !at_delimiter(s, end)) return false;
  double v = static_cast<double>(mantissa);
  if (decimals) v /= kPow10[decimals];
  col.doubles[col.size++] = negative ? -v : v;
  q = s;
  return true;
}

// Passes over an unquoted field of a column the caller did not ask for.
inline bool skip_field(const char*& q, const char* end) {
  const char* s = q;
  while (s < end && *s != ',' && *s != '\n') ++s;
  q = (s > q && s[-1] == '\r') ? s - 1 : s;
  return true;
}

// The common unquoted cases in one pass: an empty (missing) value of any type, a plain number,
// or a text level (compared first with the previous row's level, which long tables repeat).
inline bool fast_field(const char*& q, const char* end, ColumnPiece& col, std::string_view& last_text,
                       int32_t& last_code) {
  if (at_delimiter(q, end)) {
    switch (col.type) {
      case ColumnType::kInt64: col.ints[col.size] = 0; col.int_missing[col.size] = 1; break;
      case ColumnType::kDouble: col.doubles[col.size] = NAN; break;
      case ColumnType::kCategorical: col.codes[col.size] = -1; break;
    }
    ++col.size;
    ++col.missing;
    return true;
  }
  if (col.type == ColumnType::kInt64) return fast_int(q, end, col);
  if (col.type == ColumnType::kDouble) return fast_double(q, end, col);
  const char* s = q;
  while (s < end && *s != ',' && *s != '\n') ++s;
  const char* stop = (s > q && s[-1] == '\r') ? s - 1 : s;
  std::string_view v(q, static_cast<size_t>(stop - q));
  int32_t code = (last_code >= 0 && v == last_text) ? last_code : level_code(col, v);
  last_text = v;
  last_code = code;
  col.codes[col.size++] = code;
  q = stop;
  return true;
}

}  // namespace

void parse_chunk(std::string_view text, const std::vector<ColumnPlan>& plan, ChunkResult& out) {
  const size_t n_cols = plan.size();
  out.columns.assign(n_cols, ColumnPiece());
  for (size_t c = 0; c < n_cols; ++c) out.columns[c].type = plan[c].type;
  // Size the arena for the most records the chunk can hold: a record has at least one byte per
  // field (its delimiters). Pages the chunk does not fill are never touched, so the slack costs
  // address space, not memory; counting the newlines instead cost a pass over the text.
  const size_t capacity = text.size() / n_cols + 2;
  size_t bytes = 0;
  for (size_t c = 0; c < n_cols; ++c) {
    if (plan[c].skip) continue;
    ColumnType type = out.columns[c].type;
    bytes += type == ColumnType::kInt64 ? capacity * 9 : type == ColumnType::kDouble ? capacity * 8 : capacity * 4;
  }
  bytes += 64;
  if (out.arena.size() < bytes) out.arena = LargeBuffer(bytes);  // else recycle the previous chunk's
  out.rows = 0;
  out.newlines = 0;
  out.multiline = false;
  out.error = ChunkError();
  std::byte* at = out.arena.data();
  // 8-byte columns first, then 4-byte codes, then 1-byte flags, so every array is aligned.
  for (size_t c = 0; c < n_cols; ++c) {
    ColumnPiece& col = out.columns[c];
    if (plan[c].skip) continue;
    if (col.type == ColumnType::kInt64) { col.ints = reinterpret_cast<int64_t*>(at); at += capacity * 8; }
    else if (col.type == ColumnType::kDouble) { col.doubles = reinterpret_cast<double*>(at); at += capacity * 8; }
  }
  for (size_t c = 0; c < n_cols; ++c)
    if (!plan[c].skip && out.columns[c].type == ColumnType::kCategorical) {
      out.columns[c].codes = reinterpret_cast<int32_t*>(at);
      at += capacity * 4;
    }
  for (size_t c = 0; c < n_cols; ++c)
    if (!plan[c].skip && out.columns[c].type == ColumnType::kInt64) {
      out.columns[c].int_missing = reinterpret_cast<uint8_t*>(at);
      at += capacity;
    }

  const char* p = text.data();
  const char* end = p + text.size();
  std::string scratch;
  // One-entry cache per categorical column: the previous level's text and code.
  std::vector<std::string_view> last_text(n_cols);
  std::vector<int32_t> last_code(n_cols, -2);

  while (p < end) {
    // Blank lines are skipped, as pandas does.
    if (*p == '\n') { ++p; ++out.newlines; continue; }
    if (*p == '\r' && p + 1 < end && p[1] == '\n') { p += 2; ++out.newlines; continue; }
    size_t record_newlines = 0;
    size_t c = 0;
    while (true) {
      FieldEnd field_end;
      const char* q = p;
      if (c < n_cols && p < end && *p != '"' &&
          (plan[c].skip ? skip_field(q, end) : fast_field(q, end, out.columns[c], last_text[c], last_code[c]))) {
        // An unquoted value parsed straight from the text; q is at its delimiter.
        if (q == end) { p = q; field_end = FieldEnd::kEnd; }
        else if (*q == ',') { p = q + 1; field_end = FieldEnd::kComma; }
        else if (*q == '\n') { p = q + 1; field_end = FieldEnd::kRecord; }
        else if (q + 1 < end) { p = q + 2; field_end = FieldEnd::kRecord; }  // "\r\n"
        else { p = end; field_end = FieldEnd::kEnd; }                         // "\r" at the end
      } else {
      Field f = read_field(p, end, scratch);
      field_end = f.end;
      record_newlines += f.newlines;
      if (f.error != FieldError::kNone) {
        out.error.set = true;
        out.error.line_in_chunk = out.newlines;
        std::string col_name = c < n_cols ? plan[c].name : "#" + std::to_string(c + 1);
        out.error.message = f.error == FieldError::kUnterminatedQuote
                                ? "column '" + col_name + "': unterminated quoted field (no closing \")"
                                : "column '" + col_name + "': unexpected character after a closing quote";
        return;
      }
      if (c < n_cols && !plan[c].skip) {
        ColumnPiece& col = out.columns[c];
        if (col.type == ColumnType::kCategorical && !f.escaped && !f.value.empty() &&
            last_code[c] >= 0 && f.value == last_text[c]) {
          col.codes[col.size++] = last_code[c];  // same level as the previous row
        } else {
          if (!append_value(col, plan[c], f, out.error)) {
            out.error.set = true;
            out.error.line_in_chunk = out.newlines;
            return;
          }
          if (col.type == ColumnType::kCategorical && !f.escaped && !f.value.empty()) {
            last_text[c] = f.value;
            last_code[c] = col.codes[col.size - 1];
          }
        }
      }
      }
      ++c;
      if (field_end != FieldEnd::kComma) break;
      if (p >= end) {  // a trailing comma at the very end: one more empty field
        Field empty;
        if (c < n_cols && !plan[c].skip && !append_value(out.columns[c], plan[c], empty, out.error)) {
          out.error.set = true;
          out.error.line_in_chunk = out.newlines;
          return;
        }
        ++c;
        break;
      }
    }
    if (c != n_cols) {
      out.error.set = true;
      out.error.line_in_chunk = out.newlines;
      out.error.message = "expected " + std::to_string(n_cols) + " fields as in the header, found " + std::to_string(c);
      return;
    }
    ++out.rows;
    out.newlines += record_newlines + 1;
    if (record_newlines) out.multiline = true;
  }
}

std::vector<ColumnType> infer_types(std::string_view text, size_t n_columns, size_t max_rows) {
  std::vector<bool> can_int(n_columns, true), can_double(n_columns, true), seen(n_columns, false);
  const char* p = text.data();
  const char* end = p + text.size();
  std::string scratch;
  size_t rows = 0;
  while (p < end && rows < max_rows) {
    if (*p == '\n' || *p == '\r') { ++p; continue; }
    size_t c = 0;
    while (true) {
      Field f = read_field(p, end, scratch);
      if (f.error != FieldError::kNone) return std::vector<ColumnType>(n_columns, ColumnType::kCategorical);
      if (c < n_columns && !f.value.empty()) {
        seen[c] = true;
        int64_t i;
        double d;
        if (can_int[c] && !parse_int64(f.value, i)) can_int[c] = false;
        // "nan" or "inf" looks like a number: the column stays numeric and reading names the value.
        if (!can_int[c] && can_double[c] && parse_double(f.value, d) == ParsedNumber::kNotANumber) can_double[c] = false;
      }
      ++c;
      if (f.end != FieldEnd::kComma || p >= end) break;
    }
    ++rows;
  }
  std::vector<ColumnType> types(n_columns);
  for (size_t c = 0; c < n_columns; ++c) {
    types[c] = !seen[c]      ? ColumnType::kDouble
               : can_int[c]  ? ColumnType::kInt64
               : can_double[c] ? ColumnType::kDouble
                               : ColumnType::kCategorical;
  }
  return types;
}

}  // namespace credo::csv_internal
