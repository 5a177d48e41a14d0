// Leaderboard, cost curve, importance and client explanations as SVG charts and CSV tables.
#include "credo/train/training_report.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "credo/base/atomic_file.h"
#include "credo/train/decision.h"
#include "credo/base/text_table.h"
#include "credo/data/csv_writer.h"
#include "credo/report/svg_chart.h"
#include "credo/train/training_page.h"

namespace credo::train {
namespace fs = std::filesystem;

namespace {

Status write(const fs::path& path, const std::string& text) { return write_file_atomically(path.string(), text); }

std::string csv_text(std::string_view text) {
  std::string out;
  append_csv_text(out, text);
  return out;
}

// A chart series of (x(point), y(point)) for each point.
template <typename Point, typename X, typename Y>
report::LineSeries line_series(std::string name, const std::vector<Point>& points, X x, Y y) {
  report::LineSeries series{std::move(name), {}, {}};
  for (const Point& p : points) {
    series.x.push_back(x(p));
    series.y.push_back(y(p));
  }
  return series;
}

Status leaderboard(const TrainResult& result, const fs::path& dir) {
  std::string csv = "algorithm,imbalance,business_cost,business_cost_sd,auc,auc_sd,accuracy,threshold,run_id\n";
  report::BarChart chart;
  chart.title = "Cross-validated business cost per client (lower is better)";
  chart.value_label = "cost per client";
  for (const LeaderboardEntry& e : result.leaderboard) {
    auto [cost_mean, cost_sd] = fold_mean_sd(e.cv.fold_metrics, &BinaryMetrics::cost);
    auto [auc_mean, auc_sd] = fold_mean_sd(e.cv.fold_metrics, &BinaryMetrics::auc);
    (void)cost_mean;
    (void)auc_mean;
    csv += csv_text(e.candidate.algorithm->name()) + "," + imbalance_name(e.candidate.imbalance) + "," +
           format_number(e.cv.metrics.cost) + "," + format_number(cost_sd) + "," + format_number(e.cv.metrics.auc) + "," +
           format_number(auc_sd) + "," + format_number(e.cv.metrics.accuracy) + "," +
           format_number(e.cv.metrics.threshold) + "," + e.run_id + "\n";
    chart.bars.push_back({e.candidate.algorithm->name() + " (" + imbalance_name(e.candidate.imbalance) + ")",
                          e.cv.metrics.cost, cost_sd, &e == &result.leaderboard.front()});
  }
  CREDO_RETURN_IF_ERROR(write(dir / "leaderboard.csv", csv));
  return write(dir / "leaderboard.svg", report::render_svg(chart));
}

Status cost_curve(const TrainResult& result, std::span<const uint8_t> test_labels, std::span<const float> test_scores,
                  const TrainConfig& config, const fs::path& dir) {
  report::LineChart chart;
  chart.title = "Business cost per client against the decision threshold (" + result.chosen.candidate.algorithm->name() + ")";
  chart.x_label = "threshold: refuse when the probability of default is at least this";
  chart.y_label = "cost per client";
  auto threshold = [](const ThresholdPoint& p) { return std::min(1.0, p.threshold); };
  auto cost = [](const ThresholdPoint& p) { return p.cost_per_client; };
  report::LineSeries cv = line_series("cross-validation (out of fold)", result.chosen.cv.scan.curve, threshold, cost);
  report::LineSeries holdout =
      line_series("hold-out", scan_thresholds(test_scores, test_labels, config.cost).curve, threshold, cost);
  chart.series = {cv, holdout};
  chart.marker_x = result.chosen.cv.scan.best_threshold;
  chart.marker_label = "threshold " + format_number(result.chosen.cv.scan.best_threshold);
  return write(dir / "cost_curve.svg", report::render_svg(chart));
}

// ROC curves of the chosen model (out of fold and hold-out), chance, and on generated data the
// true probabilities (the best any model could do).
Status roc(const TrainResult& result, std::span<const uint8_t> test_labels, std::span<const float> test_scores,
           const LabelledRows& train_part, const fs::path& dir) {
  report::LineChart chart;
  chart.title = "ROC curve of the chosen model (" + result.chosen.candidate.algorithm->name() + ")";
  chart.x_label = "share of good clients refused (false positive rate)";
  chart.y_label = "share of defaulters refused";
  auto series = [](std::string name, const std::vector<RocPoint>& points) {
    return line_series(std::move(name), points, [](const RocPoint& p) { return p.false_positive_rate; },
                       [](const RocPoint& p) { return p.true_positive_rate; });
  };
  chart.series.push_back(series("cross-validation, AUC " + format_number(result.chosen.cv.metrics.auc),
                                roc_curve(result.chosen.cv.out_of_fold, train_part.labels)));
  chart.series.push_back(series("hold-out, AUC " + format_number(result.holdout.auc), roc_curve(test_scores, test_labels)));
  if (result.truth)
    chart.series.push_back(series("true probabilities (generator), AUC " + format_number(result.truth->bayes_auc),
                                  result.truth->roc));
  chart.series.push_back(series("chance", {{0, 0}, {1, 1}}));
  return write(dir / "roc.svg", report::render_svg(chart));
}

Status importance_and_explanations(const TrainResult& result, const ScoringModel& model, const FeatureMatrix& matrix,
                                   std::span<const int32_t> test_rows, std::span<const float> test_scores,
                                   const TrainConfig& config, const fs::path& dir,
                                   std::vector<ImportantFeature>& important, std::vector<ExplainedClient>& explained) {
  size_t cols = matrix.num_features();
  // An evenly spaced sample of hold-out clients (exact SHAP costs time on big forests).
  size_t step = std::max<size_t>(1, test_rows.size() / 2000);
  std::vector<size_t> sample;
  for (size_t i = 0; i < test_rows.size(); i += step) sample.push_back(i);
  std::vector<int32_t> sample_rows;
  for (size_t i : sample) sample_rows.push_back(test_rows[i]);
  std::vector<float> block = gather_rows({matrix.values().data(), matrix.num_rows(), cols}, sample_rows);
  CREDO_ASSIGN_OR_RETURN(std::vector<float> phi, model.contributions({block.data(), sample.size(), cols}));
  std::vector<double> mean_abs(cols, 0.0);
  for (size_t i = 0; i < sample.size(); ++i)
    for (size_t c = 0; c < cols; ++c) mean_abs[c] += std::abs(phi[i * (cols + 1) + c]) / static_cast<double>(sample.size());
  std::vector<double> native = model.native_importance(cols);
  std::vector<size_t> order(cols);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return mean_abs[a] > mean_abs[b]; });
  std::string csv = "feature,mean_abs_shap,native_importance,description\n";
  report::BarChart chart;
  chart.title = "What weighs most in the decisions: mean |SHAP value| on hold-out clients (log-odds)";
  chart.value_label = "mean |contribution| to the log-odds of default";
  for (size_t rank = 0; rank < cols; ++rank) {
    size_t c = order[rank];
    const FeatureInfo& f = matrix.features()[c];
    csv += csv_text(f.name) + "," + format_number(mean_abs[c]) + "," +
           (native.empty() ? std::string() : format_number(native[c])) + "," + csv_text(f.description) + "\n";
    if (rank < 25) chart.bars.push_back({f.name, mean_abs[c], std::nullopt, false});
    important.push_back({f.name, f.description, mean_abs[c]});
  }
  CREDO_RETURN_IF_ERROR(write(dir / "importance.csv", csv));
  CREDO_RETURN_IF_ERROR(write(dir / "importance.svg", report::render_svg(chart)));

