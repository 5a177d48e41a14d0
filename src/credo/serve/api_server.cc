// The server around the routes: request ids (answered in X-Request-Id and in error bodies), the
// checks a request's head decides before any body is read (the endpoint, 404/405, the
// bearer-token check against each endpoint's role in the catalogue, the content type), one
// access-log line and one metrics observation per request, the JSON helpers every route answers
// with, and the model reload. Errors are {"error": {"status", "code", "message", "request_id"}}
// with messages meant for the caller, never internals.
#include "credo/serve/api_server.h"

#include <atomic>
#include <charconv>
#include <chrono>
#include <mutex>
#include <random>

#include <nlohmann/json.hpp>

#include "credo/base/random.h"
#include "credo/base/text.h"
#include "credo/base/version.h"
#include "credo/serve/access_log.h"
#include "credo/serve/api_routes.h"
#include "credo/serve/endpoint_catalog.h"
#include "credo/serve/error_codes.h"
#include "credo/serve/json_body.h"
#include "credo/serve/openapi.h"
#include "credo/serve/service_metrics.h"

namespace credo::serve {
namespace api {

namespace {
thread_local RequestFacts* current_facts = nullptr;
}  // namespace

RequestFacts& current_request() {
  thread_local RequestFacts none;
  return current_facts ? *current_facts : none;
}

// Makes `facts` the calling thread's current request while in scope.
class CurrentRequest {
 public:
  explicit CurrentRequest(RequestFacts& facts) : previous_(current_facts) { current_facts = &facts; }
  ~CurrentRequest() { current_facts = previous_; }

 private:
  RequestFacts* previous_;
};

void send_json(HttpResponse& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void send_json_text(HttpResponse& res, int status, std::string body) {
  res.status = status;
  res.body = std::move(body);
  res.set_header("Content-Type", "application/json");
}

void send_error(HttpResponse& res, int status, const std::string& message) {
  send_json(res, status,
            {{"error",
              {{"status", status},
               {"code", error_code_for_status(status)},
               {"message", message},
               {"request_id", current_request().request_id}}}});
}

void send_status(HttpResponse& res, const Status& status) {
  int http = 500;
  switch (status.code()) {
    case StatusCode::kNotFound: http = 404; break;
    case StatusCode::kInvalidArgument: http = 422; break;
    case StatusCode::kParseError: http = 400; break;
    case StatusCode::kFailedPrecondition: http = 503; break;
    default: http = 500;
  }
  send_error(res, http, http == 500 ? "internal error" : status.message());
}

StatusOr<json> parse_json_body(const HttpRequest& req) { return parse_json_body_text(req.body); }

StatusOr<int64_t> parse_client_id(const std::string& text, const std::string& what) {
  int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id < 0)
    return Status::ParseError(what + " '" + cut_text(text, 40) + "' is not an SK_ID_CURR (a non-negative whole number)");
  return id;
}

StatusOr<int64_t> query_int(const HttpRequest& req, const char* name, int64_t fallback, int64_t low, int64_t high) {
  if (!req.has_param(name)) return fallback;
  std::string text = req.get_param_value(name);
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high)
    return Status::ParseError(std::string("query ") + name + ": expected a whole number from " + std::to_string(low) +
                                   " to " + std::to_string(high) + ", got '" + cut_text(text, 40) + "'");
  return value;
}

StatusOr<bool> query_bool(const HttpRequest& req, const char* name) {
  if (!req.has_param(name)) return false;
  std::string text = req.get_param_value(name);
  if (text == "true" || text == "1") return true;
  if (text == "false" || text == "0") return false;
  return Status::ParseError(std::string("query ") + name + ": expected true or false, got '" + cut_text(text, 40) + "'");
}

json model_ref_json(const ServedModel& model) {
  return {{"name", model.name}, {"version", model.version}, {"alias", model.alias}};
}

void write_score_fields(JsonWriter& out, const Score& score, const ServedModel& model) {
  out.key("client_id");
  if (score.client_id) out.integer(score.client_id);
  else out.null();
  out.field("probability", score.probability)
      .field("decision", train::decision_word(score.refused))
      .field("threshold", score.threshold)
      .field("distance_to_threshold", score.probability - score.threshold)
      .field("risk_band", score.risk_band)
      .key("model")
      .begin_object()
      .field("name", model.name)
      .field("version", model.version)
      .field("alias", model.alias)
      .end_object()
      .field("request_id", current_request().request_id);
}

}  // namespace api

