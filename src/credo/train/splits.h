// How the training clients are divided: a stratified hold-out test set put aside before
// anything else and used once at the end, and stratified K folds on the rest for
// cross-validation. Stratified: each part keeps the share of defaulters (~8%), so no fold is
// short of the rare class. Depends only on the labels and the seed.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "credo/base/status.h"
#include "credo/features/feature_matrix.h"

namespace credo::train {

// The clients of a feature matrix with a known TARGET (application_train), by matrix row.
struct LabelledRows {
  std::vector<int32_t> rows;    // rows of the matrix
  std::vector<uint8_t> labels;  // their TARGET, 0 or 1
};

// The labelled rows; an error naming the file when there are none (a features file built
// without application_train, or one class missing).
StatusOr<LabelledRows> labelled_rows(const FeatureMatrix& matrix, const std::string& source_name);

// The rows and labels at `positions` of `from` (e.g. a split's training part).
LabelledRows labelled_subset(const LabelledRows& from, std::span<const int32_t> positions);

struct Split {
  std::vector<int32_t> train;  // positions into the labels given to the split function
  std::vector<int32_t> test;
};

// A stratified hold-out: about `test_fraction` of each class goes to `test`. Both sorted.
Split stratified_holdout(std::span<const uint8_t> labels, double test_fraction, uint64_t seed);

// K stratified folds over `labels`: fold k's `test` is its validation part, `train` the rest.
// Every position is in exactly one validation part. Both lists sorted.
std::vector<Split> stratified_kfold(std::span<const uint8_t> labels, int k, uint64_t seed);

}  // namespace credo::train
