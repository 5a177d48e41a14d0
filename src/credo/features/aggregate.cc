// Aggregation kernels. Each pass reads one column sequentially and updates small per-group
// accumulator arrays; all requested kinds of a column share one pass.
#include "credo/features/aggregate.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "credo/base/parallel.h"

namespace credo {

KeyIndex::KeyIndex(std::span<const int64_t> ids) {
  size_ = ids.size();
  if (ids.empty()) return;
  auto [lo, hi] = std::minmax_element(ids.begin(), ids.end());
  uint64_t range = static_cast<uint64_t>(*hi - *lo) + 1;
  if (range <= 4 * ids.size() + 1024) {
    min_ = *lo;
    dense_.assign(range, -1);
    for (size_t i = 0; i < ids.size(); ++i) {
      int32_t& slot = dense_[static_cast<size_t>(ids[i] - min_)];
      if (slot < 0) slot = static_cast<int32_t>(i);
    }
  } else {
    sparse_.reserve(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) sparse_.emplace(ids[i], static_cast<int32_t>(i));
  }
}

namespace {
// Assigns rows to groups in row blocks on several threads: `group_of(r)` gives each row's group;
// each thread counts its rows per group, and the counts are added up.
template <typename GroupOf>
void assign_rows(Grouping& g, size_t rows, int threads, GroupOf group_of) {
  g.group_of_row.resize(rows);
  size_t blocks = rows < (1u << 16) ? 1 : static_cast<size_t>(threads > 0 ? threads : default_thread_count());
  std::vector<std::vector<uint32_t>> counts(blocks, std::vector<uint32_t>(g.groups, 0));
  std::vector<size_t> ignored(blocks, 0);
  parallel_for(blocks, static_cast<int>(blocks), [&](size_t b) {
    size_t r0 = rows * b / blocks, r1 = rows * (b + 1) / blocks;
    auto& count = counts[b];
    for (size_t r = r0; r < r1; ++r) {
      int32_t group = group_of(r);
      g.group_of_row[r] = group;
      if (group < 0) ++ignored[b];
      else ++count[static_cast<size_t>(group)];
    }
  });
  g.rows_per_group = std::move(counts[0]);
  g.ignored_rows = ignored[0];
  for (size_t b = 1; b < blocks; ++b) {
    for (size_t i = 0; i < g.groups; ++i) g.rows_per_group[i] += counts[b][i];
    g.ignored_rows += ignored[b];
  }
}
}  // namespace

Grouping group_rows(std::span<const int64_t> keys, std::span<const uint8_t> missing, const KeyIndex& index,
                    int threads) {
  Grouping g;
  g.groups = index.size();
  assign_rows(g, keys.size(), threads, [&](size_t r) {
    return (!missing.empty() && missing[r]) ? -1 : index.find(keys[r]);
  });
  return g;
}

Grouping filter_grouping(const Grouping& grouping, std::span<const double> keep, int threads) {
  Grouping g;
  g.groups = grouping.groups;
  assign_rows(g, grouping.group_of_row.size(), threads, [&](size_t r) {
    return keep[r] != 0 && !std::isnan(keep[r]) ? grouping.group_of_row[r] : -1;
  });
  g.ignored_rows = 0;  // filtered-out rows are not "ignored": they belong to known groups
  return g;
}

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Needs {
  bool count = false, sum = false, min = false, max = false, var = false, nunique = false;
};

struct Scratch {
  std::vector<uint32_t> count, w_n;
  std::vector<double> sum, lo, hi, w_mean, w_m2;
};

// Sets the first n values of `v` to `value` (growing it if needed) and returns it.
template <typename T>
std::vector<T>& prepare(std::vector<T>& v, size_t n, T value) {
  if (v.size() < n) v.resize(n);
  std::fill(v.begin(), v.begin() + static_cast<ptrdiff_t>(n), value);
  return v;
}
}  // namespace

