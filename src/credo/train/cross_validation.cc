// Cross-validation of one candidate. The fold's validation rows are touched only to be predicted.
#include "credo/train/cross_validation.h"

#include <chrono>
#include <cmath>

#include "credo/base/auc.h"
#include "credo/base/clock.h"

namespace credo::train {
std::pair<double, double> fold_mean_sd(const std::vector<BinaryMetrics>& folds, double BinaryMetrics::*metric) {
  if (folds.empty()) return {0, 0};
  double mean = 0, sq = 0;
  for (const BinaryMetrics& m : folds) mean += m.*metric;
  mean /= static_cast<double>(folds.size());
  for (const BinaryMetrics& m : folds) sq += (m.*metric - mean) * (m.*metric - mean);
  return {mean, folds.size() > 1 ? std::sqrt(sq / static_cast<double>(folds.size() - 1)) : 0};
}

StatusOr<CvResult> cross_validate(const Candidate& candidate, DenseRows data, std::span<const int32_t> rows,
                                  std::span<const uint8_t> labels, const std::vector<Split>& folds,
                                  const CvOptions& options) {
  CvResult result;
  result.out_of_fold.assign(labels.size(), NAN);
  std::vector<std::vector<int32_t>> fold_positions;
  for (size_t f = 0; f < folds.size(); ++f) {
    if (options.deadline && std::chrono::steady_clock::now() > *options.deadline)
      return Status::FailedPrecondition("the time budget ran out during cross-validation");
    if (options.on_fold_start) options.on_fold_start(f, folds.size());
    const Split& fold = folds[f];
    uint64_t fold_seed = options.seed + 1000003ULL * (f + 1);
    // Positions of the fold's training part -> matrix rows, labels; early-stopping rows set aside.
    std::vector<int32_t> fit_positions = fold.train, stop_positions;
    if (candidate.algorithm->uses_early_stopping() && options.early_stopping_share > 0) {
      std::vector<uint8_t> part_labels;
      for (int32_t p : fold.train) part_labels.push_back(labels[static_cast<size_t>(p)]);
      Split inner = stratified_holdout(part_labels, options.early_stopping_share, fold_seed);
      fit_positions.clear();
      for (int32_t i : inner.train) fit_positions.push_back(fold.train[static_cast<size_t>(i)]);
      for (int32_t i : inner.test) stop_positions.push_back(fold.train[static_cast<size_t>(i)]);
    }
    auto to_rows = [&](const std::vector<int32_t>& positions, std::vector<int32_t>& out_rows, std::vector<uint8_t>& out_labels) {
      for (int32_t p : positions) {
        out_rows.push_back(rows[static_cast<size_t>(p)]);
        out_labels.push_back(labels[static_cast<size_t>(p)]);
      }
    };
    std::vector<int32_t> fit_rows, stop_rows, valid_rows;
    std::vector<uint8_t> fit_labels, stop_labels, valid_labels;
    to_rows(fit_positions, fit_rows, fit_labels);
    to_rows(stop_positions, stop_rows, stop_labels);
    to_rows(fold.test, valid_rows, valid_labels);

    ImbalanceOptions imbalance = options.imbalance;
    imbalance.seed = fold_seed;
    imbalance.threads = options.threads;
    CREDO_ASSIGN_OR_RETURN(TrainingRows train,
                           treat_imbalance(candidate.imbalance, data, fit_rows, fit_labels, imbalance));
    FitData fit{data, &train, stop_rows, stop_labels, fold_seed, options.threads};
    auto start = std::chrono::steady_clock::now();
    CREDO_ASSIGN_OR_RETURN(std::unique_ptr<ScoringModel> model, candidate.algorithm->fit(fit, candidate.params));
    result.fit_seconds += seconds_since(start);

    start = std::chrono::steady_clock::now();
    std::vector<float> valid_block = gather_rows(data, valid_rows);
    CREDO_ASSIGN_OR_RETURN(std::vector<float> predicted, model->predict({valid_block.data(), valid_rows.size(), data.cols}));
    result.predict_seconds += seconds_since(start);
    for (size_t i = 0; i < fold.test.size(); ++i) result.out_of_fold[static_cast<size_t>(fold.test[i])] = predicted[i];
    fold_positions.push_back(fold.test);

    // The train side of the train/validation gap, on an evenly spaced sample of the fit rows.
    size_t step = std::max<size_t>(1, fit_rows.size() / std::max<size_t>(1, options.train_auc_sample));
    std::vector<int32_t> sample_rows;
    std::vector<uint8_t> sample_labels;
    for (size_t i = 0; i < fit_rows.size(); i += step) {
      sample_rows.push_back(fit_rows[i]);
      sample_labels.push_back(fit_labels[i]);
    }
    std::vector<float> sample_block = gather_rows(data, sample_rows);
    CREDO_ASSIGN_OR_RETURN(std::vector<float> train_scores, model->predict({sample_block.data(), sample_rows.size(), data.cols}));
    result.fold_train_auc.push_back(roc_auc(std::vector<double>(train_scores.begin(), train_scores.end()), sample_labels));
    for (const auto& [key, value] : model->fit_facts()) result.facts[key] += value / static_cast<double>(folds.size());
  }
  result.scan = scan_thresholds(result.out_of_fold, labels, options.cost);
  result.metrics = evaluate(result.out_of_fold, labels, result.scan.best_threshold, options.cost);
  for (const std::vector<int32_t>& positions : fold_positions) {
    std::vector<float> scores;
    std::vector<uint8_t> fold_labels;
    for (int32_t p : positions) {
      scores.push_back(result.out_of_fold[static_cast<size_t>(p)]);
      fold_labels.push_back(labels[static_cast<size_t>(p)]);
    }
    result.fold_metrics.push_back(evaluate(scores, fold_labels, result.scan.best_threshold, options.cost));
  }
  return result;
}

}  // namespace credo::train
