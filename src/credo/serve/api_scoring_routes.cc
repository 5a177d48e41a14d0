// The scoring routes: a known client's score and explanation, a posted application's (new, or a
// known client's with changed fields: a what-if), batches, and MLflow's /invocations protocol.
// Every score answered is recorded in the prediction log first.
#include <cctype>
#include <cmath>

#include "credo/serve/api_routes.h"
#include "credo/serve/application_json.h"
#include "credo/serve/mlflow_protocol.h"

namespace credo::serve::api {
namespace {

// A scoring answer is sent only once its prediction is in the log (see PredictionLog::record).
constexpr const char* kNotLogged =
    "the prediction could not be logged (the service is stopping or its store failed), so no answer is given: try again";

constexpr size_t kMaxBatchApplications = 1000;
constexpr int64_t kDefaultReasons = 5, kMaxReasons = 50;

// A posted body {"client_id"?, "application"?, "history"?} turned into model inputs.
struct PostedInputs {
  std::vector<float> inputs;
  int64_t client_id = 0;       // 0 for a new application without an id
  const char* kind = "application";
  std::optional<json> changed;  // for a what-if: [{field, before, after}]
};

StatusOr<PostedInputs> inputs_of_body(const ScoringService& service, const ServedModel& model, const json& body,
                                      const std::string& where) {
  if (!body.is_object()) return Status::InvalidArgument(where + ": expected an object {\"client_id\", \"application\", \"history\"}");
  PostedInputs posted;
  std::optional<int64_t> known;
  if (auto it = body.find("client_id"); it != body.end()) {
    if (!it->is_number_integer() || it->get<int64_t>() < 0)
      return Status::InvalidArgument(where + ".client_id: expected an SK_ID_CURR (a non-negative whole number)");
    known = it->get<int64_t>();
    posted.client_id = *known;
  }
  bool has_application = body.contains("application"), has_history = body.contains("history");
  if (known && !has_application && !has_history) {
    // Only an id: the known client as it is.
    CREDO_ASSIGN_OR_RETURN(posted.inputs, service.inputs_of_client(model, *known));
    posted.kind = "client";
    return posted;
  }
  if (!known && !has_application)
    return Status::InvalidArgument(where + ": give \"application\" (a new application) or \"client_id\" (a known client)");
  if (known) {
    if (has_history)
      return Status::InvalidArgument(where + ".history: history rows are for new applications; a known client's history is the one on record");
    if (!model.profiles)
      return Status::FailedPrecondition("what-if scoring needs the known clients' applications: start credo serve with --data");
    std::optional<Table> row = model.profiles->application_row(*known);
    if (!row) return Status::NotFound("client " + std::to_string(*known) + " is not known");
    StatusOr<ClientRows> rows = client_rows_from_json(body, &*row);
    if (!rows.ok()) return Status::InvalidArgument(where + "." + rows.status().message());
    json changes = json::array();
    for (const ApplicationChange& c : application_changes(*row, rows->application))
      changes.push_back({{"field", c.field}, {"before", c.before}, {"after", c.after}});
    posted.changed = std::move(changes);
    posted.kind = "what-if";
    CREDO_ASSIGN_OR_RETURN(posted.inputs, service.inputs_of_application(model, std::move(*rows), known));
    return posted;
  }
  StatusOr<ClientRows> rows = client_rows_from_json(body);
  if (!rows.ok()) return Status::InvalidArgument(where + "." + rows.status().message());
  CREDO_ASSIGN_OR_RETURN(posted.inputs, service.inputs_of_application(model, std::move(*rows), std::nullopt));
  return posted;
}

// A score answer as one JSON object, with the what-if's changes when there are some.
void write_score(JsonWriter& out, const Score& score, const ServedModel& model, const PostedInputs* posted) {
  out.begin_object();
  write_score_fields(out, score, model);
  if (posted && posted->changed) out.key("changed_fields").raw(posted->changed->dump());
  out.end_object();
}

std::string score_answer(const Score& score, const ServedModel& model, const PostedInputs* posted = nullptr) {
  std::string body;
  body.reserve(384);
  JsonWriter out(body);
  write_score(out, score, model, posted);
  return body;
}

std::string explained_answer(const ScoringService::Explained& explained, const ServedModel& model, bool all,
                             const PostedInputs* posted) {
  std::string body;
  body.reserve(all ? 32768 : 4096);
  JsonWriter out(body);
  out.begin_object();
  write_score_fields(out, explained.score, model);
  write_explanation_fields(out, explained.explanation, model.features(), explained.contributions, all);
  if (posted && posted->changed) out.key("changed_fields").raw(posted->changed->dump());
  out.end_object();
  return body;
}

}  // namespace

void install_scoring_routes(ApiContext& context) {
  ScoringService& service = context.service;

  context.route("GET", "/api/v1/clients/{id}/score", [&](const HttpRequest& req, HttpResponse& res) {
    StatusOr<int64_t> id = parse_client_id(req.matches[1], "client id");
    if (!id.ok()) return send_status(res, id.status());
    std::shared_ptr<const ServedModel> model = service.current();
    StatusOr<Score> score = service.score_client(*model, *id);
    if (!score.ok()) return send_status(res, score.status());
    if (!context.record(*model, *score, "client", {})) return send_error(res, 503, kNotLogged);
    send_json_text(res, 200, score_answer(*score, *model));
  });

  context.route("POST", "/api/v1/score", [&](const HttpRequest& req, HttpResponse& res) {
    StatusOr<json> body = parse_json_body(req);
    if (!body.ok()) return send_status(res, body.status());
    std::shared_ptr<const ServedModel> model = service.current();
    StatusOr<PostedInputs> posted = inputs_of_body(service, *model, *body, "body");
    if (!posted.ok()) return send_status(res, posted.status());
    StatusOr<Score> score = service.score_inputs(*model, posted->inputs.data(), posted->client_id);
    if (!score.ok()) return send_status(res, score.status());
    std::vector<float> logged = posted->kind == std::string("client") ? std::vector<float>() : posted->inputs;
    if (!context.record(*model, *score, posted->kind, std::move(logged))) return send_error(res, 503, kNotLogged);
    send_json_text(res, 200, score_answer(*score, *model, &*posted));
  });

  context.route("POST", "/api/v1/score/batch", [&](const HttpRequest& req, HttpResponse& res) {
    StatusOr<json> body = parse_json_body(req);
    if (!body.ok()) return send_status(res, body.status());
    if (!body->is_object() || !body->contains("applications") || !(*body)["applications"].is_array())
      return send_error(res, 422, "body: expected {\"applications\": [...]}");
    for (const auto& [key, value] : body->items())
      if (key != "applications") return send_error(res, 422, "body." + key + " is not a field of a batch (only \"applications\")");
    const json& list = (*body)["applications"];
    if (list.empty() || list.size() > kMaxBatchApplications)
      return send_error(res, 422, "body.applications: expected 1 to " + std::to_string(kMaxBatchApplications) +
                                      " applications, got " + std::to_string(list.size()));
    std::shared_ptr<const ServedModel> model = service.current();
    // Every application is checked before any is scored: a batch is answered whole or not at all.
    std::vector<PostedInputs> posted;
    posted.reserve(list.size());
    for (size_t i = 0; i < list.size(); ++i) {
      StatusOr<PostedInputs> one = inputs_of_body(service, *model, list[i], "applications[" + std::to_string(i) + "]");
      if (!one.ok()) return send_status(res, one.status());
      posted.push_back(std::move(*one));
    }
    std::string answer;
    JsonWriter out(answer);
    out.begin_object().key("results").begin_array();
    for (PostedInputs& p : posted) {
      StatusOr<Score> score = service.score_inputs(*model, p.inputs.data(), p.client_id);
      if (!score.ok()) return send_status(res, score.status());
      std::vector<float> logged = p.kind == std::string("client") ? std::vector<float>() : std::move(p.inputs);
      if (!context.record(*model, *score, p.kind, std::move(logged))) return send_error(res, 503, kNotLogged);
      write_score(out, *score, *model, &p);
    }
    out.end_array().field("request_id", current_request().request_id).end_object();
    send_json_text(res, 200, std::move(answer));
  });

  context.route("GET", "/api/v1/clients/{id}/explanation", [&](const HttpRequest& req, HttpResponse& res) {
    StatusOr<int64_t> id = parse_client_id(req.matches[1], "client id");
    if (!id.ok()) return send_status(res, id.status());
    StatusOr<int64_t> top = query_int(req, "top", kDefaultReasons, 1, kMaxReasons);
    if (!top.ok()) return send_status(res, top.status());
    StatusOr<bool> all = query_bool(req, "all");
    if (!all.ok()) return send_status(res, all.status());
    std::shared_ptr<const ServedModel> model = service.current();
    StatusOr<ScoringService::Explained> explained = service.explain_client(*model, *id, static_cast<size_t>(*top));
    if (!explained.ok()) return send_status(res, explained.status());
    send_json_text(res, 200, explained_answer(*explained, *model, *all, nullptr));
  });

  context.route("POST", "/api/v1/explanation", [&](const HttpRequest& req, HttpResponse& res) {
    StatusOr<int64_t> top = query_int(req, "top", kDefaultReasons, 1, kMaxReasons);
    if (!top.ok()) return send_status(res, top.status());
    StatusOr<bool> all = query_bool(req, "all");
    if (!all.ok()) return send_status(res, all.status());
    StatusOr<json> body = parse_json_body(req);
    if (!body.ok()) return send_status(res, body.status());
    std::shared_ptr<const ServedModel> model = service.current();
    StatusOr<PostedInputs> posted = inputs_of_body(service, *model, *body, "body");
    if (!posted.ok()) return send_status(res, posted.status());
    StatusOr<ScoringService::Explained> explained =
        posted->kind == std::string("client")
            ? service.explain_client(*model, posted->client_id, static_cast<size_t>(*top))
            : service.explain_inputs(*model, std::move(posted->inputs), posted->client_id, static_cast<size_t>(*top));
    if (!explained.ok()) return send_status(res, explained.status());
    send_json_text(res, 200, explained_answer(*explained, *model, *all, &*posted));
  });

  // MLflow's scoring protocol: the model's inputs by name, probabilities back; errors in MLflow's shape.
  context.route("POST", "/invocations", [&](const HttpRequest& req, HttpResponse& res) {
    std::shared_ptr<const ServedModel> model = service.current();
    std::vector<std::string> names;
    names.reserve(model->num_features());
    for (const FeatureInfo& f : model->features()) names.push_back(f.name);
    // The server let through only JSON and CSV (415 otherwise).
    std::string type = req.get_header_value("Content-Type").substr(0, 8);
    for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    bool csv = type == "text/csv";
    StatusOr<InputRows> rows = csv ? parse_invocations_csv(req.body, names, kMaxBatchApplications)
                                   : parse_invocations_body(req.body, names, kMaxBatchApplications);
    if (!rows.ok()) {
      res.status = 400;
      res.set_content(mlflow_error_json(rows.status().message()), "application/json");
      return;
    }
    std::vector<float> probabilities(rows->rows);
    for (size_t r = 0; r < rows->rows; ++r) {
      const float* inputs = rows->values.data() + r * names.size();
      StatusOr<Score> score = service.score_inputs(*model, inputs, 0);
      if (!score.ok()) return send_status(res, score.status());
      probabilities[r] = static_cast<float>(score->probability);
      if (!context.record(*model, *score, "invocations", std::vector<float>(inputs, inputs + names.size())))
        return send_error(res, 503, kNotLogged);
    }
    res.status = 200;
    res.set_content(predictions_json(probabilities), "application/json");
  });

  context.route("GET", "/ping", [](const HttpRequest&, HttpResponse& res) {
    res.status = 200;
    res.set_content("\n", "application/json");
  });
}

}  // namespace credo::serve::api
