// The table of endpoints (examples as JSON text, checked against their schemas by the tests) and
// the path matching the server runs for each request.
#include "credo/serve/endpoint_catalog.h"

namespace credo::serve {
namespace {

EndpointParameter client_id_parameter() {
  return {"id", true, "integer", true, "the client's SK_ID_CURR", "100002"};
}

constexpr const char* kModelRef = R"("model": {"name": "credit-default", "version": 3, "alias": "champion"})";

std::string score_example(const std::string& client_id, const std::string& extra = "") {
  return R"({"client_id": )" + client_id +
         R"(, "probability": 0.4127, "decision": "REFUSED", "threshold": 0.31, "distance_to_threshold": 0.1027, "risk_band": "high", )" +
         kModelRef + R"(, "request_id": "3f2a9c0d1e7b4a55")" + extra + "}";
}

std::string explanation_example(const std::string& extra = "") {
  return R"({"client_id": 100002, "probability": 0.4127, "decision": "REFUSED", "threshold": 0.31,
 "base_value": {"log_odds": -2.44, "probability": 0.0802}, "log_odds": -0.354,
 "reasons_toward_refusal": [{"feature": "EXT_SOURCE_3", "description": "Normalized score from external data source",
   "value": 0.139, "contribution_log_odds": 0.912, "contribution_probability": 0.071,
   "sentence": "A low external score (0.139) raises the risk."}],
 "reasons_toward_acceptance": [{"feature": "DAYS_EMPLOYED", "description": "How many days before the application the person started current employment",
   "value": -4120, "contribution_log_odds": -0.231, "contribution_probability": -0.018,
   "sentence": "Eleven years in the current job lowers the risk."}],
 )" + std::string(kModelRef) + R"(, "request_id": "3f2a9c0d1e7b4a55")" + extra + "}";
}

constexpr const char* kApplicationExample =
    R"({"application": {"AMT_INCOME_TOTAL": 202500, "AMT_CREDIT": 406597.5, "AMT_ANNUITY": 24700.5, "DAYS_BIRTH": -9461, "DAYS_EMPLOYED": -637, "CODE_GENDER": "M", "NAME_CONTRACT_TYPE": "Cash loans"}, "history": {"bureau": [{"CREDIT_ACTIVE": "Closed", "DAYS_CREDIT": -1437, "AMT_CREDIT_SUM": 91323}]}})";

