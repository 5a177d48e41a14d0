// Every endpoint of the scoring API in one table: method, path pattern, the role it needs, what
// it does, its parameters, body and answer schemas with examples, and its error statuses. The
// server reads it for the role check and the metrics' route label; /openapi.json and /docs are
// generated from it; so a change to the API is made here once.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/serve/access_tokens.h"
#include "credo/serve/service_metrics.h"

namespace credo::serve {

struct EndpointParameter {
  std::string name;
  bool in_path = false;     // a {name} segment of the path; otherwise a query parameter
  std::string type;         // OpenAPI's: "integer", "number", "string", "boolean"
  bool required = false;    // path parameters always are
  std::string description;
  std::string example;      // as written in a URL ("100002", "CODE_GENDER:F,AGE:30-40")
};

struct Endpoint {
  std::string method;       // "GET" or "POST"
  std::string path;         // OpenAPI style: "/api/v1/clients/{id}/score"
  Role role = Role::kNone;  // the lowest role allowed
  std::string tag;          // the group it is listed under: "scoring", "explanations", "clients", ...
  std::string summary;      // one line
  std::string description;  // a paragraph for the documentation
  std::vector<EndpointParameter> parameters;
  std::string request_schema;   // a name in api_schemas(); empty: no body
  std::string request_example;  // JSON text
  int success_status = 200;
  std::string response_content_type = "application/json";  // empty: no body (GET /ping)
  std::string response_schema;  // a name in api_schemas() for JSON answers
  std::string response_example; // JSON text, or the text itself for other content types
  std::vector<int> error_statuses;  // besides 401/403, which the role implies
};

// The catalogue, in the order the documentation lists it.
const std::vector<Endpoint>& endpoint_catalog();

// The JSON schemas (OpenAPI 3.0 subset) the catalogue names, by name; includes "Error".
const nlohmann::json& api_schemas();

// The catalogue index of the endpoint a request is for, or nullopt. `path` is the request's path
// without the query ("/api/v1/clients/100002/score"); a {parameter} matches one non-empty segment.
// No allocation: it runs for every request.
std::optional<size_t> find_endpoint(std::string_view method, std::string_view path);
// Whether any endpoint has this path (with another method, the answer is 405 rather than 404).
bool path_is_known(std::string_view path);

// The values of the endpoint's {parameters} in a `path` it matches, in order:
// ("/api/v1/clients/{id}/score", "/api/v1/clients/100002/score") -> {"100002"}.
std::vector<std::string> path_parameters(const Endpoint& endpoint, std::string_view path);
// The metrics' route labels, in catalogue order (route id = catalogue index).
std::vector<RouteLabel> route_labels();

}  // namespace credo::serve
