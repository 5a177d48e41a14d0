// Benchmark of serving one application at a time: XGBoost's own single-row margin and TreeSHAP
// calls against credo's TreeEnsemble on the same trees, at full scale (a `credo features` file,
// e.g. 356,255 clients x 730 features; gradient boosting with credo's default parameters for a
// fixed number of rounds). Prints microseconds per row, the largest differences from XGBoost, and
// peak memory. The scoring service needs an explained score in well under 1 ms per core.
// usage: tree_ensemble_bench FEATURES [--rounds N] [--depth D] [--rows R] [--threads T]
#include <chrono>
#include <cstdio>
#include <string>

#include "bench_support.h"
#include "credo/base/clock.h"
#include "credo/base/parallel.h"
#include "credo/train/algorithm.h"
#include "credo/train/splits.h"
#include "credo/train/tree_ensemble.h"

namespace {

using Clock = std::chrono::steady_clock;
using credo::seconds_since;
constexpr credo::bench::ExitOnError check_or_exit("tree_ensemble_bench");

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: tree_ensemble_bench FEATURES [--rounds N] [--depth D] [--rows R] [--threads T]\n");
    return 2;
  }
  int rounds = 300, depth = 5, threads = 0;
  size_t timed_rows = 1000;
  using credo::bench::flag_value;
  if (const char* value = flag_value(argc, argv, 2, "--rounds")) rounds = std::stoi(value);
  if (const char* value = flag_value(argc, argv, 2, "--depth")) depth = std::stoi(value);
  if (const char* value = flag_value(argc, argv, 2, "--rows")) timed_rows = std::stoul(value);
  if (const char* value = flag_value(argc, argv, 2, "--threads")) threads = std::stoi(value);
  if (threads <= 0) threads = credo::default_thread_count();
  using namespace credo::train;
  auto start = Clock::now();
  credo::FeatureMatrix matrix = check_or_exit(credo::read_feature_matrix(argv[1]));
  LabelledRows labelled = check_or_exit(labelled_rows(matrix, argv[1]));
  DenseRows data{matrix.values().data(), matrix.num_rows(), matrix.num_features()};
  const size_t cols = data.cols;
  double load_s = seconds_since(start);

  // Trained on 80% of the clients, timed on the others (rows the trees have not seen).
  Split holdout = stratified_holdout(labelled.labels, 0.2, 42);
  LabelledRows fit_part = labelled_subset(labelled, holdout.train), test_part = labelled_subset(labelled, holdout.test);
  start = Clock::now();
  std::vector<float> fit_block = gather_rows(data, fit_part.rows);
  std::vector<float> fit_labels(fit_part.labels.begin(), fit_part.labels.end());
  XgbData train =
      check_or_exit(XgbData::from_rows({fit_block.data(), fit_part.rows.size(), cols}, fit_labels, {}, threads));
  fit_block = {};
  XgbTrainOptions options;  // credo's defaults for xgboost (tree_algorithms.cc), a fixed number of rounds
  options.params = {{"eta", "0.1"},       {"max_depth", std::to_string(depth)}, {"min_child_weight", "10"},
                    {"subsample", "0.8"}, {"colsample_bytree", "0.5"},          {"lambda", "1"}};
  options.num_boost_round = rounds;
  options.early_stopping_rounds = 0;
  options.threads = threads;
  XgbModel trained = check_or_exit(XgbModel::train(train, nullptr, options));
  double fit_s = seconds_since(start);
  // One thread per call, as the service would call it from each of its workers.
  std::vector<char> booster = check_or_exit(trained.save());
  XgbModel model = check_or_exit(XgbModel::load(booster, 1));

  start = Clock::now();
  TreeEnsemble ensemble = check_or_exit(TreeEnsemble::from_xgboost(model));
  double build_s = seconds_since(start);

  timed_rows = std::min(timed_rows, test_part.rows.size());
  std::vector<float> block = gather_rows(data, std::span<const int32_t>(test_part.rows).first(timed_rows));
  auto row_at = [&](size_t i) { return block.data() + i * cols; };

  // XGBoost, one row per call.
  std::vector<float> xgb_margins(timed_rows), xgb_phi(timed_rows * (cols + 1));
  start = Clock::now();
  for (size_t i = 0; i < timed_rows; ++i) xgb_margins[i] = check_or_exit(model.predict_margin({row_at(i), 1, cols}))[0];
  double xgb_margin_s = seconds_since(start);
  start = Clock::now();
  for (size_t i = 0; i < timed_rows; ++i) {
    std::vector<float> phi = check_or_exit(model.contributions({row_at(i), 1, cols}));
    std::copy(phi.begin(), phi.end(), xgb_phi.begin() + static_cast<ptrdiff_t>(i * (cols + 1)));
  }
  double xgb_shap_s = seconds_since(start);

  // credo: margins are repeated until the timing is long enough to trust.
  std::vector<double> margins(timed_rows), phi((cols + 1) * timed_rows);
  size_t margin_repeats = 0;
  start = Clock::now();
  do {
    for (size_t i = 0; i < timed_rows; ++i) margins[i] = ensemble.margin(row_at(i));
    ++margin_repeats;
  } while (seconds_since(start) < 0.5);
  double margin_s = seconds_since(start) / static_cast<double>(margin_repeats);
  start = Clock::now();
  for (size_t i = 0; i < timed_rows; ++i) ensemble.contributions(row_at(i), phi.data() + i * (cols + 1));
  double shap_s = seconds_since(start);

  // XGBoost sums in float: its rounding grows with the value, so the largest |margin| is printed too.
  double margin_difference = 0, phi_difference = 0, additivity = 0, largest_margin = 0;
  for (size_t i = 0; i < timed_rows; ++i) {
    margin_difference = std::max(margin_difference, std::abs(margins[i] - xgb_margins[i]));
    largest_margin = std::max(largest_margin, std::abs(margins[i]));
    double sum = 0;
    for (size_t j = 0; j <= cols; ++j) {
      sum += phi[i * (cols + 1) + j];
      phi_difference = std::max(phi_difference, std::abs(phi[i * (cols + 1) + j] - xgb_phi[i * (cols + 1) + j]));
    }
    additivity = std::max(additivity, std::abs(sum - margins[i]));
  }

  const double per_row_us = 1e6 / static_cast<double>(timed_rows);
  std::printf("data               %zu clients x %zu features, loaded in %.2f s\n", matrix.num_rows(), cols, load_s);
  std::printf("xgboost fit        %d rounds of depth %d on %zu clients in %.1f s (%d threads)\n", rounds, depth,
              fit_part.rows.size(), fit_s, threads);
  std::printf("tree ensemble      %zu trees read in %.1f ms\n", ensemble.num_trees(), 1000 * build_s);
  std::printf("margin, one row    xgboost %.1f us, credo %.2f us (%.0fx)   over %zu hold-out rows\n",
              xgb_margin_s * per_row_us, margin_s * per_row_us, xgb_margin_s / margin_s, timed_rows);
  std::printf("TreeSHAP, one row  xgboost %.0f us, credo %.0f us (%.1fx)\n", xgb_shap_s * per_row_us,
              shap_s * per_row_us, xgb_shap_s / shap_s);
  std::printf(
      "largest difference margin %.2g (of margins up to %.1f), contributions %.2g from xgboost's; "
      "contributions sum to the margin within %.2g\n",
      margin_difference, largest_margin, phi_difference, additivity);
  credo::bench::print_peak_memory(19);
  return 0;
}
