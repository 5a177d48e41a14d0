// The server around the routes: request ids (answered in X-Request-Id and in error bodies), the
// bearer-token check against each endpoint's role in the catalogue, limits and timeouts, one
// access-log line and one metrics observation per request, the JSON helpers every route answers
// with, and the model reload. Errors are {"error": {"status", "code", "message", "request_id"}}
// with messages meant for the caller, never internals.
#include "credo/serve/api_server.h"

#include <httplib.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <mutex>
#include <random>

#include <nlohmann/json.hpp>

#include "credo/base/random.h"
#include "credo/base/text.h"
#include "credo/base/version.h"
#include "credo/serve/api_routes.h"
#include "credo/serve/endpoint_catalog.h"
#include "credo/serve/error_codes.h"
#include "credo/serve/openapi.h"
#include "credo/serve/service_metrics.h"

namespace credo::serve {
namespace api {

RequestFacts& current_request() {
  thread_local RequestFacts facts;
  return facts;
}

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace), "application/json");
}

void send_json_text(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.body = std::move(body);
  res.set_header("Content-Type", "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status,
            {{"error",
              {{"status", status},
               {"code", error_code_for_status(status)},
               {"message", message},
               {"request_id", current_request().request_id}}}});
}

void send_status(httplib::Response& res, const Status& status) {
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

StatusOr<json> parse_json_body(const httplib::Request& req) {
  if (req.body.empty()) return Status::ParseError("the request has no body: expected JSON");
  try {
    return json::parse(req.body);
  } catch (const json::parse_error& e) {
    return Status::ParseError("the body is not JSON (at byte " + std::to_string(e.byte) + ")");
  }
}

StatusOr<int64_t> parse_client_id(const std::string& text, const std::string& what) {
  int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id < 0)
    return Status::ParseError(what + " '" + cut_text(text, 40) + "' is not an SK_ID_CURR (a non-negative whole number)");
  return id;
}

StatusOr<int64_t> query_int(const httplib::Request& req, const char* name, int64_t fallback, int64_t low, int64_t high) {
  if (!req.has_param(name)) return fallback;
  std::string text = req.get_param_value(name);
  int64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || value < low || value > high)
    return Status::ParseError(std::string("query ") + name + ": expected a whole number from " + std::to_string(low) +
                                   " to " + std::to_string(high) + ", got '" + cut_text(text, 40) + "'");
  return value;
}

