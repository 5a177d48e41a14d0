// Benchmark of the training stage at full scale: gradient boosting (XGBoost hist, credo's default
// parameters) on a feature file (`credo features --out`, e.g. 356,255 clients x 730 features),
// with credo's own work around it timed separately: data preparation (gathering the fold's rows),
// the threshold scan, metrics, and exact SHAP for 1,000 clients. Prints time per boosting round
// and peak memory.
// usage: train_bench FEATURES [--rounds N] [--threads T]
#include <chrono>
#include <cstdio>
#include <numeric>

#include "bench_support.h"
#include "credo/base/clock.h"
#include "credo/train/algorithm.h"
#include "credo/train/metrics.h"
#include "credo/train/splits.h"

namespace {

using Clock = std::chrono::steady_clock;
using credo::seconds_since;
constexpr credo::bench::ExitOnError check("train_bench");

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: train_bench FEATURES [--rounds N] [--threads T]\n");
    return 2;
  }
  double rounds = 300;
  int threads = 0;
  if (const char* value = credo::bench::flag_value(argc, argv, 2, "--rounds")) rounds = std::stod(value);
  if (const char* value = credo::bench::flag_value(argc, argv, 2, "--threads")) threads = std::stoi(value);
  using namespace credo::train;
  auto start = Clock::now();
  credo::FeatureMatrix matrix = check(credo::read_feature_matrix(argv[1]));
  LabelledRows labelled = check(labelled_rows(matrix, argv[1]));
  DenseRows data{matrix.values().data(), matrix.num_rows(), matrix.num_features()};
  double load_s = seconds_since(start);

  Split holdout = stratified_holdout(labelled.labels, 0.2, 42);
  LabelledRows fit_part = labelled_subset(labelled, holdout.train), test_part = labelled_subset(labelled, holdout.test);
  const std::vector<int32_t>& fit_rows = fit_part.rows;
  const std::vector<int32_t>& test_rows = test_part.rows;
  const std::vector<uint8_t>& test_labels = test_part.labels;
  TrainingRows train = check(treat_imbalance(Imbalance::kNone, data, fit_part.rows, fit_part.labels, {}));
  const Algorithm& xgb = xgboost_algorithm();
  Params params = xgb.defaults();
  params["rounds"] = rounds;
  FitData fit{data, &train, {}, {}, 42, threads};  // no early stopping: a fixed number of rounds
  start = Clock::now();
  auto model = check(xgb.fit(fit, params));
  double fit_s = seconds_since(start);
  double trained = model->fit_facts()["rounds_trained"];

  start = Clock::now();
  std::vector<float> block = gather_rows(data, test_rows);
  double gather_s = seconds_since(start);
  start = Clock::now();
  std::vector<float> scores = check(model->predict({block.data(), test_rows.size(), data.cols}));
  double predict_s = seconds_since(start);
  start = Clock::now();
  ThresholdScan scan = scan_thresholds(scores, test_labels, CostMatrix{});
  BinaryMetrics metrics = evaluate(scores, test_labels, scan.best_threshold, CostMatrix{});
  double scan_s = seconds_since(start);
  start = Clock::now();
  size_t explained = std::min<size_t>(1000, test_rows.size());
  auto phi = check(model->contributions({block.data(), explained, data.cols}));
  double shap_s = seconds_since(start);

  std::printf("data               %zu clients x %zu features (%zu train, %zu hold-out), loaded in %.2f s\n",
              matrix.num_rows(), matrix.num_features(), fit_rows.size(), test_rows.size(), load_s);
  std::printf("xgboost fit        %.0f rounds in %.1f s: %.1f ms per round (incl. credo's gathering of the rows)\n",
              trained, fit_s, 1000 * fit_s / trained);
  std::printf("hold-out           AUC %.4f, cost %.4f per client at threshold %.4f\n", metrics.auc, metrics.cost,
              scan.best_threshold);
  std::printf("credo's overhead   gather %.3f s, predict %.3f s, threshold scan + metrics %.3f s (%.1f%% of the fit)\n",
              gather_s, predict_s, scan_s, 100 * (gather_s + scan_s) / fit_s);
  std::printf("exact SHAP         %zu clients in %.2f s (%.2f ms per client)\n", explained, shap_s,
              1000 * shap_s / static_cast<double>(explained));
  credo::bench::print_peak_memory(19);
  (void)phi;
  return 0;
}
