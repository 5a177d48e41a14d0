// Runs a feature spec: in batch over the eight Home Credit tables (one table in memory at a
// time, only the columns the spec reads), or online over one client's raw rows. Both go
// through the same functions (table_features.cc), so training and serving cannot disagree.
//
// Batch building also *fits* what depends on the data: the levels of text columns (for one-hot
// encodings and shares) and the out-of-fold target encodings. The fitted state is saved in the
// feature file's metadata and restored for online scoring, or for new data in batch (apply).
#pragma once

#include <array>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/base/status.h"
#include "credo/data/homecredit.h"
#include "credo/data/homecredit_loader.h"
#include "credo/data/table.h"
#include "credo/features/feature_matrix.h"
#include "credo/features/spec.h"

namespace credo {

// One client's raw rows, for online features: the application row (either file's columns;
// TARGET is ignored) and any history rows, each table with its Kaggle columns. A table left
// empty means no history there.
struct ClientRows {
  Table application;  // exactly one row
  std::array<std::optional<Table>, kHcTableCount> history;
};

struct FeatureBuildOptions {
  int threads = 0;
  FILE* progress = stderr;  // nullptr = quiet
  uint64_t seed = 42;       // folds of the out-of-fold target encoding
};

// Text levels a fitted pipeline met in new data but did not learn (not among the levels kept in
// training): their rows are encoded as the online path encodes them (no one-hot level set,
// shares not counted, the prior as target encoding).
struct UnseenLevel {
  std::string column;  // "application.NAME_INCOME_TYPE", "bureau.CREDIT_TYPE"
  std::string level;   // "Unemployed"
  size_t rows = 0;     // rows of that table with the level
};

// What happened during a build, for the console and the notes.
struct FeatureBuildReport {
  std::vector<std::pair<std::string, double>> seconds_per_table;  // "bureau", 1.2
  std::vector<std::pair<std::string, size_t>> rows_per_table;
  std::vector<std::pair<std::string, size_t>> ignored_rows;  // rows whose key matched no client
  std::vector<UnseenLevel> unseen_levels;  // apply() only, by column then level
  double seconds = 0;
};

class FeaturePipeline {
 public:
  // Checks `spec` against the Home Credit schemas: tables, keys, joins, columns, expressions.
  // Errors name the spec line.
  static StatusOr<FeaturePipeline> compile(FeatureSpec spec);
  // Restores a fitted pipeline from a feature matrix's metadata (the spec text and fitted state).
  // Malformed metadata is a ParseError naming `where` (the file it was read from) and the field.
  static StatusOr<FeaturePipeline> from_metadata(const nlohmann::json& metadata,
                                                 const std::string& where = "the feature metadata");

  // Fits and computes every feature of every client: application_train rows, then
  // application_test rows. The matrix's metadata holds the fitted pipeline.
  StatusOr<FeatureMatrix> build(const HomeCreditSource& source, const FeatureBuildOptions& options,
                                FeatureBuildReport* report = nullptr);

  // The features of every client of new data with the fitted levels and encodings (a fitted
  // pipeline only; nothing is refitted): what compute_client gives each client with
  // training_fold -1, computed in batch. The clients are the rows of application_train then
  // application_test, whichever of the two the data has (TARGET kept when known); a history
  // table the data lacks counts as no history. The matrix's metadata is this pipeline's.
  StatusOr<FeatureMatrix> apply(const HomeCreditSource& source, const FeatureBuildOptions& options,
                                FeatureBuildReport* report = nullptr) const;

  // The feature vector of one client from its raw rows (a fitted pipeline only), in the order of
  // features(). `training_fold` >= 0 gives a training client's out-of-fold target encodings
  // (what the batch matrix holds for it); -1 gives the encodings of a new client.
  StatusOr<std::vector<double>> compute_client(const ClientRows& rows, int training_fold = -1) const;
  // The same, consuming `rows`: the application row is worked on in place instead of copied
  // (a third of the time of a client without history).
  StatusOr<std::vector<double>> compute_client(ClientRows&& rows, int training_fold = -1) const;

  // The fold (0..4) of a training client in the out-of-fold target encoding.
  int training_fold_of(int64_t client_id) const;

  const std::vector<FeatureInfo>& features() const { return features_; }
  bool fitted() const { return fitted_; }
  nlohmann::json metadata() const;

  struct State;  // compiled and fitted state, defined in pipeline.cc

  FeaturePipeline();
  ~FeaturePipeline();
  FeaturePipeline(FeaturePipeline&&) noexcept;
  FeaturePipeline& operator=(FeaturePipeline&&) noexcept;

 private:
  // compute_client over `application` (taken by value, worked on in place) and rows.history.
  StatusOr<std::vector<double>> compute_client_with(Table application, const ClientRows& rows, int training_fold) const;

  std::unique_ptr<State> state_;
  std::vector<FeatureInfo> features_;
  bool fitted_ = false;
};

}  // namespace credo
