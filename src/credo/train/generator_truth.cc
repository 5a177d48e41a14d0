// Reads synth_truth.csv with the CSV reader and scores the hold-out with the true probabilities.
#include "credo/train/generator_truth.h"

#include <unordered_map>

#include "credo/data/csv_reader.h"

namespace credo::train {

StatusOr<std::vector<float>> read_true_probabilities(const std::string& path, std::span<const int64_t> ids) {
  CsvReadOptions options;
  options.columns = {"SK_ID_CURR", "TRUE_PD"};
  CREDO_ASSIGN_OR_RETURN(Table table, read_csv_file(path, options));
  CREDO_ASSIGN_OR_RETURN(const Column* id_column, table.get("SK_ID_CURR"));
  CREDO_ASSIGN_OR_RETURN(const Column* pd_column, table.get("TRUE_PD"));
  if (id_column->type() != ColumnType::kInt64 || pd_column->type() == ColumnType::kCategorical)
    return Status::InvalidArgument(path + ": SK_ID_CURR must be integers and TRUE_PD numbers");
  std::unordered_map<int64_t, double> by_id;
  by_id.reserve(table.num_rows());
  for (size_t r = 0; r < table.num_rows(); ++r)
    if (!id_column->is_missing(r)) by_id.emplace(id_column->int64s()[r], pd_column->as_double(r));
  std::vector<float> out;
  out.reserve(ids.size());
  for (int64_t id : ids) {
    auto it = by_id.find(id);
    if (it == by_id.end())
      return Status::InvalidArgument(path + ": no client " + std::to_string(id) +
                                     " (is it the truth of the data the features were computed from?)");
    double pd = it->second;
    if (!(pd >= 0 && pd <= 1))
      return Status::InvalidArgument(path + ": TRUE_PD of client " + std::to_string(id) + " is not a probability");
    out.push_back(static_cast<float>(pd));
  }
  return out;
}

TruthComparison compare_with_truth(std::string path, std::span<const float> true_probabilities,
                                   std::span<const uint8_t> labels, const CostMatrix& cost) {
  ThresholdScan scan = scan_thresholds(true_probabilities, labels, cost, 0);
  BinaryMetrics best = evaluate(true_probabilities, labels, scan.best_threshold, cost);
  return {std::move(path), best.auc, scan.best_cost, roc_curve(true_probabilities, labels)};
}

}  // namespace credo::train