StatusOr<bool> query_bool(const httplib::Request& req, const char* name) {
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

struct ApiServer::Impl {
  ScoringService& service;
  store::Store& store;
  ServerOptions options;
  PredictionLog* log = nullptr;
  httplib::Server http;
  uint64_t id_seed = 0;
  std::atomic<uint64_t> next_request{0};
  std::unique_ptr<ServiceMetrics> metrics;
  std::mutex reload_mutex;
  std::unique_ptr<api::ApiContext> context;

  Impl(ScoringService& s, store::Store& st, ServerOptions o, PredictionLog* l)
      : service(s), store(st), options(std::move(o)), log(l) {
    // Request ids increase: the start time in milliseconds since 2020 (41 bits: until 2089) above
    // 22 random bits, plus a counter. The prediction log appends them to an index in order
    // (random ids cost a random B-tree insert each), and a restarted server's ids sort after the
    // previous one's.
    uint64_t start_ms = static_cast<uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  std::chrono::system_clock::now().time_since_epoch())
                                                  .count()) -
                        kRequestIdEpochMs;
    id_seed = (start_ms << 22) | (mix64(std::random_device{}() ^ start_ms) & ((uint64_t{1} << 22) - 1));
    std::vector<RouteLabel> routes = route_labels();
    PredictionLogReaders readers;
    if (log) {
      readers.logged = [l] { return l->written(); };
      readers.dropped = [l] { return l->failed(); };
      readers.queued = [l] { return static_cast<uint64_t>(l->queued()); };
    }
    double started = std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
    metrics = std::make_unique<ServiceMetrics>(std::move(routes), started, std::move(readers));
    std::shared_ptr<const ServedModel> model = service.current();
    metrics->set_model(model->name, model->version, model->alias);
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

  // Registers an endpoint of the catalogue: its path pattern as a regex, the token check first.
  void add_route(const char* method, const char* pattern, api::Handler handler) {
    std::optional<size_t> route = find_endpoint(method, pattern);
    if (!route || endpoint_catalog()[*route].path != pattern) {
      std::fprintf(stderr, "credo serve: %s %s is not in the endpoint catalogue\n", method, pattern);
      std::abort();  // a programming error: every route is documented
    }
    const Endpoint& endpoint = endpoint_catalog()[*route];
    Role role = endpoint.role;
    std::string regex = httplib_pattern(endpoint);
    auto guarded = [this, route = *route, role, handler = std::move(handler)](const httplib::Request& req,
                                                                               httplib::Response& res) {
      current_request().route = route;
      Authorization auth = options.tokens.authorize(req.get_header_value("Authorization"), role);
      if (!auth.allowed()) {
        if (!auth.www_authenticate.empty()) res.set_header("WWW-Authenticate", auth.www_authenticate);
        return send_error(res, auth.http_status, auth.message);
      }
      current_request().token_name = auth.token_name;
      handler(req, res);
    };
    if (std::string_view(method) == "GET") http.Get(regex, std::move(guarded));
    else http.Post(regex, std::move(guarded));
  }

  void install_routes() {
    http.new_task_queue = [threads = options.worker_threads] {
      return new httplib::ThreadPool(static_cast<size_t>(std::max(1, threads)));
    };
    http.set_payload_max_length(options.max_body_bytes);
    http.set_read_timeout(options.read_timeout_seconds, 0);
    http.set_write_timeout(options.write_timeout_seconds, 0);
    // A keep-alive connection holds a worker until it closes; cpp-httplib's default closes it
    // after 5 requests, which made clients reconnect all the time (measured with wrk).
    http.set_keep_alive_timeout(5);
    http.set_keep_alive_max_count(options.keep_alive_max_requests);
    http.set_tcp_nodelay(true);

    http.set_pre_routing_handler([this](const httplib::Request&, httplib::Response& res) {
      api::RequestFacts& facts = current_request();
      facts.start = std::chrono::steady_clock::now();
      facts.request_id = new_request_id();
      facts.route = metrics->unmatched_route();
      facts.token_name.clear();
      res.set_header("X-Request-Id", facts.request_id);
      return httplib::Server::HandlerResponse::Unhandled;
    });
    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;  // a handler's own error body
      if (res.status == 404) send_error(res, 404, "no endpoint " + cut_text(req.path, 80) + " (see /openapi.json)");
      else if (res.status == 413) send_error(res, 413, "the request body is too large");
      else if (res.status == 400 && req.method == "POST")
        send_error(res, 400, "the request could not be read: a POST needs a body with its Content-Length (0 for none)");
      else send_error(res, res.status, "the request could not be served");
    });
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
      send_error(res, 500, "internal error");
    });
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      const api::RequestFacts& facts = current_request();
      double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - facts.start).count();
      metrics->observe_request(facts.route, res.status, seconds);
      if (!options.access_log) return;
      json line = {{"time_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count()},
                   {"request_id", facts.request_id},
                   {"method", req.method},
                   {"path", cut_text(req.path, 200)},
                   {"status", res.status},
                   {"latency_ms", seconds * 1000},
                   {"remote", req.remote_addr}};
      if (!facts.token_name.empty()) line["token"] = facts.token_name;
      std::fprintf(options.access_log, "%s\n", line.dump(-1, ' ', false, json::error_handler_t::replace).c_str());
    });

    context = std::make_unique<api::ApiContext>(api::ApiContext{service, store, options, log, http, {}, {}, {}});
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

    // cpp-httplib tries each route's regex in the order they were added: the busiest first.
    api::install_scoring_routes(*context);
    add_route("GET", "/health", [](const httplib::Request&, httplib::Response& res) { send_json(res, 200, {{"status", "ok"}}); });
    add_route("GET", "/ready", [this](const httplib::Request&, httplib::Response& res) {
      std::shared_ptr<const ServedModel> model = service.current();
      if (!model) return send_error(res, 503, "no model is loaded yet");
      send_json(res, 200, {{"status", "ready"}, {"model", model->uri}, {"version", model->version}});
    });
    add_route("GET", "/version", [this](const httplib::Request&, httplib::Response& res) {
      send_json(res, 200, {{"credo", credo_version()}, {"model", api::model_ref_json(*service.current())}});
    });
    add_route("GET", "/metrics", [this](const httplib::Request&, httplib::Response& res) {
      res.status = 200;
      res.set_content(metrics->render(), kPrometheusContentType);
    });
    add_route("GET", "/openapi.json", [this](const httplib::Request&, httplib::Response& res) {
      send_json(res, 200, openapi_document(server_url()));
    });
    add_route("GET", "/docs", [this](const httplib::Request&, httplib::Response& res) {
      res.status = 200;
      res.set_content(docs_page(server_url()), "text/html; charset=utf-8");
    });
    api::install_client_routes(*context);
    api::install_admin_routes(*context);
  }
};

ApiServer::ApiServer(ScoringService& service, store::Store& store, ServerOptions options, PredictionLog* log)
    : impl_(std::make_unique<Impl>(service, store, std::move(options), log)) {
  impl_->install_routes();
}

ApiServer::~ApiServer() { stop(); }

StatusOr<ReloadResult> ApiServer::reload(bool force) { return impl_->reload(force); }

Status ApiServer::bind() {
  const ServerOptions& o = impl_->options;
  if (o.port == 0) {
    port_ = impl_->http.bind_to_any_port(o.host);
    if (port_ < 0) return Status::IoError("cannot listen on " + o.host + " (any port)");
    impl_->port = port_;
  } else {
    if (!impl_->http.bind_to_port(o.host, o.port))
      return Status::IoError("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                             " (is the port taken, or the address not one of this machine's?)");
    port_ = o.port;
    impl_->port = port_;
  }
  return Status::Ok();
}

Status ApiServer::serve() {
  if (!impl_->http.listen_after_bind()) return Status::IoError("the server stopped listening unexpectedly");
  return Status::Ok();
}

void ApiServer::stop() {
  if (impl_ && impl_->http.is_running()) impl_->http.stop();
}

}  // namespace credo::serve
