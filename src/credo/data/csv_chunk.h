// Internal to the CSV reader: the field scanner and the parser of one chunk of complete
// records into typed column pieces. Chunks are parsed independently on several threads and
// merged in order by csv_reader.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "credo/base/large_vector.h"
#include "credo/data/level_index.h"
#include "credo/data/schema.h"

namespace credo::csv_internal {

enum class FieldEnd { kComma, kRecord, kEnd };
enum class FieldError { kNone, kUnterminatedQuote, kJunkAfterQuote };

struct Field {
  std::string_view value;  // unescaped; a view into the text or into `scratch`
  FieldEnd end = FieldEnd::kEnd;
  FieldError error = FieldError::kNone;
  bool quoted = false;
  bool escaped = false;    // value lives in scratch (had "" escapes)
  uint32_t newlines = 0;   // newlines inside a quoted value
};

// Reads the field at `p` (RFC 4180: "..." quoting with "" escapes; \n or \r\n ends a record)
// and advances `p` past its delimiter.
Field read_field(const char*& p, const char* end, std::string& scratch);

// Index of the byte after the last newline of `text` that ends a record (not inside quotes),
// given that `text` starts at a record boundary; std::string_view::npos if there is none.
size_t last_record_boundary(std::string_view text);

struct ColumnPlan {
  std::string name;
  ColumnType type;
  bool inferred;      // type guessed from the first rows rather than given by a schema
  bool skip = false;  // not wanted by the caller: scanned over, not stored
};


// One column of one chunk, stored in the chunk's arena (see ChunkResult). An int piece
// becomes double, in place, in a chunk that holds a decimal value.
struct ColumnPiece {
  ColumnType type = ColumnType::kInt64;
  int64_t* ints = nullptr;         // kInt64; the same bytes hold doubles after promotion
  double* doubles = nullptr;       // kDouble (NaN = missing)
  uint8_t* int_missing = nullptr;  // kInt64: one flag per row (1 = missing)
  int32_t* codes = nullptr;        // kCategorical (-1 = missing)
  size_t size = 0;
  size_t missing = 0;
  LevelIndex levels;  // local dictionary, in order of first appearance
};

struct ChunkError {
  bool set = false;
  size_t line_in_chunk = 0;  // 0-based newline count before the offending record
  std::string message;       // "column 'X': ..." (file and line are added by the caller)
};

// The pieces of a chunk live in one arena sized for the chunk's line count, allocated once and
// backed by huge pages: a column-by-column layout writes each row to a hundred arrays, and with
// one small vector per column the first touch of their 4 KB pages cost a third of the time.
struct ChunkResult {
  LargeBuffer arena;
  std::vector<ColumnPiece> columns;
  size_t rows = 0;
  size_t text_bytes = 0;    // size of the chunk's text
  size_t newlines = 0;      // newlines consumed, embedded ones included
  bool multiline = false;   // some record spans several lines
  ChunkError error;
};

// Parses complete records in `text` according to `plan`.
void parse_chunk(std::string_view text, const std::vector<ColumnPlan>& plan, ChunkResult& out);

// Guesses int / float / categorical for each of `n_columns` columns from the records of
// `text` (at most `max_rows`); a column with no value is float.
std::vector<ColumnType> infer_types(std::string_view text, size_t n_columns, size_t max_rows);

// Parses a whole decimal integer, allowing surrounding spaces; false if `s` is not one.
bool parse_int64(std::string_view s, int64_t& out);
enum class ParsedNumber {
  kFinite,       // a number a double holds (1e5, -0.25; 1e-400 underflows to 0, as strtod's)
  kNotFinite,    // written as a number but not a finite one: nan, inf, infinity, 1e999
  kNotANumber,   // anything else
};
// Parses a decimal floating-point number (also 1e5), allowing surrounding spaces; `out` is set
// only for kFinite. NaN and infinity are no values of the files: a missing value is an empty
// field, so "nan" or an overflow is an error for the caller to name.
ParsedNumber parse_double(std::string_view s, double& out);

}  // namespace credo::csv_internal
