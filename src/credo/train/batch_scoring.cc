// Scoring many clients with a bundle (see batch_scoring.h).
#include "credo/train/batch_scoring.h"

#include <algorithm>
#include <numeric>

#include "credo/base/atomic_file.h"
#include "credo/data/csv_writer.h"
#include "credo/train/decision.h"

namespace credo::train {

StatusOr<FeatureTemplate> feature_template_of_bundle(const Bundle& bundle, const std::filesystem::path& dir) {
  std::string where = (dir / "features.json").string();
  const nlohmann::json& pipeline = bundle.info.feature_pipeline;
  if (!pipeline.is_object() || !pipeline.contains("spec"))
    return Status::FailedPrecondition(where + " has no fitted feature pipeline (the model was trained on features "
                                      "credo's pipeline did not build): only feature files can be scored");
  CREDO_ASSIGN_OR_RETURN(FeaturePipeline fitted, FeaturePipeline::from_metadata(pipeline, where + " (pipeline)"));
  return FeatureTemplate{std::move(fitted), bundle.info.features, where};
}

StatusOr<ClientScores> score_clients(const Bundle& bundle, const FeatureMatrix& matrix) {
  ClientScores scores;
  scores.threshold = bundle.info.threshold;
  const size_t n = matrix.num_rows(), cols = bundle.info.features.size();
  scores.ids.assign(matrix.ids().begin(), matrix.ids().end());
  scores.probabilities.reserve(n);
  // Blocks bound the copy of the model's columns (a whole matrix of new clients twice over
  // would double the memory); each block is large enough for the model's own threads.
  constexpr size_t kBlockRows = 16384;
  std::vector<int32_t> rows;
  for (size_t first = 0; first < n; first += kBlockRows) {
    rows.resize(std::min(n, first + kBlockRows) - first);
    std::iota(rows.begin(), rows.end(), static_cast<int32_t>(first));
    CREDO_ASSIGN_OR_RETURN(std::vector<float> block, aligned_rows(bundle, matrix, rows));
    CREDO_ASSIGN_OR_RETURN(std::vector<float> probabilities, bundle.model->predict({block.data(), rows.size(), cols}));
    scores.probabilities.insert(scores.probabilities.end(), probabilities.begin(), probabilities.end());
  }
  for (float p : scores.probabilities) scores.refused += refuses(p, scores.threshold);
  return scores;
}

StatusOr<ClientScores> score_new_clients(const Bundle& bundle, const std::filesystem::path& dir,
                                         const HomeCreditSource& source, const FeatureBuildOptions& options,
                                         FeatureBuildReport* report) {
  CREDO_ASSIGN_OR_RETURN(FeatureTemplate like, feature_template_of_bundle(bundle, dir));
  CREDO_ASSIGN_OR_RETURN(FeatureMatrix matrix, features_like(like, source, options, report));
  return score_clients(bundle, matrix);
}

Status write_client_scores_csv(const ClientScores& scores, const std::string& path) {
  std::string csv = "SK_ID_CURR,probability,decision\n";
  csv.reserve(csv.size() + scores.ids.size() * 40);
  char number[kMaxCsvNumberChars];
  for (size_t r = 0; r < scores.ids.size(); ++r) {
    csv += std::to_string(scores.ids[r]);
    csv += ',';
    csv.append(number, format_csv_number(number, scores.probabilities[r]));
    csv += ',';
    csv += decide(scores.probabilities[r], scores.threshold).word;
    csv += '\n';
  }
  return write_file_atomically(path, csv);
}

}  // namespace credo::train
