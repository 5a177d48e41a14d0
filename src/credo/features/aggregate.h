// Group-by aggregation over integer keys: the hot loops of feature building.
// Rows are assigned to groups once (a client, a bureau credit) through a KeyIndex; then each
// aggregation is one pass over a column in row order with per-group accumulators. Row order is
// the file's order in batch and the order of the client's rows online, so the two paths add
// the same numbers in the same order and agree to the last bit.
#pragma once

#include <cstdint>
#include <limits>
#include <span>
#include <unordered_map>
#include <vector>

#include "credo/base/large_vector.h"
#include "credo/features/spec.h"

namespace credo {

// Maps ids (SK_ID_CURR, SK_ID_BUREAU...) to dense group numbers 0..n-1 in the order given.
// A flat array over the id range when it is compact (Home Credit ids are), else a hash map.
class KeyIndex {
 public:
  KeyIndex() = default;
  explicit KeyIndex(std::span<const int64_t> ids);
  size_t size() const { return size_; }
  // Group of `id`, or -1 if the id is not one of the keys (or was given twice: first wins).
  int32_t find(int64_t id) const {
    if (!dense_.empty()) {
      uint64_t off = static_cast<uint64_t>(id - min_);
      return off < dense_.size() ? dense_[off] : -1;
    }
    auto it = sparse_.find(id);
    return it == sparse_.end() ? -1 : it->second;
  }

 private:
  size_t size_ = 0;
  int64_t min_ = 0;
  std::vector<int32_t> dense_;
  std::unordered_map<int64_t, int32_t> sparse_;
};

// The group of every row of a table (-1: the row's key is unknown or missing, the row is ignored).
struct Grouping {
  LargeVector<int32_t> group_of_row;     // written row by row: not zeroed first
  std::vector<uint32_t> rows_per_group;  // computed once, shared by every aggregation
  size_t groups = 0;
  size_t ignored_rows = 0;
};

// keys[r] is the row's key; missing[r] (may be empty) marks a missing key.
// Rows are assigned on `threads` threads (0 = all cores).
Grouping group_rows(std::span<const int64_t> keys, std::span<const uint8_t> missing, const KeyIndex& index,
                    int threads = 1);

// Restricts a grouping to the rows where keep[r] != 0 (a filter); the others become -1.
Grouping filter_grouping(const Grouping& grouping, std::span<const double> keep, int threads = 1);

// The numbers of a column without copying it: doubles (NaN = missing) or int64 with optional
// missing flags, read as doubles. Converting a 26M-row int column first cost a fresh 200 MB.
struct Numbers {
  const double* doubles = nullptr;
  const int64_t* ints = nullptr;
  const uint8_t* int_missing = nullptr;
  size_t size = 0;
  double operator[](size_t r) const {
    if (doubles) return doubles[r];
    return int_missing && int_missing[r] ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(ints[r]);
  }
};

// Numeric aggregations of `values` (NaN = missing) per group. out[k] receives aggregation
// kinds[k] for every group (size grouping.groups). Semantics follow pandas' groupby: a group
// without rows gives missing for every aggregation (as a left join does); with rows, sum is 0
// and count and nunique are 0 when every value is missing, mean/min/max are missing, and var
// (ddof = 1) needs two values. kShare is not numeric and not allowed here.
void aggregate_numeric(const Numbers& values, const Grouping& grouping, std::span<const Aggregation> kinds,
                       std::span<double* const> out);

// For a text column: the share of each group's rows (missing values included in the
// denominator) whose level is `levels`[j]. level_of_code maps the column's dictionary codes to
// j (-1: a level not among those fitted, counted in the denominator only). out[j] per level.
void aggregate_shares(std::span<const int32_t> codes, std::span<const int32_t> level_of_code, size_t n_levels,
                      const Grouping& grouping, std::span<double* const> out);

// The number of rows of each group (missing for a group without rows, as pandas' size after a join).
void count_rows(const Grouping& grouping, double* out);

}  // namespace credo
