// What values a Home Credit column can hold, in one place: the files' "no date" code, the ranges
// a numeric column certainly has (from its meaning and from the real rows profiled), and the
// text levels the data knows. The service reads them to refuse a posted value the data cannot
// hold, the client descriptions to say what 365243 means, and the feature spec by name (NO_DATE).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credo/data/homecredit.h"

namespace credo {

// The files' placeholder for "no date": DAYS_EMPLOYED of pensioners and the unemployed (not
// employed), and the DAYS_* of previous applications that never had that date.
inline constexpr int64_t kHcNoDate = 365243;
// Its name in the feature spec: `missing DAYS_EMPLOYED == NO_DATE`.
inline constexpr std::string_view kHcNoDateName = "NO_DATE";

// The value of a code the data defines, by the name a spec writes (NO_DATE), or nullopt.
std::optional<double> homecredit_code(std::string_view name);

// How far past the largest magnitude of the real rows a value may go: the profile holds a
// sample of the rows (the full data's largest income is ~50 times the sample's), so the bound
// is generous, yet far below what the float features can hold (1e39 overflows them).
inline constexpr double kHcSeenMagnitudeFactor = 1000;

// The values a numeric column accepts.
struct HcValueRange {
  // What the column's meaning allows (an amount is >= 0, DAYS_* count back from the
  // application, a flag is 0 or 1), in words for messages; min/max are +-infinity where the
  // meaning sets no bound.
  double min, max;
  std::optional<double> also_allowed;  // a code outside [min, max] (DAYS_EMPLOYED's kHcNoDate)
  bool whole = false;                  // whole numbers only (0/1 flags stored as decimals)
  std::string expected;                // "an amount >= 0"
  // What the data knows: the real rows' smallest and largest value (the profile's), and the
  // bound no value may pass, kHcSeenMagnitudeFactor times their largest magnitude (at least 1).
  double seen_min, seen_max;
  double magnitude_bound;

  // True if `value` (finite) is within both the meaning's range and the data's bound.
  bool meaning_allows(double value) const {
    return (value >= min && value <= max) || (also_allowed && value == *also_allowed);
  }
  bool data_allows(double value) const { return value >= -magnitude_bound && value <= magnitude_bound; }
  // "from -1.6e+07 to 0 (the real rows hold -16429 to 365243)": the words for data_allows.
  std::string data_words() const;
};

// The range of a numeric column of `table` (the application files share theirs), or nullptr
// for a text column or an unknown one. Built once from the profile; immutable.
const HcValueRange* homecredit_range(HcTable table, std::string_view column);

// The text levels the data knows for a column of the application files (the profile's levels
// of both files and the full data's rare levels the profile's sample missed), or nullptr for a
// number column or another table. History tables have none: their profile is a sample of 0.1%
// to 2% of the rows, whose levels are known to be incomplete.
const std::vector<std::string>* homecredit_application_levels(std::string_view column);

// The levels the profile's real rows of `table` hold for a text column, most frequent first, or
// nullptr: for hints in messages. For a history table a sample, not every level of the data.
const std::vector<std::string>* homecredit_levels_seen(HcTable table, std::string_view column);

// True for the files' codes valid in every text column: XNA "not available", XAP "not applicable".
bool is_homecredit_text_code(std::string_view text);

}  // namespace credo
