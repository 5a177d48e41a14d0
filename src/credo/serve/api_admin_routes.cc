// The routes that change state: reloading the model (when its alias moved in the registry) and
// recording a client's true outcome for performance monitoring.
#include <chrono>
#include <cstdio>

#include "credo/serve/api_routes.h"

namespace credo::serve::api {
namespace {

// "2026-11-30" or "2026-11-30T12:00:00Z" -> milliseconds since the epoch (UTC).
std::optional<int64_t> parse_observed_at(const std::string& text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  char tail = 0;
  int fields = std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d%c", &year, &month, &day, &hour, &minute, &second, &tail);
  bool date_only = fields == 3 && text.size() == 10;
  bool date_time = fields == 7 && tail == 'Z' && text.size() == 20;
  if (!date_only && !date_time) return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                     std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok() || hour > 23 || minute > 59 || second > 60) return std::nullopt;
  sys_seconds t = sys_days(ymd) + hours(hour) + minutes(minute) + seconds(second);
  return duration_cast<milliseconds>(t.time_since_epoch()).count();
}

}  // namespace

void install_admin_routes(ApiContext& context) {
  context.route("POST", "/admin/reload", [&](const HttpRequest&, HttpResponse& res) {
    StatusOr<json> reloaded = context.reload(false);
    if (!reloaded.ok()) {
      // The reason names the store's files: it is for the operator's log, not the caller.
      std::fprintf(stderr, "reload failed (request %s): %s (still serving the previous version)\n",
                   current_request().request_id.c_str(), reloaded.status().message().c_str());
      return send_error(res, 503, "the model could not be reloaded; the previous version is still served "
                                  "(the server's log says why, under this request id)");
    }
    send_json(res, 200, *reloaded);
  });

  context.route("POST", "/api/v1/outcomes", [&](const HttpRequest& req, HttpResponse& res) {
    StatusOr<json> body = parse_json_body(req);
    if (!body.ok()) return send_status(res, body.status());
    if (!body->is_object()) return send_error(res, 422, "body: expected {\"client_id\": int, \"defaulted\": bool}");
    for (const auto& [key, value] : body->items())
      if (key != "client_id" && key != "defaulted" && key != "observed_at")
        return send_error(res, 422, "body." + key + " is not a field of an outcome (client_id, defaulted, observed_at)");
    const json& id = (*body)["client_id"];
    if (!id.is_number_integer() || id.get<int64_t>() < 0)
      return send_error(res, 422, "body.client_id: expected an SK_ID_CURR (a non-negative whole number)");
    const json& defaulted = (*body)["defaulted"];
    if (!defaulted.is_boolean()) return send_error(res, 422, "body.defaulted: expected true or false");
    store::Outcome outcome;
    outcome.client_id = id.get<int64_t>();
    outcome.target = defaulted.get<bool>() ? 1 : 0;
    outcome.time_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    if (body->contains("observed_at")) {
      const json& at = (*body)["observed_at"];
      std::optional<int64_t> ms = at.is_string() ? parse_observed_at(at.get<std::string>()) : std::nullopt;
      if (!ms) return send_error(res, 422, "body.observed_at: expected a date 2026-11-30 or a UTC time 2026-11-30T12:00:00Z");
      outcome.time_ms = *ms;
    }
    if (!context.service.current()->clients->find(outcome.client_id))
      return send_error(res, 404, "client " + std::to_string(outcome.client_id) + " is not known");
    outcome.source = "api" + (current_request().token_name.empty() ? "" : ":" + current_request().token_name);
    Status recorded = context.store.record_outcome(outcome);
    if (!recorded.ok()) return send_status(res, recorded);
    send_json(res, 201, {{"client_id", outcome.client_id}, {"defaulted", outcome.target == 1}, {"recorded", true},
                         {"request_id", current_request().request_id}});
  });
}

}  // namespace credo::serve::api