  // Example clients: the riskiest, the safest, and those closest to the threshold.
  std::vector<size_t> by_score(sample.size());
  std::iota(by_score.begin(), by_score.end(), 0);
  std::sort(by_score.begin(), by_score.end(), [&](size_t a, size_t b) {
    return test_scores[sample[a]] > test_scores[sample[b]];
  });
  double threshold = result.chosen.cv.scan.best_threshold;
  std::vector<size_t> examples;
  if (!by_score.empty()) {
    examples.push_back(by_score.front());
    examples.push_back(by_score.back());
    std::vector<size_t> near = by_score;
    std::sort(near.begin(), near.end(), [&](size_t a, size_t b) {
      return std::abs(test_scores[sample[a]] - threshold) < std::abs(test_scores[sample[b]] - threshold);
    });
    for (size_t i = 0; i < near.size() && examples.size() < static_cast<size_t>(std::max(0, config.explained_clients)); ++i)
      if (std::find(examples.begin(), examples.end(), near[i]) == examples.end()) examples.push_back(near[i]);
  }
  fs::create_directories(dir / "clients");
  for (size_t e : examples) {
    size_t row = static_cast<size_t>(test_rows[sample[e]]);
    float p = test_scores[sample[e]];
    const float* contributions = phi.data() + e * (cols + 1);
    std::vector<size_t> top(cols);
    std::iota(top.begin(), top.end(), 0);
    std::stable_sort(top.begin(), top.end(),
                     [&](size_t a, size_t b) { return std::abs(contributions[a]) > std::abs(contributions[b]); });
    report::BarChart chart;
    chart.title = "Client " + std::to_string(matrix.id(row)) + ": P(default) " + format_number(p) +
                  (refuses(p, threshold) ? " >= " : " < ") + format_number(threshold) + ", " +
                  decide(p, threshold).word;
    chart.value_label = "contribution to the log-odds of default (base value " + format_number(contributions[cols]) + ")";
    chart.positive_label = "toward refusal";
    chart.negative_label = "toward acceptance";
    for (size_t i = 0; i < std::min<size_t>(12, cols); ++i) {
      const FeatureInfo& f = matrix.features()[top[i]];
      float value = matrix.value(row, top[i]);
      chart.bars.push_back({f.name + " = " + (std::isnan(value) ? std::string("missing") : format_number(value)),
                            contributions[top[i]], std::nullopt, false});
    }
    std::string file = "clients/client_" + std::to_string(matrix.id(row)) + ".svg";
    CREDO_RETURN_IF_ERROR(write(dir / file, report::render_svg(chart)));
    explained.push_back({matrix.id(row), p, file});
  }
  return Status::Ok();
}

}  // namespace

Status write_training_report(const TrainResult& result, const ScoringModel& model, const FeatureMatrix& matrix,
                             const LabelledRows& train_part, std::span<const int32_t> test_rows,
                             std::span<const uint8_t> test_labels, std::span<const float> test_scores,
                             const TrainConfig& config, const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Status::IoError(dir.string() + ": " + ec.message());
  CREDO_RETURN_IF_ERROR(leaderboard(result, dir));
  CREDO_RETURN_IF_ERROR(cost_curve(result, test_labels, test_scores, config, dir));
  CREDO_RETURN_IF_ERROR(roc(result, test_labels, test_scores, train_part, dir));
  std::vector<ImportantFeature> important;
  std::vector<ExplainedClient> explained;
  CREDO_RETURN_IF_ERROR(
      importance_and_explanations(result, model, matrix, test_rows, test_scores, config, dir, important, explained));
  return write(dir / "index.html", render_training_page(result, config, important, explained));
}

}  // namespace credo::train