std::vector<Endpoint> build_catalog() {
  const std::vector<int> kNone = {};
  std::vector<Endpoint> all;
  // Operations: no token, for probes, scrapers and people reading the docs.
  all.push_back({"GET", "/health", Role::kNone, "operations", "Liveness: the process answers",
                 "Answers as long as the server runs, whether or not a model is loaded.", {}, "", "", 200,
                 "application/json", "Health", R"({"status": "ok"})", kNone});
  all.push_back({"GET", "/ready", Role::kNone, "operations", "Readiness: a model is loaded and scores",
                 "503 until the model and the client store are loaded; load balancers send traffic only when ready.",
                 {}, "", "", 200, "application/json", "Ready",
                 R"({"status": "ready", "model": "models:/credit-default@champion", "version": 3})", {503}});
  all.push_back({"GET", "/version", Role::kRead, "operations", "credo's version and the model served",
                 "The program's version and the registered model version answering now.", {}, "", "", 200,
                 "application/json", "Version",
                 R"({"credo": "0.1.0", "model": {"name": "credit-default", "version": 3, "alias": "champion"}})", kNone});
  all.push_back({"GET", "/ping", Role::kNone, "operations", "MLflow's liveness probe",
                 "An empty 200, as MLflow's scoring server answers.", {}, "", "", 200, "", "", "", kNone});
  all.push_back({"GET", "/metrics", Role::kNone, "operations", "Prometheus metrics",
                 "Requests and latency by route, decisions, errors by code, the prediction log, the model served and "
                 "its reloads, in Prometheus' text format 0.0.4.",
                 {}, "", "", 200, "text/plain; version=0.0.4; charset=utf-8", "",
                 "# HELP credo_decisions_total Scoring decisions, by decision.\n# TYPE credo_decisions_total counter\n"
                 "credo_decisions_total{decision=\"ACCEPTED\"} 1520\ncredo_decisions_total{decision=\"REFUSED\"} 211\n",
                 kNone});
  all.push_back({"GET", "/openapi.json", Role::kNone, "operations", "This API as an OpenAPI 3.0.3 document",
                 "Generated from the same table as the server's routes and this documentation.", {}, "", "", 200,
                 "application/json", "", R"({"openapi": "3.0.3", "info": {"title": "credo scoring API", "version": "0.1.0"}})",
                 kNone});
  all.push_back({"GET", "/docs", Role::kNone, "operations", "This documentation as one HTML page",
                 "Self-contained: no script, style sheet or font is fetched.", {}, "", "", 200,
                 "text/html; charset=utf-8", "", "<!DOCTYPE html>\n<html lang=\"en\">...</html>", kNone});

  // The officers' dashboard: open like /docs (the page and its assets hold no client data, and a
  // browser opening a page sends no bearer token); the API calls the page makes are checked.
  all.push_back({"GET", "/", Role::kNone, "dashboard", "The officers' dashboard",
                 "Find a client, see the score, the decision and the reasons in words and charts. The page calls only "
                 "this API; with a token file it asks for a token once per browser session.",
                 {}, "", "", 200, "text/html; charset=utf-8", "",
                 "<!DOCTYPE html>\n<html lang=\"en\">...</html>", kNone});
  all.push_back({"GET", "/assets/{name}", Role::kNone, "dashboard", "The dashboard's script and style sheet",
                 "Named by a hash of their content (the page at / names the current ones), so they are cached for a "
                 "year as immutable.",
                 {{"name", true, "string", true, "the asset's name, as the page links it", "dashboard.3f2a9c0d1e7b4a55.js"}},
                 "", "", 200, "text/javascript; charset=utf-8", "", "(the bundled script)", {404}});

  // The model.
  all.push_back({"GET", "/api/v1/model", Role::kRead, "model", "The model served: how it was trained and decides",
                 "Its registry entry, algorithm, class-imbalance handling, the cost matrix and the threshold that "
                 "minimises it, cross-validation and hold-out metrics, and every input feature with its description.",
                 {}, "", "", 200, "application/json", "ModelInfo",
                 R"({"name": "credit-default", "version": 3, "alias": "champion", "uri": "models:/credit-default@champion",
 "run_id": "9b1c2d3e4f5a6b7c", "algorithm": "xgboost", "imbalance": "class weights", "threshold": 0.31,
 "decision_rule": "REFUSED when probability >= threshold",
 "cost_matrix": {"false_negative": 10, "false_positive": 1, "true_positive": 0, "true_negative": 0},
 "metrics": {"cv": {"auc": 0.781, "business_cost": 0.482}, "holdout": {"auc": 0.776, "business_cost": 0.49}},
 "trained": "2026-11-29T18:02:11Z", "clients": 356255,
 "inputs": [{"name": "EXT_SOURCE_3", "type": "float", "table": "application", "description": "Normalized score from external data source"}]})",
                 kNone});
  all.push_back({"GET", "/api/v1/importance", Role::kRead, "explanations", "The features that weigh most overall",
                 "Global importance: the mean absolute SHAP value of each feature over the known clients, largest first.",
                 {{"top", false, "integer", false, "how many features (default 20)", "20"}}, "", "", 200,
                 "application/json", "Importance",
                 R"({"method": "mean |SHAP| over clients", "features": [{"feature": "EXT_SOURCE_3", "description": "Normalized score from external data source", "importance": 0.412, "share": 0.118}]})",
                 {400}});

  // Scoring.
  all.push_back({"GET", "/api/v1/clients/{id}/score", Role::kRead, "scoring", "A known client's score and decision",
                 "The probability of default of a client in the client store, the decision against the model's "
                 "threshold and a risk band.",
                 {client_id_parameter()}, "", "", 200, "application/json", "Score", score_example("100002"), {400, 404}});
  all.push_back({"POST", "/api/v1/score", Role::kScore, "scoring", "Score a new application, or a what-if",
                 "A new application (its application fields and, optionally, its history in the other tables) is "
                 "turned into the model's features the way training did; a known client_id with changed application "
                 "fields scores the what-if and lists the fields that changed.",
                 {}, "ScoreRequest", kApplicationExample, 200, "application/json", "Score", score_example("null"),
                 {400, 404, 413, 415, 422}});
  all.push_back({"POST", "/api/v1/score/batch", Role::kScore, "scoring", "Score up to 1000 applications at once",
                 "Each item is what POST /api/v1/score takes; results come in the same order. An item that cannot be "
                 "scored fails the batch with 422 naming its index.",
                 {}, "BatchScoreRequest",
                 R"({"applications": [{"client_id": 100002}, {"client_id": 100003, "application": {"AMT_CREDIT": 300000}}]})",
                 200, "application/json", "BatchScoreResponse",
                 "{\"results\": [" + score_example("100002") + ", " +
                     score_example("100003", R"(, "changed_fields": ["AMT_CREDIT"])") + "]}",
                 {400, 404, 413, 415, 422}});
  all.push_back({"POST", "/invocations", Role::kScore, "scoring", "MLflow's scoring protocol",
                 "The body MLflow's model server takes (dataframe_split, dataframe_records, instances or inputs) with "
                 "the model's input features as columns; answers the probabilities of default.",
                 {}, "InvocationsRequest",
                 R"({"dataframe_split": {"columns": ["EXT_SOURCE_3", "AMT_CREDIT"], "data": [[0.139, 406597.5], [0.51, 1293502.5]]}})",
                 200, "application/json", "InvocationsResponse", R"({"predictions": [0.4127, 0.0615]})",
                 {400, 413, 415, 422}});

  // Explanations.
  all.push_back({"GET", "/api/v1/clients/{id}/explanation", Role::kRead, "explanations",
                 "Why a known client gets its decision",
                 "The features that pushed the probability toward refusal and toward acceptance (exact TreeSHAP "
                 "contributions in log-odds), each with its value and a sentence.",
                 {client_id_parameter(),
                  {"top", false, "integer", false, "reasons listed on each side (default 5)", "5"},
                  {"all", false, "boolean", false, "also list every feature's contribution", "false"}},
                 "", "", 200, "application/json", "Explanation", explanation_example(), {400, 404}});
  all.push_back({"POST", "/api/v1/explanation", Role::kScore, "explanations",
                 "Why a new application or a what-if gets its decision",
                 "The body of POST /api/v1/score; the answer of GET /api/v1/clients/{id}/explanation.",
                 {{"top", false, "integer", false, "reasons listed on each side (default 5)", "5"},
                  {"all", false, "boolean", false, "also list every feature's contribution", "true"}},
                 "ScoreRequest", R"({"client_id": 100002, "application": {"AMT_CREDIT": 300000}})", 200,
                 "application/json", "Explanation",
                 explanation_example(R"(, "contributions": {"EXT_SOURCE_3": 0.912, "DAYS_EMPLOYED": -0.231})"),
                 {400, 404, 413, 415, 422}});

  // Clients and their population.
  all.push_back({"GET", "/api/v1/clients/{id}", Role::kRead, "clients", "A client's descriptive information",
                 "The client's main application fields with their labels and descriptions, and the known outcome.",
                 {client_id_parameter()}, "", "", 200, "application/json", "ClientInfo",
                 R"({"client_id": 100002, "fields": [{"name": "AMT_INCOME_TOTAL", "label": "Income", "value": 202500, "description": "Income of the client"},
 {"name": "CODE_GENDER", "label": "Gender", "value": "M", "description": "Gender of the client"}], "outcome": "defaulted"})",
                 {400, 404}});
  all.push_back({"GET", "/api/v1/clients", Role::kRead, "clients", "Known clients whose number starts with some digits",
                 "The dashboard's suggestions as an officer types a client number: the smallest matching SK_ID_CURR "
                 "first, and how many match in all.",
                 {{"prefix", false, "string", true, "the first digits of an SK_ID_CURR (1 to 18)", "10000"},
                  {"limit", false, "integer", false, "how many clients at most (default 10, at most 50)", "10"}},
                 "", "", 200, "application/json", "ClientSearch",
                 R"({"prefix": "10000", "clients": [100002, 100003, 100004], "total": 98})", {400}});
  all.push_back({"GET", "/api/v1/clients/{id}/similar", Role::kRead, "clients", "Clients most like this one",
                 "The nearest known clients on the most important features (standardised), with their outcomes and "
                 "the share of them who defaulted.",
                 {client_id_parameter(), {"k", false, "integer", false, "how many neighbours (default 10)", "10"}}, "",
                 "", 200, "application/json", "Similar",
                 R"({"client_id": 100002, "features_compared": ["EXT_SOURCE_3", "EXT_SOURCE_2", "DAYS_BIRTH"],
 "neighbours": [{"client_id": 215734, "distance": 0.083, "outcome": "repaid"}, {"client_id": 118402, "distance": 0.091, "outcome": "defaulted"}],
 "default_share": 0.5})",
                 {400, 404}});
  all.push_back({"GET", "/api/v1/population", Role::kRead, "clients", "How a feature is distributed among clients",
                 "A histogram (numeric feature) or the levels (categorical) of one feature over the known clients, "
                 "optionally filtered, with each bin's default rate and where a given client stands.",
                 {{"feature", false, "string", true, "the feature's name", "AMT_INCOME_TOTAL"},
                  {"filter", false, "string", false, "comma-separated FEATURE:LEVEL or FEATURE:FROM-TO conditions",
                   "CODE_GENDER:F,AGE:30-40"},
                  {"client", false, "integer", false, "a client to place in the distribution", "100002"},
                  {"bins", false, "integer", false, "histogram bins (default 20)", "20"}},
                 "", "", 200, "application/json", "Population",
                 R"({"feature": "AMT_INCOME_TOTAL", "description": "Income of the client", "clients": 48213, "missing": 0,
 "bins": [{"from": 25650, "to": 112500, "count": 15210, "default_rate": 0.091}, {"from": 112500, "to": 202500, "count": 24001, "default_rate": 0.082}],
 "client": {"value": 202500, "bin": 1, "percentile": 0.78}})",
                 {400, 404}});

  // Administration.
  all.push_back({"POST", "/api/v1/outcomes", Role::kAdmin, "administration", "Record a client's observed outcome",
                 "Whether a client defaulted, for monitoring the model's accuracy over time; recording again corrects.",
                 {}, "OutcomeRequest", R"({"client_id": 100002, "defaulted": true, "observed_at": "2026-11-30"})", 201,
                 "application/json", "OutcomeRecorded", R"({"client_id": 100002, "recorded": true})",
                 {400, 404, 413, 415, 422}});
  all.push_back({"POST", "/admin/reload", Role::kAdmin, "administration", "Serve the version the model URI names now",
                 "After an alias moved (models:/credit-default@champion), loads the new version and swaps it in; "
                 "requests in flight finish on the old one. A failed load keeps the old version.",
                 {}, "", "", 200, "application/json", "ReloadResult",
                 R"({"reloaded": true, "from_version": 3, "to_version": 4})", {500, 503}});
  // Any other method on a known path is answered 405 with the methods it has in Allow.
  for (Endpoint& endpoint : all) endpoint.error_statuses.push_back(405);
  return all;
}

