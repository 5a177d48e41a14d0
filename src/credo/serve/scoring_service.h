// What the scoring API answers, without HTTP: the model version being served (its bundle, the
// known clients' features aligned to its inputs, their precomputed explanations, the online
// feature code for new applications) scores, decides and explains. The served version is an
// immutable snapshot behind an atomic pointer, so a reload swaps it while requests in flight
// finish on the old one.
#pragma once

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "credo/base/status.h"
#include "credo/features/client_store.h"
#include "credo/features/pipeline.h"
#include "credo/serve/client_profiles.h"
#include "credo/serve/explanation.h"
#include "credo/serve/population.h"
#include "credo/store/store.h"
#include "credo/train/client_contributions.h"
#include "credo/train/decision.h"
#include "credo/train/model_bundle.h"
#include "credo/train/row_scorer.h"

namespace credo::serve {

// One registered model version, loaded and ready to score.
struct ServedModel {
  std::string uri;               // as asked: models:/credit-default@champion
  std::string name, alias;       // registered name; alias when the URI named one
  int version = 0;               // registered version (0 for a bundle folder)
  std::string run_id;
  train::Bundle bundle;
  std::unique_ptr<train::RowScorer> scorer;  // one row at a time, over bundle.model
  std::shared_ptr<const ClientStore> clients;
  std::vector<int32_t> client_column;  // bundle feature i -> column of clients->matrix()
  bool client_columns_in_order = false;  // client_column[i] == i: a client's row is the input as is
  std::shared_ptr<const train::ClientContributions> contributions;  // of every known client
  // The fitted feature code of the model's training data, for posted applications (null when
  // the features were not built by credo's pipeline).
  std::shared_ptr<const FeaturePipeline> pipeline;
  std::vector<int32_t> pipeline_column;  // bundle feature i -> index in pipeline->features()
  std::vector<uint8_t> from_application; // bundle feature i is computed from the application row alone
  // The known clients' raw applications and the population built on them (null without the raw
  // data: then client descriptions, population, similar clients and what-ifs are unavailable).
  std::shared_ptr<const ClientProfiles> profiles;
  std::shared_ptr<const Population> population;

  size_t num_features() const { return bundle.info.features.size(); }
  const std::vector<FeatureInfo>& features() const { return bundle.info.features; }
};

// The decision rule and its risk bands (train/decision.h), as the API names them.
using train::risk_band;

struct Score {
  int64_t client_id = 0;  // 0 for a new application without an id
  double probability = 0;
  double log_odds = 0;
  bool refused = false;
  double threshold = 0;
  std::string risk_band;
};

struct ServiceOptions {
  std::string features_path;  // the known clients' features; "" = the file the training run read
  // The Home Credit folder or zip of the known clients' raw applications; "" = the one the
  // feature file records, if it still exists.
  std::string data_path;
  size_t similarity_features = 8;  // the most important numeric inputs the nearest clients are found by
  int threads = 0;            // for computing the known clients' contributions (0 = all cores)
  FILE* progress = stderr;    // progress of that computation; nullptr = quiet
  bool cache_contributions = true;  // read and keep them in the store (train/client_contributions.h)
};

class ScoringService {
 public:
  // Loads the version `model_uri` names from `store`, its known clients and their explanations.
  static StatusOr<std::unique_ptr<ScoringService>> open(store::Store& store, const std::string& model_uri,
                                                        ServiceOptions options);

  // The version being served (never null once open() succeeded).
  std::shared_ptr<const ServedModel> current() const { return std::atomic_load(&current_); }
  // Replaces the served version; requests holding the old snapshot finish on it.
  void swap(std::shared_ptr<const ServedModel> next) { std::atomic_store(&current_, std::move(next)); }

  // Loads the version the URI names now (for a reload after an alias moved).
  StatusOr<std::shared_ptr<const ServedModel>> load(store::Store& store) const;
  // The version the URI names in `store` now, without loading it (0 for a folder).
  StatusOr<int> resolve_version(store::Store& store) const;
  const std::string& model_uri() const { return model_uri_; }

  // A known client: NotFound naming the id when the client store has no such client.
  StatusOr<Score> score_client(const ServedModel& model, int64_t client_id) const;
  // One row of the model's inputs (num_features() floats, NaN = missing).
  StatusOr<Score> score_inputs(const ServedModel& model, const float* inputs, int64_t client_id) const;

  // The model inputs of a posted application: its features computed by the online feature code.
  // With `known_client` (a what-if), only the features of the application row are recomputed;
  // those of the client's history are the known client's.
  StatusOr<std::vector<float>> inputs_of_application(const ServedModel& model, ClientRows rows,
                                                     std::optional<int64_t> known_client) const;
  // The model inputs of a known client (a copy of its row, in the model's order).
  StatusOr<std::vector<float>> inputs_of_client(const ServedModel& model, int64_t client_id) const;

  struct Explained {
    Score score;
    Explanation explanation;
    std::vector<double> contributions;  // num_features() + 1, base value last
    std::vector<float> inputs;
  };
  // A known client's explanation, from the contributions computed at load.
  StatusOr<Explained> explain_client(const ServedModel& model, int64_t client_id, size_t top) const;
  // Any row's explanation, computed now (exact TreeSHAP for tree models).
  StatusOr<Explained> explain_inputs(const ServedModel& model, std::vector<float> inputs, int64_t client_id,
                                     size_t top) const;

 private:
  ScoringService(std::string model_uri, ServiceOptions options)
      : model_uri_(std::move(model_uri)), options_(std::move(options)) {}

  Score decide(const ServedModel& model, double margin, int64_t client_id) const;

  // The raw applications of `data_path`, loaded once and shared by every version served.
  StatusOr<std::shared_ptr<const ClientProfiles>> profiles_of(const std::string& data_path) const;

  std::string model_uri_;
  ServiceOptions options_;
  mutable std::mutex profiles_mutex_;
  mutable std::string profiles_path_;
  mutable std::shared_ptr<const ClientProfiles> profiles_;
  std::shared_ptr<const ServedModel> current_;
};

}  // namespace credo::serve
