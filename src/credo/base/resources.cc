// Embeds resource files with the assembler's .incbin (base/incbin.h).
#include "credo/base/resources.h"

#include "credo/base/incbin.h"

CREDO_INCBIN(credo_profile_json, CREDO_RESOURCE_DIR "/homecredit/profile.json")
CREDO_INCBIN(credo_columns_csv, CREDO_RESOURCE_DIR "/homecredit/HomeCredit_columns_description.csv")
CREDO_INCBIN(credo_default_spec, CREDO_RESOURCE_DIR "/features/default.spec")

namespace credo {

std::string_view homecredit_profile_json() {
  return {credo_profile_json_begin, static_cast<size_t>(credo_profile_json_end - credo_profile_json_begin)};
}

std::string_view homecredit_columns_description_csv() {
  return {credo_columns_csv_begin, static_cast<size_t>(credo_columns_csv_end - credo_columns_csv_begin)};
}

std::string_view default_feature_spec_resource() {
  return {credo_default_spec_begin, static_cast<size_t>(credo_default_spec_end - credo_default_spec_begin)};
}

}  // namespace credo