using api::current_request;
using api::json;
using api::send_error;
using api::send_json;

constexpr uint64_t kRequestIdEpochMs = 1577836800000;  // 2020-01-01T00:00:00Z

namespace {

// "application/json; charset=utf-8" -> "application/json" (lower case).
std::string media_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  std::string lower(type);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower;
}

// The media types an endpoint's body may have: JSON, and CSV for MLflow's /invocations.
std::vector<std::string> accepted_media_types(const Endpoint& endpoint) {
  if (endpoint.path == "/invocations") return {"application/json", "text/csv"};
  return {"application/json"};
}

}  // namespace

struct ApiServer::Impl {
  ScoringService& service;
  store::Store& store;
  ServerOptions options;
  PredictionLog* log = nullptr;
  uint64_t id_seed = 0;
  std::atomic<uint64_t> next_request{0};
  std::unique_ptr<ServiceMetrics> metrics;
  std::mutex reload_mutex;
  std::unique_ptr<api::ApiContext> context;
  std::vector<api::Handler> routes;  // by catalogue index
  AccessLog access_log;
  std::unique_ptr<HttpServer> http;

  Impl(ScoringService& s, store::Store& st, ServerOptions o, PredictionLog* l)
      : service(s), store(st), options(std::move(o)), log(l), access_log(options.access_log) {
    // Request ids increase: the start time in milliseconds since 2020 (41 bits: until 2089) above
    // 22 random bits, plus a counter. The prediction log appends them to an index in order
    // (random ids cost a random B-tree insert each), and a restarted server's ids sort after the
    // previous one's.
    uint64_t start_ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  std::chrono::system_clock::now().time_since_epoch())
                                                  .count()) -
                        kRequestIdEpochMs;
    id_seed = (start_ms << 22) | (mix64(std::random_device{}() ^ start_ms) & ((uint64_t{1} << 22) - 1));
    std::vector<RouteLabel> labels = route_labels();
    PredictionLogReaders readers;
    if (log) {
      readers.logged = [l] { return l->written(); };
      readers.dropped = [l] { return l->failed(); };
      readers.queued = [l] { return static_cast<uint64_t>(l->queued()); };
      readers.retries = [l] { return l->retries(); };
    }
    double started = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    metrics = std::make_unique<ServiceMetrics>(std::move(labels), started, std::move(readers));
    Status registered = metrics->registry().counter_from(
        "credo_access_log_dropped_total", "Access-log lines dropped because the log's queue was full.", {},
        [this] { return access_log.dropped(); });
    (void)registered;  // a constant name: registration cannot fail
    std::shared_ptr<const ServedModel> model = service.current();
    metrics->set_model(model->name, model->version, model->alias);
    routes.resize(endpoint_catalog().size());
  }

  int port = 0;  // once bound
  std::string server_url() const { return "http://" + options.host + ":" + std::to_string(port); }

  std::string new_request_id() {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx",
                  static_cast<unsigned long long>(id_seed + next_request.fetch_add(1)));
    return buf;
  }

  bool record(const ServedModel& model, const Score& score, const char* kind, std::vector<float> features) {
    metrics->observe_decision(score.refused);
    if (!log) return true;
    store::PredictionEvent e;
    e.request_id = current_request().request_id;
    e.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    e.model_name = model.name;
    e.model_version = model.version;
    e.kind = kind;
    if (score.client_id) e.client_id = score.client_id;
    e.probability = score.probability;
    e.refused = score.refused;
    e.threshold = score.threshold;
    e.latency_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                         current_request().start)
                       .count();
    e.features = std::move(features);
    return log->record(std::move(e)).ok();
  }

  StatusOr<ReloadResult> reload(bool force) {
    std::lock_guard lock(reload_mutex);
    std::shared_ptr<const ServedModel> old = service.current();
    ReloadResult result;
    result.from_version = result.to_version = old->version;
    StatusOr<int> now = service.resolve_version(store);
    if (!now.ok()) {
      metrics->observe_reload(false);
      return now.status();
    }
    if (*now == old->version && !force) return result;
    StatusOr<std::shared_ptr<const ServedModel>> next = service.load(store);
    metrics->observe_reload(next.ok());
    if (!next.ok()) return next.status();
    result.to_version = (*next)->version;
    result.reloaded = true;
    metrics->set_model((*next)->name, (*next)->version, (*next)->alias);
    service.swap(std::move(*next));
    return result;
  }

  // Registers the handler of an endpoint of the catalogue (the token is checked before it runs).
  void add_route(const char* method, const char* pattern, api::Handler handler) {
    std::optional<size_t> route = find_endpoint(method, pattern);
    if (!route || endpoint_catalog()[*route].path != pattern) {
      std::fprintf(stderr, "credo serve: %s %s is not in the endpoint catalogue\n", method, pattern);
      std::abort();  // a programming error: every route is documented
    }
    routes[*route] = std::move(handler);
  }

  // --- the transport's steps ---

  void begin(HttpExchange& exchange) {
    exchange.facts.start = std::chrono::steady_clock::now();
    exchange.facts.request_id = new_request_id();
    exchange.facts.route = metrics->unmatched_route();
    exchange.response.set_header("X-Request-Id", exchange.facts.request_id);
  }

  // What the head decides, before any body byte is read: the endpoint (404, 405), the caller's
  // token (401, 403) and the body's content type (415).
  void head(HttpExchange& exchange) {
    api::CurrentRequest scope(exchange.facts);
    HttpRequest& req = exchange.request;
    HttpResponse& res = exchange.response;
    exchange.answered = true;  // unless it gets through every check
    std::string_view method = req.method == "HEAD" ? std::string_view("GET") : std::string_view(req.method);
    std::optional<size_t> route = find_endpoint(method, req.path);
    if (!route) {
      if (!path_is_known(req.path))
        return send_error(res, 404, "no endpoint " + cut_text(req.path, 80) + " (see /openapi.json)");
      std::string allow;
      for (const Endpoint& e : endpoint_catalog()) {
        if (find_endpoint(e.method, req.path) != static_cast<size_t>(&e - endpoint_catalog().data())) continue;
        if (allow.find(e.method) == std::string::npos) allow += (allow.empty() ? "" : ", ") + e.method;
        if (e.method == "GET" && allow.find("HEAD") == std::string::npos) allow += ", HEAD";
      }
      res.set_header("Allow", allow);
      return send_error(res, 405, cut_text(req.method, 16) + " is not a method of " + cut_text(req.path, 80) +
                                      " (allowed: " + allow + ")");
    }
    const Endpoint& endpoint = endpoint_catalog()[*route];
    exchange.facts.route = *route;
    Authorization auth = options.tokens.authorize(req.get_header_value("Authorization"), endpoint.role);
    if (!auth.allowed()) {
      if (!auth.www_authenticate.empty()) res.set_header("WWW-Authenticate", auth.www_authenticate);
      return send_error(res, auth.http_status, auth.message);
    }
    exchange.facts.token_name = auth.token_name;
    if (endpoint.method == "POST" && !endpoint.request_schema.empty() && has_body(req)) {
      std::vector<std::string> accepted = accepted_media_types(endpoint);
      std::string type = media_type(req.get_header_value("Content-Type"));
      if (std::find(accepted.begin(), accepted.end(), type) == accepted.end()) {
        std::string names;
        for (const std::string& a : accepted) names += (names.empty() ? "" : " or ") + a;
        return send_error(res, 415, "unsupported content type " +
                                        (type.empty() ? std::string("(none)") : "'" + cut_text(type, 60) + "'") +
                                        ": send the body as " + names);
      }
    }
    req.matches = path_parameters(endpoint, req.path);
    req.matches.insert(req.matches.begin(), req.path);
    exchange.answered = false;
  }

  static bool has_body(const HttpRequest& req) {
    if (req.has_header("Transfer-Encoding")) return true;
    std::string length = req.get_header_value("Content-Length");
    return !length.empty() && length != "0";
  }

  void request(HttpExchange& exchange) {
    api::CurrentRequest scope(exchange.facts);
    routes[exchange.facts.route](exchange.request, exchange.response);
  }

  void refuse(HttpExchange& exchange, int status, const std::string& message) {
    api::CurrentRequest scope(exchange.facts);
    send_error(exchange.response, status, message);
    exchange.answered = true;
  }

  // One metrics observation and one access-log line (off the request path) per answer.
  void answered(const HttpExchange& exchange) {
    const RequestFacts& facts = exchange.facts;
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - facts.start).count();
    metrics->observe_request(facts.route, exchange.response.status, seconds);
    if (!options.access_log) return;
    std::string line;
    line.reserve(256);
    JsonWriter out(line);
    out.begin_object()
        .field("time_ms", static_cast<int64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                   std::chrono::system_clock::now().time_since_epoch())
                                                   .count()))
        .field("request_id", facts.request_id)
        .field("method", cut_text(exchange.request.method, 16))
        .field("path", cut_text(exchange.request.path, 200))
        .field("status", exchange.response.status)
        .field("latency_ms", seconds * 1000)
        .field("remote", exchange.request.remote_addr);
    if (!facts.token_name.empty()) out.field("token", facts.token_name);
    out.end_object();
    access_log.write(std::move(line));
  }

  void install_routes() {
    context = std::make_unique<api::ApiContext>(api::ApiContext{service, store, options, log, {}, {}, {}});
    context->route = [this](const char* method, const char* pattern, api::Handler handler) {
      add_route(method, pattern, std::move(handler));
    };
    context->record = [this](const ServedModel& model, const Score& score, const char* kind,
                             std::vector<float> features) { return record(model, score, kind, std::move(features)); };
    context->reload = [this](bool force) -> StatusOr<json> {
      CREDO_ASSIGN_OR_RETURN(ReloadResult r, reload(force));
      return json{{"reloaded", r.reloaded}, {"from_version", r.from_version}, {"to_version", r.to_version},
                  {"request_id", current_request().request_id}};
    };

    api::install_scoring_routes(*context);
    add_route("GET", "/health", [](const HttpRequest&, HttpResponse& res) { send_json(res, 200, {{"status", "ok"}}); });
    add_route("GET", "/ready", [this](const HttpRequest&, HttpResponse& res) {
      std::shared_ptr<const ServedModel> model = service.current();
      if (!model) return send_error(res, 503, "no model is loaded yet");
      send_json(res, 200, {{"status", "ready"}, {"model", model->uri}, {"version", model->version}});
    });
    add_route("GET", "/version", [this](const HttpRequest&, HttpResponse& res) {
      send_json(res, 200, {{"credo", credo_version()}, {"model", api::model_ref_json(*service.current())}});
    });
    add_route("GET", "/metrics", [this](const HttpRequest&, HttpResponse& res) {
      res.status = 200;
      res.set_content(metrics->render(), kPrometheusContentType);
    });
    add_route("GET", "/openapi.json", [this](const HttpRequest&, HttpResponse& res) {
      send_json(res, 200, openapi_document(server_url()));
    });
    add_route("GET", "/docs", [this](const HttpRequest&, HttpResponse& res) {
      res.status = 200;
      res.set_content(docs_page(server_url()), "text/html; charset=utf-8");
    });
    api::install_client_routes(*context);
    api::install_admin_routes(*context);
    api::install_web_routes(*context);
    for (size_t i = 0; i < routes.size(); ++i) {
      if (routes[i]) continue;
      std::fprintf(stderr, "credo serve: %s %s has no handler\n", endpoint_catalog()[i].method.c_str(),
                   endpoint_catalog()[i].path.c_str());
      std::abort();  // a programming error: every endpoint of the catalogue is served
    }

    HttpHandlers handlers;
    handlers.begin = [this](HttpExchange& e) { begin(e); };
    handlers.head = [this](HttpExchange& e) { head(e); };
    handlers.request = [this](HttpExchange& e) { request(e); };
    handlers.refuse = [this](HttpExchange& e, int status, const std::string& message) { refuse(e, status, message); };
    handlers.answered = [this](const HttpExchange& e) { answered(e); };
    http = std::make_unique<HttpServer>(options.limits, std::move(handlers));
  }
};

ApiServer::ApiServer(ScoringService& service, store::Store& store, ServerOptions options, PredictionLog* log)
    : impl_(std::make_unique<Impl>(service, store, std::move(options), log)) {
  impl_->install_routes();
}

ApiServer::~ApiServer() { stop(); }

StatusOr<ReloadResult> ApiServer::reload(bool force) { return impl_->reload(force); }

Status ApiServer::bind() {
  CREDO_RETURN_IF_ERROR(impl_->http->bind(impl_->options.host, impl_->options.port));
  port_ = impl_->port = impl_->http->port();
  return Status::Ok();
}

Status ApiServer::serve() {
  Status served = impl_->http->serve();
  impl_->access_log.close();  // every line of every answer, before serve() returns
  return served;
}

void ApiServer::stop() {
  if (impl_ && impl_->http) impl_->http->stop();
}

const HttpServer& ApiServer::transport() const { return *impl_->http; }

}  // namespace credo::serve
