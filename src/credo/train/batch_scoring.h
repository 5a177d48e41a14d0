// Scoring many clients at once with a model bundle: the clients of a feature file, or new
// clients from raw data whose features are computed with the bundle's own fitted pipeline
// (what the scoring service does for one posted application, done in batch), decided by the
// rule of train/decision.h and written as SK_ID_CURR,probability,decision.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "credo/base/status.h"
#include "credo/data/homecredit_loader.h"
#include "credo/features/feature_matrix.h"
#include "credo/features/new_clients.h"
#include "credo/train/model_bundle.h"

namespace credo::train {

struct ClientScores {
  std::vector<int64_t> ids;          // SK_ID_CURR, in the matrix's order
  std::vector<float> probabilities;  // of default
  double threshold = 0.5;
  size_t refused = 0;
};

// The bundle's fitted feature pipeline and its features, in its order. A bundle trained on a
// feature file credo did not build has none: FailedPrecondition.
StatusOr<FeatureTemplate> feature_template_of_bundle(const Bundle& bundle, const std::filesystem::path& dir);

// Scores every client of `matrix` (its features taken by name), a block of rows at a time.
StatusOr<ClientScores> score_clients(const Bundle& bundle, const FeatureMatrix& matrix);

// The features of the new clients in `source` computed with the bundle's pipeline, then scored.
// `report` receives the feature computation's report (unseen levels included).
StatusOr<ClientScores> score_new_clients(const Bundle& bundle, const std::filesystem::path& dir,
                                         const HomeCreditSource& source, const FeatureBuildOptions& options,
                                         FeatureBuildReport* report = nullptr);

// Writes SK_ID_CURR,probability,decision (written whole to PATH.tmp, then renamed).
Status write_client_scores_csv(const ClientScores& scores, const std::string& path);

}  // namespace credo::train
