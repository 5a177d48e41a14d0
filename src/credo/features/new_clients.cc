// Features of new clients with a fitted pipeline (see new_clients.h).
#include "credo/features/new_clients.h"

#include <cstdio>

#include "credo/base/parallel.h"
#include "credo/features/source_data.h"

namespace credo {

StatusOr<FeatureTemplate> feature_template_of_file(const std::string& path) {
  CREDO_ASSIGN_OR_RETURN(FeatureMatrix matrix, read_feature_matrix(path));
  CREDO_ASSIGN_OR_RETURN(FeaturePipeline pipeline, FeaturePipeline::from_metadata(matrix.metadata(), path));
  return FeatureTemplate{std::move(pipeline), matrix.features(), path};
}

StatusOr<FeatureMatrix> select_features(FeatureMatrix matrix, const std::vector<FeatureInfo>& columns, int threads) {
  if (matrix.features() == columns) return matrix;
  std::vector<size_t> source;
  source.reserve(columns.size());
  for (const FeatureInfo& f : columns) {
    int index = matrix.feature_index(f.name);
    if (index < 0) return Status::InvalidArgument("the fitted feature pipeline does not make the feature '" + f.name + "'");
    source.push_back(static_cast<size_t>(index));
  }
  FeatureMatrix out(columns, matrix.num_rows());
  const size_t n = matrix.num_rows();
  for (size_t r = 0; r < n; ++r) out.set_client(r, matrix.id(r), matrix.target(r), matrix.is_test(r));
  parallel_for((n + 4095) / 4096, threads, [&](size_t b) {
    for (size_t r = b * 4096; r < std::min(n, b * 4096 + 4096); ++r) {
      const float* from = matrix.row(r);
      float* to = out.row(r);
      for (size_t j = 0; j < source.size(); ++j) to[j] = from[source[j]];
    }
  });
  out.metadata() = matrix.metadata();
  return out;
}

StatusOr<FeatureMatrix> features_like(const FeatureTemplate& like, const HomeCreditSource& source,
                                      const FeatureBuildOptions& options, FeatureBuildReport* report) {
  CREDO_ASSIGN_OR_RETURN(FeatureMatrix computed, like.pipeline.apply(source, options, report));
  auto selected = select_features(std::move(computed), like.columns, options.threads);
  if (!selected.ok()) return Status::InvalidArgument(like.where + ": " + selected.status().message());
  record_source_data(*selected, source.path());
  return std::move(*selected);
}

size_t unseen_level_rows(const FeatureBuildReport& report) {
  size_t rows = 0;
  for (const UnseenLevel& u : report.unseen_levels) rows += u.rows;
  return rows;
}

std::string render_unseen_levels(const FeatureBuildReport& report) {
  if (report.unseen_levels.empty()) return "unseen levels      none\n";
  char line[256];
  std::snprintf(line, sizeof line,
                "unseen levels      %zu rows in %zu levels the fitted pipeline did not learn (encoded as for a "
                "posted application):\n",
                unseen_level_rows(report), report.unseen_levels.size());
  std::string text = line;
  for (const UnseenLevel& u : report.unseen_levels) {
    std::snprintf(line, sizeof line, "  %-40s %-30s %zu rows\n", u.column.c_str(), u.level.c_str(), u.rows);
    text += line;
  }
  return text;
}

nlohmann::json unseen_levels_json(const FeatureBuildReport& report) {
  nlohmann::json levels = nlohmann::json::array();
  for (const UnseenLevel& u : report.unseen_levels)
    levels.push_back({{"column", u.column}, {"level", u.level}, {"rows", u.rows}});
  return levels;
}

}  // namespace credo
