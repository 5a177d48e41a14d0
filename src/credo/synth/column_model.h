// Marginal models of the Home Credit columns, read from the embedded profile of real rows:
// one ColumnModel per column (missing rate, inverse CDF through the profile's quantiles,
// special values such as 365243, category shares) and one TableModel per file (the columns
// in file order plus the groups of columns that are missing together).
// Generators draw every column from here first, then override the ones that need structure.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "credo/base/random.h"
#include "credo/data/homecredit.h"

namespace credo::synth {

// Values are carried as doubles: numbers as themselves, categories as the level's index,
// missing as NaN. One representation lets the generic draw and the overrides share a row.
inline constexpr double kMissing = NAN;
inline bool is_missing(double v) { return std::isnan(v); }

// Inverse of the standard normal CDF, and the CDF itself (for the Gaussian copula).
double normal_quantile(double p);
double normal_cdf(double x);

struct ColumnModel {
  std::string name;
  ColumnType type = ColumnType::kDouble;
  double missing_rate = 0;
  int decimals = -1;  // float formatting (see append_float)

  // Numeric: quantile knots of the non-special values (probability -> value).
  std::vector<double> knot_p, knot_v;
  double special_value = 0, special_share = 0;  // share of the non-missing values
  // Small discrete columns: exact value frequencies (cumulative).
  std::vector<double> discrete_values, discrete_cum;

  // Categorical: levels by decreasing share, as written in a CSV field, and cumulative shares.
  std::vector<std::string> levels;
  std::vector<std::string> level_fields;
  std::vector<double> level_cum;

  // Inverse CDF of the non-special numeric values at u in [0, 1).
  double quantile(double u) const;
  // A value for the copula uniform u: a special value for the top `special_share` of u,
  // a discrete value if the column is discrete, else quantile(u). Categorical: a level index.
  double value_at(double u) const;
  // Index of the level called `level`, or -1.
  int level_index(std::string_view level) const;
  // A level drawn among those for which keep[i] is true, with the profile's relative shares.
  int level_among(double u, const std::vector<uint8_t>& keep) const;
};

struct TableModel {
  HcTable table;
  std::vector<ColumnModel> columns;
  // Missingness plan: a column is missing if its block (loose group) is missing, else if its
  // group (strict) is missing, else by its own draw; each probability is conditional so the
  // overall missing rate equals the profile's.
  struct Group {
    std::vector<int> columns;
    double rate = 0;  // conditional probability used for the draw
    int block = -1;   // loose group containing it, or -1
  };
  std::vector<Group> blocks, groups;
  std::vector<int> block_of, group_of;  // per column, -1 if none
  std::vector<double> own_rate;         // per column conditional own missing rate

  int index_of(std::string_view name) const;  // -1 if absent
  // index_of that treats an absent column as a programming error.
  int at(std::string_view name) const;
  // Draws the missing flags of every column (1 = missing) into `missing`.
  void draw_missing(Rng& rng, std::vector<uint8_t>& missing) const;
};

// The model of a file from the embedded profile (built once, immutable).
const TableModel& table_model(HcTable table);

}  // namespace credo::synth
