// The raw data's path in a feature file's metadata.
#include "credo/features/source_data.h"

#include <filesystem>

namespace credo {

void record_source_data(FeatureMatrix& matrix, const std::string& data_path) {
  std::error_code error;
  std::filesystem::path absolute = std::filesystem::absolute(data_path, error);
  matrix.metadata()[kSourceDataKey] = error ? data_path : absolute.lexically_normal().string();
}

std::optional<std::string> source_data_of(const FeatureMatrix& matrix) {
  const nlohmann::json& metadata = matrix.metadata();
  if (!metadata.is_object()) return std::nullopt;
  auto it = metadata.find(kSourceDataKey);
  if (it == metadata.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) return std::nullopt;
  return it->get<std::string>();
}

}  // namespace credo
