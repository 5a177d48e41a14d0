// Features of new clients (next month's applications) computed the way a model's training
// features were: with the fitted pipeline saved beside them (its levels, encodings and spec),
// in the columns of a given feature file or model, so the result scores or compares with it.
// Features built from new data on their own would have the new data's levels instead.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/base/status.h"
#include "credo/data/homecredit_loader.h"
#include "credo/features/feature_matrix.h"
#include "credo/features/pipeline.h"

namespace credo {

// What new features must look like: the fitted pipeline and the columns, in order.
struct FeatureTemplate {
  FeaturePipeline pipeline;
  std::vector<FeatureInfo> columns;
  std::string where;  // the file it came from, for messages
};

// The template of a feature file written by `credo features`: its pipeline and its columns.
StatusOr<FeatureTemplate> feature_template_of_file(const std::string& path);

// The new clients of `source` (application_train and/or application_test rows, with whatever
// history files there are) with the template's columns in its order; levels the pipeline did
// not learn are encoded as for a posted application and listed in report->unseen_levels.
// The matrix's metadata is the template's pipeline, with the data's path recorded.
StatusOr<FeatureMatrix> features_like(const FeatureTemplate& like, const HomeCreditSource& source,
                                      const FeatureBuildOptions& options, FeatureBuildReport* report = nullptr);

// The columns of `matrix` named in `columns`, in that order (a copy; none when they already are
// the matrix's columns). An error names the first column `matrix` lacks.
StatusOr<FeatureMatrix> select_features(FeatureMatrix matrix, const std::vector<FeatureInfo>& columns, int threads = 0);

// Rows of all unseen levels together.
size_t unseen_level_rows(const FeatureBuildReport& report);
// The unseen levels for the console: "unseen levels      none", or their total and one line each.
std::string render_unseen_levels(const FeatureBuildReport& report);
// The same for --json: [{"column", "level", "rows"}...].
nlohmann::json unseen_levels_json(const FeatureBuildReport& report);

}  // namespace credo
