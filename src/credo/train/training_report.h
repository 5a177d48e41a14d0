// The pictures and tables a person reads after training, saved as artifacts of the run:
// the leaderboard (table and chart), the cost curve against the threshold, the ROC curves,
// global importance (mean |SHAP| on hold-out clients, and gain for trees) and a few clients'
// explanations; and index.html, the page that shows them all with the figures in words.
#pragma once

#include <filesystem>
#include <span>

#include "credo/base/status.h"
#include "credo/features/feature_matrix.h"
#include "credo/train/trainer.h"

namespace credo::train {

// `train_part` holds the labels of the chosen model's out-of-fold scores.
Status write_training_report(const TrainResult& result, const ScoringModel& model, const FeatureMatrix& matrix,
                             const LabelledRows& train_part, std::span<const int32_t> test_rows, std::span<const uint8_t> test_labels,
                             std::span<const float> test_scores, const TrainConfig& config,
                             const std::filesystem::path& dir);

}  // namespace credo::train