void aggregate_numeric(const Numbers& values, const Grouping& grouping, std::span<const Aggregation> kinds,
                       std::span<double* const> out) {
  const size_t groups = grouping.groups;
  const auto& group_of = grouping.group_of_row;
  Needs needs;
  for (Aggregation k : kinds) {
    switch (k) {
      case Aggregation::kMin: needs.min = true; break;
      case Aggregation::kMax: needs.max = true; break;
      case Aggregation::kMean: needs.sum = needs.count = true; break;
      case Aggregation::kSum: needs.sum = true; break;
      case Aggregation::kVar: needs.var = true; break;
      case Aggregation::kCount: needs.count = true; break;
      case Aggregation::kNunique: needs.nunique = true; break;
      case Aggregation::kShare: break;  // not numeric: the caller never asks
    }
  }
  const auto& rows = grouping.rows_per_group;
  // Accumulators live in per-thread scratch reused from task to task: allocating them afresh
  // for each of the ~700 aggregations cost page faults and zeroing on top of their own filling.
  thread_local Scratch scratch;
  auto& count = prepare(scratch.count, needs.count ? groups : 0, 0u);
  auto& sum = prepare(scratch.sum, needs.sum ? groups : 0, 0.0);
  auto& lo = prepare(scratch.lo, needs.min ? groups : 0, std::numeric_limits<double>::infinity());
  auto& hi = prepare(scratch.hi, needs.max ? groups : 0, -std::numeric_limits<double>::infinity());
  auto& w_mean = prepare(scratch.w_mean, needs.var ? groups : 0, 0.0);
  auto& w_m2 = prepare(scratch.w_m2, needs.var ? groups : 0, 0.0);
  auto& w_n = prepare(scratch.w_n, needs.var ? groups : 0, 0u);
  for (size_t r = 0; r < values.size; ++r) {
    int32_t g = group_of[r];
    if (g < 0) continue;
    double v = values[r];
    if (std::isnan(v)) continue;
    size_t gi = static_cast<size_t>(g);
    if (needs.count) ++count[gi];
    if (needs.sum) sum[gi] += v;
    if (needs.min) lo[gi] = std::min(lo[gi], v);
    if (needs.max) hi[gi] = std::max(hi[gi], v);
    if (needs.var) {  // Welford's update, stable for large amounts
      uint32_t n = ++w_n[gi];
      double delta = v - w_mean[gi];
      w_mean[gi] += delta / n;
      w_m2[gi] += delta * (v - w_mean[gi]);
    }
  }
  std::vector<uint32_t> distinct;
  if (needs.nunique) {
    // Rows of each group together (counting sort by group), then distinct values per group.
    distinct.assign(groups, 0);
    std::vector<uint32_t> start(groups + 1, 0);
    for (int32_t g : group_of)
      if (g >= 0) ++start[static_cast<size_t>(g) + 1];
    for (size_t g = 0; g < groups; ++g) start[g + 1] += start[g];
    LargeVector<double> sorted(start[groups]);  // every slot is written below
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (size_t r = 0; r < values.size; ++r)
      if (group_of[r] >= 0) sorted[fill[static_cast<size_t>(group_of[r])]++] = values[r];
    for (size_t g = 0; g < groups; ++g) {
      auto first = sorted.begin() + start[g], last = sorted.begin() + start[g + 1];
      last = std::remove_if(first, last, [](double x) { return std::isnan(x); });
      std::sort(first, last);
      distinct[g] = static_cast<uint32_t>(std::unique(first, last) - first);
    }
  }
  for (size_t k = 0; k < kinds.size(); ++k) {
    double* o = out[k];
    for (size_t g = 0; g < groups; ++g) {
      if (rows[g] == 0) {
        o[g] = kNaN;
        continue;
      }
      switch (kinds[k]) {
        case Aggregation::kMin: o[g] = std::isinf(lo[g]) && lo[g] > 0 ? kNaN : lo[g]; break;
        case Aggregation::kMax: o[g] = std::isinf(hi[g]) && hi[g] < 0 ? kNaN : hi[g]; break;
        case Aggregation::kMean: o[g] = count[g] ? sum[g] / count[g] : kNaN; break;
        case Aggregation::kSum: o[g] = sum[g]; break;
        case Aggregation::kVar: o[g] = w_n[g] >= 2 ? w_m2[g] / (w_n[g] - 1) : kNaN; break;
        case Aggregation::kCount: o[g] = count[g]; break;
        case Aggregation::kNunique: o[g] = distinct[g]; break;
        case Aggregation::kShare: o[g] = kNaN; break;
      }
    }
  }
}

void aggregate_shares(std::span<const int32_t> codes, std::span<const int32_t> level_of_code, size_t n_levels,
                      const Grouping& grouping, std::span<double* const> out) {
  const size_t groups = grouping.groups;
  const auto& rows = grouping.rows_per_group;
  for (size_t j = 0; j < n_levels; ++j) std::fill(out[j], out[j] + groups, 0.0);
  for (size_t r = 0; r < codes.size(); ++r) {
    int32_t g = grouping.group_of_row[r];
    if (g < 0) continue;
    int32_t code = codes[r];
    if (code < 0) continue;
    int32_t level = level_of_code[static_cast<size_t>(code)];
    if (level >= 0) out[static_cast<size_t>(level)][g] += 1.0;
  }
  for (size_t j = 0; j < n_levels; ++j)
    for (size_t g = 0; g < groups; ++g) out[j][g] = rows[g] ? out[j][g] / rows[g] : kNaN;
}

void count_rows(const Grouping& grouping, double* out) {
  for (size_t g = 0; g < grouping.groups; ++g)
    out[g] = grouping.rows_per_group[g] ? static_cast<double>(grouping.rows_per_group[g]) : kNaN;
}

}  // namespace credo
