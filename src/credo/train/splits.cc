// Stratified splits: each class shuffled with credo's own generator and dealt out in turn.
#include "credo/train/splits.h"

#include <algorithm>

#include "credo/base/random.h"

namespace credo::train {
namespace {

// Positions of each class, each list shuffled (Fisher-Yates with a fully specified generator).
std::vector<std::vector<int32_t>> shuffled_classes(std::span<const uint8_t> labels, uint64_t seed) {
  std::vector<std::vector<int32_t>> classes(2);
  for (size_t i = 0; i < labels.size(); ++i) classes[labels[i] ? 1 : 0].push_back(static_cast<int32_t>(i));
  for (size_t c = 0; c < 2; ++c) {
    Rng rng(seed, c);
    auto& v = classes[c];
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[rng.below(i)]);
  }
  return classes;
}

}  // namespace

StatusOr<LabelledRows> labelled_rows(const FeatureMatrix& matrix, const std::string& source_name) {
  LabelledRows out;
  size_t positives = 0;
  for (size_t r = 0; r < matrix.num_rows(); ++r) {
    int target = matrix.target(r);
    if (target != 0 && target != 1) continue;
    out.rows.push_back(static_cast<int32_t>(r));
    out.labels.push_back(static_cast<uint8_t>(target));
    positives += static_cast<size_t>(target);
  }
  if (out.rows.empty())
    return Status::InvalidArgument(source_name +
                                   ": no client has a TARGET (was it built without application_train.csv?)");
  if (positives == 0 || positives == out.rows.size())
    return Status::InvalidArgument(source_name + ": TARGET has a single class (" + std::to_string(positives) +
                                   " defaults in " + std::to_string(out.rows.size()) + " clients); nothing to learn");
  return out;
}

LabelledRows labelled_subset(const LabelledRows& from, std::span<const int32_t> positions) {
  LabelledRows out;
  out.rows.reserve(positions.size());
  out.labels.reserve(positions.size());
  for (int32_t p : positions) {
    out.rows.push_back(from.rows[static_cast<size_t>(p)]);
    out.labels.push_back(from.labels[static_cast<size_t>(p)]);
  }
  return out;
}

Split stratified_holdout(std::span<const uint8_t> labels, double test_fraction, uint64_t seed) {
  Split split;
  for (const auto& members : shuffled_classes(labels, seed)) {
    size_t test = static_cast<size_t>(static_cast<double>(members.size()) * test_fraction + 0.5);
    split.test.insert(split.test.end(), members.begin(), members.begin() + static_cast<std::ptrdiff_t>(test));
    split.train.insert(split.train.end(), members.begin() + static_cast<std::ptrdiff_t>(test), members.end());
  }
  std::sort(split.train.begin(), split.train.end());
  std::sort(split.test.begin(), split.test.end());
  return split;
}

std::vector<Split> stratified_kfold(std::span<const uint8_t> labels, int k, uint64_t seed) {
  size_t folds = static_cast<size_t>(std::max(2, k));
  std::vector<std::vector<int32_t>> fold_of(folds);
  for (const auto& members : shuffled_classes(labels, seed ^ 0x5eedf01dULL))
    for (size_t i = 0; i < members.size(); ++i) fold_of[i % folds].push_back(members[i]);
  std::vector<Split> splits(folds);
  for (size_t f = 0; f < folds; ++f) {
    splits[f].test = fold_of[f];
    std::sort(splits[f].test.begin(), splits[f].test.end());
    for (size_t g = 0; g < folds; ++g)
      if (g != f) splits[f].train.insert(splits[f].train.end(), fold_of[g].begin(), fold_of[g].end());
    std::sort(splits[f].train.begin(), splits[f].train.end());
  }
  return splits;
}

}  // namespace credo::train
