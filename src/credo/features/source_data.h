// Where a feature file's raw data is: `credo features` records the Home Credit folder (or zip) it
// read in the matrix's metadata, so the scoring service can find the known clients' raw
// application rows from the feature file alone (`credo serve --data DIR` overrides it).
#pragma once

#include <optional>
#include <string>

#include "credo/features/feature_matrix.h"

namespace credo {

// The metadata key holding the absolute path of the raw data.
inline constexpr char kSourceDataKey[] = "source_data";

// Records `data_path` made absolute and normal in metadata()[kSourceDataKey].
void record_source_data(FeatureMatrix& matrix, const std::string& data_path);
// The raw data's path the matrix records, or nullopt (files written before it was recorded).
std::optional<std::string> source_data_of(const FeatureMatrix& matrix);

}  // namespace credo
