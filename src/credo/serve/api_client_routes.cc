// The routes that describe rather than score: the model served, the global importance, a known
// client's description, the population a client is compared with, and the nearest clients.
#include <algorithm>
#include <numeric>

#include "credo/serve/api_routes.h"

namespace credo::serve::api {
namespace {

constexpr int64_t kDefaultImportanceTop = 20;

json model_json(const ServedModel& model) {
  const train::BundleInfo& info = model.bundle.info;
  json inputs = json::array();
  for (const FeatureInfo& f : info.features)
    inputs.push_back({{"name", f.name}, {"type", "float"}, {"table", f.table}, {"description", f.description}});
  return {{"name", model.name},
          {"version", model.version},
          {"alias", model.alias},
          {"uri", model.uri},
          {"run_id", model.run_id},
          {"algorithm", info.algorithm},
          {"imbalance", info.imbalance},
          {"threshold", info.threshold},
          {"decision_rule", train::kDecisionRule},
          {"cost_matrix",
           {{"false_negative", info.cost.false_negative},
            {"false_positive", info.cost.false_positive},
            {"true_positive", info.cost.true_positive},
            {"true_negative", info.cost.true_negative}}},
          {"metrics", info.metrics},
          {"trained", info.created_utc},
          {"clients", model.clients->num_clients()},
          {"posted_applications", model.pipeline != nullptr},
          {"inputs", inputs}};
}

// Mean |SHAP| over every known client, largest first, with each feature's share of the total.
json importance_json(const ServedModel& model, size_t top) {
  const std::vector<double>& mean_abs = model.contributions->mean_abs();
  std::vector<size_t> order(mean_abs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return mean_abs[a] > mean_abs[b]; });
  double total = std::accumulate(mean_abs.begin(), mean_abs.end(), 0.0);
  json features = json::array();
  for (size_t j = 0; j < std::min(top, order.size()) && mean_abs[order[j]] > 0; ++j) {
    const FeatureInfo& f = model.features()[order[j]];
    features.push_back({{"feature", f.name},
                        {"description", f.description},
                        {"table", f.table},
                        {"importance", mean_abs[order[j]]},
                        {"share", total > 0 ? mean_abs[order[j]] / total : 0.0}});
  }
  return {{"method", "mean |SHAP| (log-odds) over the known clients"},
          {"clients", model.clients->num_clients()},
          {"features", std::move(features)},
          {"model", model_ref_json(model)}};
}

// The client population's endpoints need the raw applications (credo serve --data).
bool has_population(const ServedModel& model, HttpResponse& res) {
  if (model.population) return true;
  send_error(res, 503, "the known clients' applications are not loaded: start credo serve with --data");
  return false;
}

}  // namespace

void install_client_routes(ApiContext& context) {
  ScoringService& service = context.service;

  context.route("GET", "/api/v1/model", [&](const HttpRequest&, HttpResponse& res) {
    send_json(res, 200, model_json(*service.current()));
  });

  context.route("GET", "/api/v1/importance", [&](const HttpRequest& req, HttpResponse& res) {
    std::shared_ptr<const ServedModel> model = service.current();
    StatusOr<int64_t> top = query_int(req, "top", kDefaultImportanceTop, 1, static_cast<int64_t>(model->num_features()));
    if (!top.ok()) return send_status(res, top.status());
    send_json(res, 200, importance_json(*model, static_cast<size_t>(*top)));
  });

  context.route("GET", "/api/v1/clients/{id}", [&](const HttpRequest& req, HttpResponse& res) {
    StatusOr<int64_t> id = parse_client_id(req.matches[1], "client id");
    if (!id.ok()) return send_status(res, id.status());
    std::shared_ptr<const ServedModel> model = service.current();
    if (!has_population(*model, res)) return;
    StatusOr<json> described = model->profiles->describe(*id);
    if (!described.ok()) return send_status(res, described.status());
    send_json(res, 200, *described);
  });

  context.route("GET", "/api/v1/population", [&](const HttpRequest& req, HttpResponse& res) {
    std::shared_ptr<const ServedModel> model = service.current();
    if (!has_population(*model, res)) return;
    if (!req.has_param("feature")) return send_error(res, 422, "query: give feature=NAME (an input of the model or an application field)");
    std::optional<int64_t> client;
    if (req.has_param("client")) {
      StatusOr<int64_t> id = parse_client_id(req.get_param_value("client"), "query client");
      if (!id.ok()) return send_status(res, id.status());
      client = *id;
    }
    StatusOr<int64_t> bins = query_int(req, "bins", kDefaultBins, 2, kMaxBins);
    if (!bins.ok()) return send_status(res, bins.status());
    StatusOr<json> distribution = model->population->distribution(
        req.get_param_value("feature"), req.get_param_value("filter"), client, static_cast<int>(*bins));
    if (!distribution.ok()) return send_status(res, distribution.status());
    send_json(res, 200, *distribution);
  });

  context.route("GET", "/api/v1/clients/{id}/similar", [&](const HttpRequest& req, HttpResponse& res) {
    StatusOr<int64_t> id = parse_client_id(req.matches[1], "client id");
    if (!id.ok()) return send_status(res, id.status());
    StatusOr<int64_t> k = query_int(req, "k", 10, 1, kMaxSimilar);
    if (!k.ok()) return send_status(res, k.status());
    std::shared_ptr<const ServedModel> model = service.current();
    if (!has_population(*model, res)) return;
    StatusOr<json> similar = model->population->similar(*id, static_cast<int>(*k));
    if (!similar.ok()) return send_status(res, similar.status());
    send_json(res, 200, *similar);
  });
}

}  // namespace credo::serve::api
