// What the scoring API answers, without HTTP: the model version being served (its bundle, with
// the known clients' features aligned to its inputs) scores and decides for a client. The
// served version is an immutable snapshot behind an atomic pointer, so a reload swaps it while
// requests in flight finish on the old one.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "credo/base/status.h"
#include "credo/features/client_store.h"
#include "credo/store/store.h"
#include "credo/train/model_bundle.h"

namespace credo::serve {

// One registered model version, loaded and ready to score.
struct ServedModel {
  std::string uri;               // as asked: models:/credit-default@champion
  std::string name, alias;       // registered name; alias when the URI named one
  int version = 0;               // registered version (0 for a bundle folder)
  std::string run_id;
  train::Bundle bundle;
  std::shared_ptr<const ClientStore> clients;
  std::vector<int32_t> client_column;  // bundle feature i -> column of clients->matrix()
};

// Where a probability stands against the threshold t: "low" below t/2, "moderate" below t,
// "high" below t + (1 - t)/2, "very high" above.
std::string risk_band(double probability, double threshold);

struct Score {
  int64_t client_id = 0;
  double probability = 0;
  bool refused = false;
  double threshold = 0;
  std::string risk_band;
};

class ScoringService {
 public:
  // Loads the version `model_uri` names from `store`, and the client store: `features_path`,
  // or when empty the feature file the training run read (its "features" param).
  static StatusOr<std::unique_ptr<ScoringService>> open(store::Store& store, const std::string& model_uri,
                                                        const std::string& features_path);

  // The version being served (never null once open() succeeded).
  std::shared_ptr<const ServedModel> current() const { return std::atomic_load(&current_); }
  // Replaces the served version; requests holding the old snapshot finish on it.
  void swap(std::shared_ptr<const ServedModel> next) { std::atomic_store(&current_, std::move(next)); }

  // Loads the version the URI names now (for a reload after an alias moved).
  StatusOr<std::shared_ptr<const ServedModel>> load(store::Store& store) const;

  // A known client: NotFound naming the id when the client store has no such client.
  StatusOr<Score> score_client(const ServedModel& model, int64_t client_id) const;

 private:
  ScoringService(std::string model_uri, std::string features_path)
      : model_uri_(std::move(model_uri)), features_path_(std::move(features_path)) {}

  std::string model_uri_, features_path_;
  std::shared_ptr<const ServedModel> current_;
};

}  // namespace credo::serve
