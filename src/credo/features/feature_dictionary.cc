// CSV rendering of the feature dictionary.
#include "credo/features/feature_dictionary.h"

#include <cstdio>

#include "credo/data/csv_writer.h"

namespace credo {

std::string feature_dictionary_csv(const std::vector<FeatureInfo>& features) {
  std::string out = "feature,table,filter,aggregation,source_column,description\n";
  for (const auto& f : features) {
    for (const std::string* field : {&f.name, &f.table, &f.filter, &f.aggregation, &f.source_column}) {
      append_csv_text(out, *field);
      out.push_back(',');
    }
    append_csv_text(out, f.description);
    out.push_back('\n');
  }
  return out;
}

Status write_feature_dictionary(const std::vector<FeatureInfo>& features, const std::string& path) {
  std::string text = feature_dictionary_csv(features);
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return Status::IoError(path + ": cannot write");
  bool ok = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  ok = std::fclose(f) == 0 && ok;
  return ok ? Status::Ok() : Status::IoError(path + ": write failed");
}

}  // namespace credo
