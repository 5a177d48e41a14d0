// Loading a served version (bundle, row scorer, client store, column alignments, the known
// clients' contributions, the online feature code) and scoring, deciding and explaining.
#include "credo/serve/scoring_service.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "credo/data/homecredit_loader.h"
#include "credo/features/source_data.h"
#include "credo/store/model_uri.h"

namespace credo::serve {
namespace {

// For each of `wanted`, its index among `available` by name; an error names the first missing.
StatusOr<std::vector<int32_t>> columns_by_name(const std::vector<FeatureInfo>& wanted,
                                               const std::vector<FeatureInfo>& available, const std::string& where,
                                               const std::string& model_uri) {
  std::unordered_map<std::string, int32_t> index;
  for (size_t c = 0; c < available.size(); ++c) index.emplace(available[c].name, static_cast<int32_t>(c));
  std::vector<int32_t> columns;
  columns.reserve(wanted.size());
  for (const FeatureInfo& f : wanted) {
    auto it = index.find(f.name);
    if (it == index.end()) return Status::InvalidArgument(where + " has no feature '" + f.name + "', an input of " + model_uri);
    columns.push_back(it->second);
  }
  return columns;
}

// The row of a known client in the client store, or NotFound naming the id.
StatusOr<size_t> known_client_row(const ServedModel& model, int64_t client_id) {
  std::optional<size_t> row = model.clients->find(client_id);
  if (!row) return Status::NotFound("client " + std::to_string(client_id) + " is not known");
  return *row;
}

// The model's inputs of the client at `row`, in the model's order, into `out`.
void gather_client_inputs(const ServedModel& model, size_t row, float* out) {
  const float* values = model.clients->matrix().row(row);
  for (size_t i = 0; i < model.client_column.size(); ++i) out[i] = values[model.client_column[i]];
}

}  // namespace

StatusOr<std::unique_ptr<ScoringService>> ScoringService::open(store::Store& store, const std::string& model_uri,
                                                               ServiceOptions options) {
  std::unique_ptr<ScoringService> service(new ScoringService(model_uri, std::move(options)));
  CREDO_ASSIGN_OR_RETURN(std::shared_ptr<const ServedModel> model, service->load(store));
  service->swap(std::move(model));
  return service;
}

StatusOr<int> ScoringService::resolve_version(store::Store& store) const {
  CREDO_ASSIGN_OR_RETURN(store::ResolvedModel resolved, store::resolve_model_uri(store, model_uri_));
  return resolved.version ? static_cast<int>(resolved.version->version) : 0;
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
  const size_t n = model->num_features();
  CREDO_ASSIGN_OR_RETURN(model->scorer, model->bundle.model->row_scorer(n));

  std::string features = options_.features_path;
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
  CREDO_ASSIGN_OR_RETURN(model->client_column,
                         columns_by_name(model->features(), clients.matrix().features(), features, model_uri_));
  model->client_columns_in_order = model->client_column.size() == clients.matrix().num_features();
  for (size_t i = 0; i < n && model->client_columns_in_order; ++i)
    model->client_columns_in_order = model->client_column[i] == static_cast<int32_t>(i);
  model->clients = std::make_shared<const ClientStore>(std::move(clients));

  // The online feature code the model's features were built with (none when the feature file
  // came from elsewhere: then only known clients can be scored).
  const nlohmann::json& spec = model->bundle.info.feature_pipeline;
  if (spec.is_object() && spec.contains("spec")) {
    CREDO_ASSIGN_OR_RETURN(FeaturePipeline pipeline, FeaturePipeline::from_metadata(
                                                         spec, (resolved.dir / "features.json").string() + " (pipeline)"));
    CREDO_ASSIGN_OR_RETURN(model->pipeline_column, columns_by_name(model->features(), pipeline.features(),
                                                                   "the model's feature pipeline", model_uri_));
    model->pipeline = std::make_shared<const FeaturePipeline>(std::move(pipeline));
  }
  for (const FeatureInfo& f : model->features()) model->from_application.push_back(f.table == "application");

  // Every known client's contributions: computed once per version and feature file (by credo
  // train when it registered the version), then read from the store.
  train::ContributionSource source;
  source.scorer = model->scorer.get();
  source.clients = &model->clients->matrix();
  source.client_column = model->client_column;
  source.used = train::contributing_features(*model->bundle.model, n);
  for (const FeatureInfo& f : model->features()) source.feature_names.push_back(f.name);
  source.cache_key = train::contributions_cache_key(model->name, model->version, model->run_id, model->clients->path());
  std::filesystem::path cache;
  if (options_.cache_contributions && model->version > 0)
    cache = train::contributions_cache_file(store.root(), model->name, model->version);
  CREDO_ASSIGN_OR_RETURN(train::ClientContributions contributions,
                         train::ClientContributions::load_or_compute(source, cache, options_.threads, options_.progress));
  model->contributions = std::make_shared<const train::ClientContributions>(std::move(contributions));

  // The raw applications: for describing clients, the population and what-ifs.
  std::string data = options_.data_path;
  if (data.empty()) {
    std::optional<std::string> recorded = source_data_of(model->clients->matrix());
    std::error_code ec;
    if (recorded && std::filesystem::exists(*recorded, ec)) data = *recorded;
  }
  if (!data.empty()) {
    CREDO_ASSIGN_OR_RETURN(model->profiles, profiles_of(data));
    PopulationOptions population;
    // The nearest clients are found by the model's most important inputs that are numbers.
    const std::vector<double>& importance_by_shap = model->contributions->mean_abs();
    std::vector<size_t> order(n);
    for (size_t i = 0; i < n; ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return importance_by_shap[a] > importance_by_shap[b]; });
    for (size_t i : order) {
      if (population.similarity_features.size() >= options_.similarity_features || importance_by_shap[i] <= 0) break;
      if (is_indicator(model->features()[i])) continue;  // indicators say little of nearness
      population.similarity_features.push_back(model->features()[i].name);
    }
    std::shared_ptr<const FeatureMatrix> matrix(model->clients, &model->clients->matrix());
    CREDO_ASSIGN_OR_RETURN(std::unique_ptr<Population> built,
                           Population::create(std::move(matrix), model->profiles, std::move(population)));
    model->population = std::move(built);
  }
  return std::shared_ptr<const ServedModel>(std::move(model));
}

