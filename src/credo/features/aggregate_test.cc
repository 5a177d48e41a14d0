// Pins the aggregation kernels against a brute-force reference on random data: every kind, int
// and double columns with missing values, groups without rows, and the multi-threaded grouping.
#include "credo/features/aggregate.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <set>

#include "credo/base/random.h"

namespace credo {
namespace {

TEST(AggregateTest, MatchesBruteForceForEveryKind) {
  const size_t rows = 100000, groups = 700;
  Rng rng(11);
  std::vector<int64_t> ids(groups), keys(rows), ints(rows);
  std::vector<uint8_t> key_missing(rows, 0), int_missing(rows, 0);
  std::vector<double> doubles(rows);
  for (size_t g = 0; g < groups; ++g) ids[g] = 100002 + static_cast<int64_t>(g);
  for (size_t r = 0; r < rows; ++r) {
    keys[r] = 100002 + static_cast<int64_t>(rng.below(groups - 50));  // the last 50 groups get no row
    if (r % 97 == 0) keys[r] = 5;                                    // unknown key: ignored
    key_missing[r] = r % 101 == 0;
    ints[r] = static_cast<int64_t>(rng.below(20)) - 10;
    int_missing[r] = rng.bernoulli(0.1);
    doubles[r] = rng.bernoulli(0.1) ? NAN : rng.normal(1000, 300);
  }
  KeyIndex index(ids);
  Grouping one = group_rows(keys, key_missing, index, 1);
  Grouping two = group_rows(keys, key_missing, index, 2);
  EXPECT_EQ(one.group_of_row, two.group_of_row);
  EXPECT_EQ(one.rows_per_group, two.rows_per_group);
  EXPECT_EQ(one.ignored_rows, two.ignored_rows);
  EXPECT_GT(one.ignored_rows, 1000u);

  const std::vector<Aggregation> kinds = {Aggregation::kMin, Aggregation::kMax, Aggregation::kMean,
                                          Aggregation::kSum, Aggregation::kVar, Aggregation::kCount,
                                          Aggregation::kNunique};
  for (bool use_ints : {true, false}) {
    Numbers numbers;
    numbers.size = rows;
    if (use_ints) {
      numbers.ints = ints.data();
      numbers.int_missing = int_missing.data();
    } else {
      numbers.doubles = doubles.data();
    }
    std::vector<std::vector<double>> out(kinds.size(), std::vector<double>(groups));
    std::vector<double*> ptrs;
    for (auto& o : out) ptrs.push_back(o.data());
    aggregate_numeric(numbers, two, kinds, ptrs);
    // Reference, group by group.
    std::map<int32_t, std::vector<double>> values;
    std::map<int32_t, size_t> group_rows_count;
    for (size_t r = 0; r < rows; ++r) {
      int32_t g = one.group_of_row[r];
      if (g < 0) continue;
      ++group_rows_count[g];
      if (!std::isnan(numbers[r])) values[g].push_back(numbers[r]);
    }
    for (size_t g = 0; g < groups; ++g) {
      SCOPED_TRACE(std::to_string(g) + (use_ints ? " ints" : " doubles"));
      if (!group_rows_count.count(static_cast<int32_t>(g))) {
        for (auto& o : out) EXPECT_TRUE(std::isnan(o[g]));
        continue;
      }
      const auto& v = values[static_cast<int32_t>(g)];
      double sum = 0, lo = INFINITY, hi = -INFINITY;
      for (double x : v) { sum += x; lo = std::min(lo, x); hi = std::max(hi, x); }
      double mean = sum / v.size(), ss = 0;
      for (double x : v) ss += (x - mean) * (x - mean);
      EXPECT_EQ(out[0][g], lo);
      EXPECT_EQ(out[1][g], hi);
      EXPECT_NEAR(out[2][g], mean, 1e-9 * std::fabs(mean) + 1e-12);
      EXPECT_EQ(out[3][g], sum);  // same order, same sum
      EXPECT_NEAR(out[4][g], ss / (v.size() - 1), 1e-9 * ss / (v.size() - 1));
      EXPECT_EQ(out[5][g], static_cast<double>(v.size()));
      EXPECT_EQ(out[6][g], static_cast<double>(std::set<double>(v.begin(), v.end()).size()));
    }
  }
  // Filters keep groups with rows but no passing row as groups without rows.
  std::vector<double> keep(rows, 0.0);
  Grouping none = filter_grouping(two, keep, 2);
  std::vector<double> count(groups);
  count_rows(none, count.data());
  for (double c : count) EXPECT_TRUE(std::isnan(c));
}

}  // namespace
}  // namespace credo
