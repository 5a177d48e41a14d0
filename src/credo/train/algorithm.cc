// The algorithm list.
#include "credo/train/algorithm.h"

#include <algorithm>
#include <fstream>

namespace credo::train {

std::vector<float> gather_rows(DenseRows data, std::span<const int32_t> rows) {
  std::vector<float> block(rows.size() * data.cols);
  for (size_t i = 0; i < rows.size(); ++i)
    std::copy_n(data.data + static_cast<size_t>(rows[i]) * data.cols, data.cols, block.data() + i * data.cols);
  return block;
}

StatusOr<nlohmann::json> read_json_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path.string() + ": missing from the model bundle");
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    return Status::ParseError(path.string() + ": " + e.what());
  }
}

const std::vector<const Algorithm*>& algorithms() {
  static const std::vector<const Algorithm*> list = {&dummy_algorithm(), &logistic_algorithm(),
                                                     &random_forest_algorithm(), &xgboost_algorithm()};
  return list;
}

StatusOr<const Algorithm*> find_algorithm(std::string_view name) {
  std::string known;
  for (const Algorithm* a : algorithms()) {
    if (a->name() == name) return a;
    known += (known.empty() ? "" : ", ") + a->name();
  }
  return Status::InvalidArgument("unknown algorithm '" + std::string(name) + "' (known: " + known + ")");
}

}  // namespace credo::train
