// Loading a served version (bundle, client store, column alignment) and scoring known clients.
#include "credo/serve/scoring_service.h"

#include <unordered_map>

#include "credo/store/model_uri.h"

namespace credo::serve {

std::string risk_band(double probability, double threshold) {
  if (probability < threshold / 2) return "low";
  if (probability < threshold) return "moderate";
  if (probability < threshold + (1 - threshold) / 2) return "high";
  return "very high";
}

StatusOr<std::unique_ptr<ScoringService>> ScoringService::open(store::Store& store, const std::string& model_uri,
                                                               const std::string& features_path) {
  std::unique_ptr<ScoringService> service(new ScoringService(model_uri, features_path));
  CREDO_ASSIGN_OR_RETURN(std::shared_ptr<const ServedModel> model, service->load(store));
  service->swap(std::move(model));
  return service;
}

StatusOr<std::shared_ptr<const ServedModel>> ScoringService::load(store::Store& store) const {
  auto model = std::make_shared<ServedModel>();
  model->uri = model_uri_;
  CREDO_ASSIGN_OR_RETURN(store::ModelUri parsed, store::parse_model_uri(model_uri_));
  CREDO_ASSIGN_OR_RETURN(store::ResolvedModel resolved, store::resolve_model_uri(store, model_uri_));
  model->name = parsed.model_name;
  model->alias = parsed.alias;
  model->run_id = resolved.run_id;
  if (resolved.version) model->version = static_cast<int>(resolved.version->version);
  // One XGBoost thread per request: more threads per call are slower under load.
  CREDO_ASSIGN_OR_RETURN(model->bundle, train::load_bundle(resolved.dir, 1));

  std::string features = features_path_;
  if (features.empty()) {
    if (model->run_id.empty())
      return Status::InvalidArgument(model_uri_ + " names no training run: give the feature file (--features)");
    CREDO_ASSIGN_OR_RETURN(store::Run run, store.get_run(model->run_id));
    auto it = run.params.find("features");
    if (it == run.params.end() || it->second.empty())
      return Status::InvalidArgument("training run " + model->run_id +
                                     " did not record its feature file: give it (--features)");
    features = it->second;
  }
  CREDO_ASSIGN_OR_RETURN(ClientStore clients, ClientStore::open(features));
  std::unordered_map<std::string, int32_t> column_by_name;
  const auto& matrix_features = clients.matrix().features();
  for (size_t c = 0; c < matrix_features.size(); ++c) column_by_name.emplace(matrix_features[c].name, static_cast<int32_t>(c));
  for (const FeatureInfo& f : model->bundle.info.features) {
    auto it = column_by_name.find(f.name);
    if (it == column_by_name.end())
      return Status::InvalidArgument(features + " has no feature '" + f.name + "', an input of " + model_uri_);
    model->client_column.push_back(it->second);
  }
  model->clients = std::make_shared<const ClientStore>(std::move(clients));
  return std::shared_ptr<const ServedModel>(std::move(model));
}

StatusOr<Score> ScoringService::score_client(const ServedModel& model, int64_t client_id) const {
  std::optional<size_t> row = model.clients->find(client_id);
  if (!row) return Status::NotFound("client " + std::to_string(client_id) + " is not known");
  const float* values = model.clients->matrix().row(*row);
  std::vector<float> inputs(model.client_column.size());
  for (size_t i = 0; i < inputs.size(); ++i) inputs[i] = values[model.client_column[i]];
  CREDO_ASSIGN_OR_RETURN(std::vector<float> p, model.bundle.model->predict({inputs.data(), 1, inputs.size()}));
  Score score;
  score.client_id = client_id;
  score.probability = p[0];
  score.threshold = model.bundle.info.threshold;
  score.refused = p[0] >= score.threshold;
  score.risk_band = risk_band(score.probability, score.threshold);
  return score;
}

}  // namespace credo::serve
