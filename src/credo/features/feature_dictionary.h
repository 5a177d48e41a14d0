// The feature dictionary: every feature's name, source table, filter, aggregation, source column
// and description in words, as CSV, for people and for the API and dashboard to speak in words.
#pragma once

#include <string>
#include <vector>

#include "credo/base/status.h"
#include "credo/features/feature_matrix.h"

namespace credo {

std::string feature_dictionary_csv(const std::vector<FeatureInfo>& features);
Status write_feature_dictionary(const std::vector<FeatureInfo>& features, const std::string& path);

}  // namespace credo
