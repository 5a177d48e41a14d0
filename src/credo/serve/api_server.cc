// Routes and their JSON. Each request gets an id (answered in X-Request-Id and in error bodies)
// and one access-log line; errors are {"error": {"status", "code", "message", "request_id"}}
// with messages meant for the caller, never internals.
#include "credo/serve/api_server.h"

#include <httplib.h>

#include <atomic>
#include <charconv>
#include <chrono>
#include <random>

#include <nlohmann/json.hpp>

#include "credo/base/random.h"
#include "credo/base/version.h"

namespace credo::serve {
namespace {

using json = nlohmann::json;

// Per-request facts kept on the worker thread that handles the request from routing to the log.
thread_local std::chrono::steady_clock::time_point t_request_start;
thread_local std::string t_request_id;

const char* error_code_for(int status) {
  switch (status) {
    case 400: return "BAD_REQUEST";
    case 401: return "UNAUTHENTICATED";
    case 403: return "FORBIDDEN";
    case 404: return "NOT_FOUND";
    case 405: return "METHOD_NOT_ALLOWED";
    case 413: return "PAYLOAD_TOO_LARGE";
    case 422: return "UNPROCESSABLE";
    case 503: return "UNAVAILABLE";
    default: return status >= 500 ? "INTERNAL" : "ERROR";
  }
}

void send_json(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

void send_error(httplib::Response& res, int status, const std::string& message) {
  send_json(res, status,
            {{"error",
              {{"status", status}, {"code", error_code_for(status)}, {"message", message}, {"request_id", t_request_id}}}});
}

int http_status_of(const Status& status) {
  switch (status.code()) {
    case StatusCode::kNotFound: return 404;
    case StatusCode::kInvalidArgument:
    case StatusCode::kParseError: return 400;
    default: return 500;
  }
}

// Status errors from the service are the caller's (400/404) or ours (500, said without details).
void send_status(httplib::Response& res, const Status& status) {
  int http = http_status_of(status);
  send_error(res, http, http == 500 ? "internal error" : status.message());
}

json score_json(const Score& score, const ServedModel& model) {
  return {{"client_id", score.client_id},
          {"probability", score.probability},
          {"decision", score.refused ? "REFUSED" : "ACCEPTED"},
          {"threshold", score.threshold},
          {"distance_to_threshold", score.probability - score.threshold},
          {"risk_band", score.risk_band},
          {"model", {{"name", model.name}, {"version", model.version}, {"alias", model.alias}}},
          {"request_id", t_request_id}};
}

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
          {"decision_rule", "REFUSED when probability >= threshold"},
          {"cost_matrix",
           {{"false_negative", info.cost.false_negative},
            {"false_positive", info.cost.false_positive},
            {"true_positive", info.cost.true_positive},
            {"true_negative", info.cost.true_negative}}},
          {"metrics", info.metrics},
          {"trained", info.created_utc},
          {"clients", model.clients->num_clients()},
          {"inputs", inputs}};
}

// A path segment that must be a client id (SK_ID_CURR).
std::optional<int64_t> parse_client_id(const std::string& text) {
  int64_t id = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (error != std::errc() || end != text.data() + text.size() || id < 0) return std::nullopt;
  return id;
}

std::string cut(std::string_view text, size_t max_chars = 40) {
  return text.size() <= max_chars ? std::string(text) : std::string(text.substr(0, max_chars)) + "...";
}

}  // namespace

struct ApiServer::Impl {
  ScoringService& service;
  ServerOptions options;
  PredictionLog* log = nullptr;
  httplib::Server http;
  uint64_t id_seed = 0;
  std::atomic<uint64_t> next_request{0};

  Impl(ScoringService& s, ServerOptions o, PredictionLog* l) : service(s), options(std::move(o)), log(l) {
    id_seed = mix64(std::random_device{}() ^ static_cast<uint64_t>(
                                              std::chrono::system_clock::now().time_since_epoch().count()));
  }

