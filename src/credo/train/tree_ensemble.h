// credo's own evaluation of a trained XGBoost tree ensemble, for scoring and explaining one
// application at a time: XGBoost's per-call overhead (20-80 us per single-row prediction) and its
// TreeSHAP (~2 ms per row for 300 trees over 800 features) are too slow for the scoring service.
// The trees are read once from the booster XGBoost saves; margins and exact TreeSHAP contributions
// then need no call into XGBoost and equal its own (checked in tree_ensemble_test.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "credo/base/status.h"
#include "credo/train/xgboost_adapter.h"

namespace credo::train {

class TreeEnsemble {
 public:
  // The trees of `model` up to its best round (model.best_iteration(), all num_parallel_tree trees
  // of each round), as XgbModel::predict_margin and XgbModel::contributions use them.
  static StatusOr<TreeEnsemble> from_xgboost(const XgbModel& model);
  // The same from the bytes XGBoost saves (JSON text or UBJSON, as XgbModel::save gives and the
  // model bundle keeps), up to 0-based round `best_iteration`. Bytes that are not an XGBoost model,
  // a booster other than gbtree (gblinear, dart), categorical splits, more than one output (multi-
  // class) or an objective whose base_score transform is unknown are an error.
  static StatusOr<TreeEnsemble> from_xgboost_bytes(std::span<const char> bytes, int best_iteration);

  // The margin (log-odds for binary:logistic) of one row of num_features() floats, NaN = missing.
  double margin(const float* row) const;
  // Exact TreeSHAP contributions (Lundberg, Erion & Lee 2018, as XGBoost computes them) of one row:
  // writes num_features() + 1 values to `out`, the bias (the expected margin) last; they sum to
  // margin(row). Allocates nothing for trees up to depth 12; safe to call from many threads.
  void contributions(const float* row, double* out) const;

  size_t num_features() const { return num_features_; }
  size_t num_trees() const { return tree_roots_.size(); }
  // XGBoost's base_score as a margin (logit(base_score) for the logistic objectives; 0 for the
  // default 0.5): the start of every margin.
  double base_margin() const { return base_margin_; }

 private:
  // One node of the flattened trees. 16 bytes, so four share a cache line and a node never
  // straddles two: the margin of a row is a chain of dependent loads (node -> feature value ->
  // child), so what matters is that the whole ensemble (300 trees of depth 6: up to 600 KB) stays
  // in L2 and each step touches one line. Siblings are adjacent, so one child index serves both.
  struct Node {
    float threshold;        // a split sends x < threshold left; for a leaf, the leaf's value
    uint32_t feature;       // the column a split reads
    uint32_t left;          // index of the left child in nodes_ (the right one is left + 1); 0 for a leaf
    uint32_t default_left;  // 1 if a missing (NaN) value goes left, 0 if right
  };
  // The ratios of small integers TreeSHAP scales its path weights by, for a path whose newest
  // element is at index d and an element i of it: a multiplication is several times cheaper than
  // a division. path_ratios_[(kind * stride + d) * stride + i], stride = max_depth_ + 2.
  enum PathRatio {
    kExtendOne,     // (i + 1) / (d + 1)
    kExtendZero,    // (d - i) / (d + 1)
    kUnwoundOne,    // (d + 1) / (i + 1)
    kUnwoundDecay,  // (d - i) / (i + 1)
    kUnwoundZero,   // (d + 1) / (d - i), i < d
    kPathRatioKinds
  };
  static constexpr size_t kMarginLanes = 8;  // trees margin() walks at once

  static uint32_t next_node(const Node& node, const float* row);

  // The trees' nodes, each tree's root first, trees one after the other. Data only TreeSHAP reads
  // (the fraction of training cover) lives in a separate array, so margins do not load it.
  std::vector<Node> nodes_;
  std::vector<uint32_t> tree_roots_;
  // For each node, its cover (XGBoost's sum_hessian) over its parent's: the share of "all rows"
  // that take this branch, TreeSHAP's zero fraction. 1 for roots.
  std::vector<double> cover_fraction_;
  std::vector<double> path_ratios_;
  size_t path_ratio_stride_ = 0;
  // For each kMarginLanes trees in order, the depth of the deepest: the steps margin() takes.
  std::vector<int> group_depth_;
  size_t num_features_ = 0;
  int max_depth_ = 0;  // edges from root to the deepest leaf, over all trees
  double base_margin_ = 0;
  double expected_margin_ = 0;  // base_margin_ + each tree's cover-weighted mean leaf value: the bias

  friend class TreeEnsembleBuilder;
  friend class TreeShapWalk;
};

}  // namespace credo::train