// Whether `path` matches `pattern`, segment by segment; "{...}" matches one non-empty segment.
// The literal part before the first "{" is compared first: most endpoints fail there at once.
bool path_matches(std::string_view pattern, std::string_view path) {
  if (!path.starts_with(pattern.substr(0, pattern.find('{')))) return false;
  while (!pattern.empty() && !path.empty()) {
    size_t pattern_end = std::min(pattern.find('/', 1), pattern.size());
    size_t path_end = std::min(path.find('/', 1), path.size());
    std::string_view pattern_segment = pattern.substr(0, pattern_end), path_segment = path.substr(0, path_end);
    bool parameter = pattern_segment.size() > 2 && pattern_segment[1] == '{';
    if (parameter ? path_segment.size() < 2 : pattern_segment != path_segment) return false;
    pattern.remove_prefix(pattern_end);
    path.remove_prefix(path_end);
  }
  return pattern.empty() && path.empty();
}

}  // namespace

const std::vector<Endpoint>& endpoint_catalog() {
  static const std::vector<Endpoint> catalog = build_catalog();
  return catalog;
}

std::optional<size_t> find_endpoint(std::string_view method, std::string_view path) {
  const std::vector<Endpoint>& catalog = endpoint_catalog();
  for (size_t i = 0; i < catalog.size(); ++i)
    if (catalog[i].method == method && path_matches(catalog[i].path, path)) return i;
  return std::nullopt;
}

bool path_is_known(std::string_view path) {
  for (const Endpoint& endpoint : endpoint_catalog())
    if (path_matches(endpoint.path, path)) return true;
  return false;
}

std::vector<std::string> path_parameters(const Endpoint& endpoint, std::string_view path) {
  std::vector<std::string> values;
  std::string_view pattern = endpoint.path;
  while (!pattern.empty() && !path.empty()) {
    size_t pattern_end = std::min(pattern.find('/', 1), pattern.size());
    size_t path_end = std::min(path.find('/', 1), path.size());
    if (pattern_end > 2 && pattern[1] == '{') values.emplace_back(path.substr(1, path_end - 1));
    pattern.remove_prefix(pattern_end);
    path.remove_prefix(path_end);
  }
  return values;
}

std::vector<RouteLabel> route_labels() {
  std::vector<RouteLabel> labels;
  for (const Endpoint& endpoint : endpoint_catalog()) labels.push_back({endpoint.method, endpoint.path});
  return labels;
}

}  // namespace credo::serve