StatusOr<std::shared_ptr<const ClientProfiles>> ScoringService::profiles_of(const std::string& data_path) const {
  std::lock_guard lock(profiles_mutex_);
  if (profiles_ && profiles_path_ == data_path) return profiles_;
  CREDO_ASSIGN_OR_RETURN(HomeCreditSource source, HomeCreditSource::open(data_path));
  CREDO_ASSIGN_OR_RETURN(ClientProfiles profiles, ClientProfiles::load(source, {.progress = options_.progress}));
  profiles_ = std::make_shared<const ClientProfiles>(std::move(profiles));
  profiles_path_ = data_path;
  return profiles_;
}

Score ScoringService::decide(const ServedModel& model, double margin, int64_t client_id) const {
  Score score;
  score.client_id = client_id;
  score.log_odds = margin;
  score.probability = train::probability_of_margin(margin);
  score.threshold = model.bundle.info.threshold;
  train::Decision decision = train::decide(score.probability, score.threshold);
  score.refused = decision.refused;
  score.risk_band = decision.band;
  return score;
}

StatusOr<Score> ScoringService::score_inputs(const ServedModel& model, const float* inputs, int64_t client_id) const {
  CREDO_ASSIGN_OR_RETURN(double margin, model.scorer->margin(inputs));
  return decide(model, margin, client_id);
}

StatusOr<Score> ScoringService::score_client(const ServedModel& model, int64_t client_id) const {
  CREDO_ASSIGN_OR_RETURN(size_t row, known_client_row(model, client_id));
  if (model.client_columns_in_order) return score_inputs(model, model.clients->matrix().row(row), client_id);
  // A feature file with other columns than the model's: gathered into this thread's buffer.
  thread_local std::vector<float> inputs;
  inputs.resize(model.client_column.size());
  gather_client_inputs(model, row, inputs.data());
  return score_inputs(model, inputs.data(), client_id);
}

StatusOr<std::vector<float>> ScoringService::inputs_of_client(const ServedModel& model, int64_t client_id) const {
  CREDO_ASSIGN_OR_RETURN(size_t row, known_client_row(model, client_id));
  std::vector<float> inputs(model.client_column.size());
  gather_client_inputs(model, row, inputs.data());
  return inputs;
}

StatusOr<std::vector<float>> ScoringService::inputs_of_application(const ServedModel& model, ClientRows rows,
                                                                   std::optional<int64_t> known_client) const {
  if (!model.pipeline)
    return Status::FailedPrecondition("model " + model.uri +
                                      " was trained on features credo's feature pipeline did not build: only known "
                                      "clients can be scored");
  std::vector<float> base;
  if (known_client) {
    CREDO_ASSIGN_OR_RETURN(base, inputs_of_client(model, *known_client));
  }
  CREDO_ASSIGN_OR_RETURN(std::vector<double> computed, model.pipeline->compute_client(std::move(rows)));
  std::vector<float> inputs(model.num_features());
  for (size_t i = 0; i < inputs.size(); ++i)
    inputs[i] = known_client && !model.from_application[i] ? base[i]
                                                            : static_cast<float>(computed[model.pipeline_column[i]]);
  return inputs;
}

StatusOr<ScoringService::Explained> ScoringService::explain_client(const ServedModel& model, int64_t client_id,
                                                                   size_t top) const {
  CREDO_ASSIGN_OR_RETURN(size_t row, known_client_row(model, client_id));
  Explained out;
  out.inputs.resize(model.client_column.size());
  gather_client_inputs(model, row, out.inputs.data());
  CREDO_ASSIGN_OR_RETURN(out.score, score_inputs(model, out.inputs.data(), client_id));
  out.contributions.resize(model.num_features() + 1);
  model.contributions->contributions(row, out.contributions.data());
  out.explanation = explain(out.contributions, out.inputs.data(), out.score.log_odds, top);
  return out;
}

StatusOr<ScoringService::Explained> ScoringService::explain_inputs(const ServedModel& model, std::vector<float> inputs,
                                                                   int64_t client_id, size_t top) const {
  Explained out;
  out.inputs = std::move(inputs);
  CREDO_ASSIGN_OR_RETURN(out.score, score_inputs(model, out.inputs.data(), client_id));
  out.contributions.resize(model.num_features() + 1);
  CREDO_RETURN_IF_ERROR(model.scorer->contributions(out.inputs.data(), out.contributions.data()));
  out.explanation = explain(out.contributions, out.inputs.data(), out.score.log_odds, top);
  return out;
}

}  // namespace credo::serve
