// The filter grammar of GET /api/v1/population: which group of known clients a distribution is
// drawn over, written in a URL as `CODE_GENDER:F,NAME_INCOME_TYPE:Working|Pensioner,AGE:30-40`.
// This file owns the syntax only; Population resolves the fields against the data.
//
//   filter  := clause ("," clause)*             at most kMaxFilterClauses, kMaxFilterLength bytes
//   clause  := FIELD ":" VALUE                   FIELD: letters, digits, '_'
//   VALUE   := "client"                          the asked client's own value (a numeric field:
//                                                its exact value; AGE: its ten-year band)
//            | LEVEL ("|" LEVEL)*                text fields: any of the levels, as written
//            | NUMBER                            numeric fields: equal to
//            | NUMBER? ("-" | "..") NUMBER?      numeric fields: from <= x < to, either end open
//                                                ("-40" is a number; "..-40" or "..40" a range)
// A piece without ':' continues the previous value (levels such as "Spouse, partner" hold a comma).
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credo/base/status.h"

namespace credo::serve {

inline constexpr size_t kMaxFilterClauses = 16;
inline constexpr size_t kMaxFilterLength = 2000;

struct FilterClause {
  std::string field;
  std::string value;  // as written, spaces around it trimmed
  bool is_client() const { return value == "client"; }
  // The value split on '|'.
  std::vector<std::string> levels() const;
};

// A numeric condition: from <= x < to, or x == from when exact.
struct NumberRange {
  double from = -HUGE_VAL;
  double to = HUGE_VAL;
  bool exact = false;
  bool contains(double x) const { return exact ? x == from : x >= from && x < to; }
};

// The clauses of `text` ("" = none), or InvalidArgument naming the clause and what is wrong.
StatusOr<std::vector<FilterClause>> parse_population_filter(std::string_view text);
// VALUE as a number or a range, or nullopt when it is neither (e.g. a text level).
std::optional<NumberRange> parse_number_range(std::string_view value);

}  // namespace credo::serve