  std::string new_request_id() {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx",
                  static_cast<unsigned long long>(mix64(id_seed + next_request.fetch_add(1))));
    return buf;
  }

  // Records the answer before it is sent: an acknowledged prediction is in the log's queue.
  Status record(const ServedModel& model, const Score& score, const char* kind, std::vector<float> features = {}) {
    if (!log) return Status::Ok();
    store::PredictionEvent e;
    e.request_id = t_request_id;
    e.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    e.model_name = model.name;
    e.model_version = model.version;
    e.kind = kind;
    e.client_id = score.client_id;
    e.probability = score.probability;
    e.refused = score.refused;
    e.threshold = score.threshold;
    e.latency_us = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                         t_request_start)
                       .count();
    e.features = std::move(features);
    return log->record(std::move(e));
  }

  void install_routes() {
    http.new_task_queue = [threads = options.worker_threads] {
      return new httplib::ThreadPool(static_cast<size_t>(std::max(1, threads)));
    };
    http.set_payload_max_length(options.max_body_bytes);
    http.set_read_timeout(options.read_timeout_seconds, 0);
    http.set_write_timeout(options.write_timeout_seconds, 0);
    http.set_keep_alive_timeout(5);
    http.set_tcp_nodelay(true);

    http.set_pre_routing_handler([this](const httplib::Request&, httplib::Response& res) {
      t_request_start = std::chrono::steady_clock::now();
      t_request_id = new_request_id();
      res.set_header("X-Request-Id", t_request_id);
      return httplib::Server::HandlerResponse::Unhandled;
    });
    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;  // a handler's own error body
      if (res.status == 404) send_error(res, 404, "no endpoint " + cut(req.path, 80) + " (see /openapi.json)");
      else if (res.status == 413) send_error(res, 413, "the request body is too large");
      else send_error(res, res.status, "the request could not be served");
    });
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
      send_error(res, 500, "internal error");
    });
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
      if (!options.access_log) return;
      double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_request_start).count();
      json line = {{"time_ms", std::chrono::duration_cast<std::chrono::milliseconds>(
                                   std::chrono::system_clock::now().time_since_epoch())
                                   .count()},
                   {"request_id", t_request_id},
                   {"method", req.method},
                   {"path", cut(req.path, 200)},
                   {"status", res.status},
                   {"latency_ms", ms},
                   {"remote", req.remote_addr}};
      std::fprintf(options.access_log, "%s\n", line.dump().c_str());
    });

    http.Get("/health", [](const httplib::Request&, httplib::Response& res) { send_json(res, 200, {{"status", "ok"}}); });
    http.Get("/ready", [this](const httplib::Request&, httplib::Response& res) {
      std::shared_ptr<const ServedModel> model = service.current();
      if (!model) return send_error(res, 503, "no model is loaded yet");
      send_json(res, 200, {{"status", "ready"}, {"model", model->uri}, {"version", model->version}});
    });
    http.Get("/version", [this](const httplib::Request&, httplib::Response& res) {
      std::shared_ptr<const ServedModel> model = service.current();
      send_json(res, 200,
                {{"credo", credo_version()},
                 {"model", {{"name", model->name}, {"version", model->version}, {"alias", model->alias}}}});
    });
    http.Get("/api/v1/model", [this](const httplib::Request&, httplib::Response& res) {
      send_json(res, 200, model_json(*service.current()));
    });
    http.Get(R"(/api/v1/clients/([^/]+)/score)", [this](const httplib::Request& req, httplib::Response& res) {
      std::optional<int64_t> id = parse_client_id(req.matches[1]);
      if (!id) return send_error(res, 400, "client id '" + cut(req.matches[1].str()) + "' is not an SK_ID_CURR (a non-negative integer)");
      std::shared_ptr<const ServedModel> model = service.current();
      StatusOr<Score> score = service.score_client(*model, *id);
      if (!score.ok()) return send_status(res, score.status());
      if (!record(*model, *score, "client").ok()) return send_error(res, 503, "the service is stopping");
      send_json(res, 200, score_json(*score, *model));
    });
  }
};

ApiServer::ApiServer(ScoringService& service, ServerOptions options, PredictionLog* log)
    : impl_(std::make_unique<Impl>(service, std::move(options), log)) {
  impl_->install_routes();
}

ApiServer::~ApiServer() { stop(); }

Status ApiServer::bind() {
  const ServerOptions& o = impl_->options;
  if (o.port == 0) {
    port_ = impl_->http.bind_to_any_port(o.host);
    if (port_ < 0) return Status::IoError("cannot listen on " + o.host + " (any port)");
  } else {
    if (!impl_->http.bind_to_port(o.host, o.port))
      return Status::IoError("cannot listen on " + o.host + ":" + std::to_string(o.port) +
                             " (is the port taken, or the address not one of this machine's?)");
    port_ = o.port;
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
