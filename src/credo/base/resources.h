// Data files compiled into the binary (from resources/), so credo runs with nothing beside it.
#pragma once

#include <string_view>

namespace credo {

// profile.json: statistics of real Home Credit rows, with each file's exact header.
std::string_view homecredit_profile_json();
// HomeCredit_columns_description.csv: the official column dictionary (UTF-8, CRLF).
std::string_view homecredit_columns_description_csv();

// features/default.spec: the feature spec credo ships (see src/credo/features/spec.h).
std::string_view default_feature_spec_resource();

}  // namespace credo
