// Defaulters are about 8% of clients; left alone, a model learns to say "no default" and a fold's
// validation shows it. Three treatments, always applied to a fold's training rows only (never to
// validation or hold-out rows, whose class shares must stay those of real applicants):
//   - class weights: each defaulter weighs n_negative / n_positive, so both classes weigh the same;
//   - random under-sampling: keep every defaulter and a random `ratio` x as many others;
//   - SMOTE: add synthetic defaulters, each on the segment between a defaulter and one of its k
//     nearest defaulter neighbours (distances on standardised features).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credo/base/status.h"
#include "credo/train/xgboost_adapter.h"

namespace credo::train {

enum class Imbalance { kNone, kClassWeights, kUndersample, kSmote };

const char* imbalance_name(Imbalance method);  // "none", "class_weights", "undersample", "smote"
StatusOr<Imbalance> parse_imbalance(std::string_view name);

struct ImbalanceOptions {
  double undersample_ratio = 1.0;  // negatives kept per positive
  int smote_neighbours = 5;
  double smote_target_share = 0.5; // positives grown to this share of the negatives
  uint64_t seed = 42;
  int threads = 0;
};

// The rows one model trains on after the treatment.
struct TrainingRows {
  std::vector<int32_t> rows;       // rows of the data kept, in increasing order
  std::vector<uint8_t> labels;     // labels of `rows`, then of the synthetic rows
  std::vector<float> weights;      // one per row (rows then synthetic); empty: all 1
  std::vector<float> synthetic;    // SMOTE's new rows, row-major, data.cols values each
  size_t synthetic_rows() const { return labels.size() - rows.size(); }
};

// Applies `method` to `rows` of `data` (their labels in `labels`, same order).
StatusOr<TrainingRows> treat_imbalance(Imbalance method, DenseRows data, std::span<const int32_t> rows,
                                       std::span<const uint8_t> labels, const ImbalanceOptions& options);

}  // namespace credo::train
