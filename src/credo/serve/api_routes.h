// Inside the API server (not a public header): what every route handler shares — the service,
// the store, the prediction log, the client population — and the helpers that answer JSON and
// errors the one way the API does. The routes are installed by topic, one file each:
// api_scoring_routes.cc (scores, explanations, MLflow's /invocations), api_client_routes.cc (the
// model, importance, clients, population, similar) and api_admin_routes.cc (reload, outcomes).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "credo/base/json_writer.h"
#include "credo/base/status.h"
#include "credo/serve/api_server.h"
#include "credo/serve/http_message.h"
#include "credo/serve/prediction_log.h"
#include "credo/serve/scoring_service.h"

namespace credo::serve::api {

using json = nlohmann::json;
using Handler = std::function<void(const HttpRequest&, HttpResponse&)>;

// The facts of the request the calling thread is serving (its id, route and caller), from its
// head to its access-log line.
RequestFacts& current_request();

struct ApiContext {
  ScoringService& service;
  store::Store& store;  // outcomes are recorded here
  ServerOptions options;
  PredictionLog* log = nullptr;
  // Adds an endpoint: `pattern` is the catalogue's ("/api/v1/clients/{id}/score"); the handler
  // runs after the caller's token was checked against the endpoint's role.
  std::function<void(const char* method, const char* pattern, Handler handler)> route;
  // Records a scoring answer before it is sent (an acknowledged prediction is in the log's queue);
  // false when the service is stopping.
  std::function<bool(const ServedModel&, const Score&, const char* kind, std::vector<float> features)> record;
  // Loads the version the model URI names now and swaps it in when it differs (or always with
  // `force`); the answer says from which version to which.
  std::function<StatusOr<json>(bool force)> reload;
};

void send_json(HttpResponse& res, int status, const json& body);
// {"error": {"status", "code", "message", "request_id"}}.
void send_error(HttpResponse& res, int status, const std::string& message);
// A Status from the service: NotFound 404, InvalidArgument 422, ParseError 400,
// FailedPrecondition 503; anything else 500 said without details.
void send_status(HttpResponse& res, const Status& status);

// The request body as JSON: a ParseError naming the position when it is not JSON, an
// InvalidArgument naming the path of a number beyond a 64-bit float (json_body.h).
StatusOr<json> parse_json_body(const HttpRequest& req);
// Malformed paths and queries are ParseErrors (400); a body that parses but is wrong is an
// InvalidArgument (422).
// A path segment that must be a client id (SK_ID_CURR).
StatusOr<int64_t> parse_client_id(const std::string& text, const std::string& what);
// A query parameter that must be a whole number in [low, high]; `fallback` when absent.
StatusOr<int64_t> query_int(const HttpRequest& req, const char* name, int64_t fallback, int64_t low, int64_t high);
// A query parameter that must be true/false/1/0; false when absent.
StatusOr<bool> query_bool(const HttpRequest& req, const char* name);

// A JSON text already written (by a JsonWriter: the hot answers are not built as trees).
void send_json_text(HttpResponse& res, int status, std::string body);
// The model fields every answer carries: {name, version, alias}.
json model_ref_json(const ServedModel& model);
// The members of a score answer (client_id, probability, decision, threshold,
// distance_to_threshold, risk_band, model, request_id), into the object being written.
void write_score_fields(JsonWriter& out, const Score& score, const ServedModel& model);

void install_scoring_routes(ApiContext& context);
void install_client_routes(ApiContext& context);
void install_admin_routes(ApiContext& context);
// The dashboard's page and assets (api_web_routes.cc).
void install_web_routes(ApiContext& context);

}  // namespace credo::serve::api
