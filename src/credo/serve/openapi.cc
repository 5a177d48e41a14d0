// Both documents walk endpoint_catalog() in order. Path parameters become OpenAPI parameters and
// {name} in curl lines is replaced by the parameter's example; every error status answers the
// Error schema; endpoints that need a role declare the bearer scheme and x-credo-role.
#include "credo/serve/openapi.h"

#include <cctype>

#include "credo/base/version.h"
#include "credo/report/html_page.h"
#include "credo/serve/endpoint_catalog.h"
#include "credo/serve/error_codes.h"

namespace credo::serve {
namespace {

using json = nlohmann::json;

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

json schema_ref(const std::string& name) { return {{"$ref", "#/components/schemas/" + name}}; }

// The statuses an endpoint may answer with an error body: its own, and 401/403 when it needs a token.
std::vector<int> error_statuses_of(const Endpoint& endpoint) {
  std::vector<int> statuses = endpoint.error_statuses;
  if (endpoint.role != Role::kNone) statuses.insert(statuses.end(), {401, 403});
  std::sort(statuses.begin(), statuses.end());
  statuses.erase(std::unique(statuses.begin(), statuses.end()), statuses.end());
  return statuses;
}

json error_example(int status) {
  const ErrorCode& code = error_codes()[error_code_index(status)];
  return {{"error",
           {{"status", status}, {"code", code.code}, {"message", code.meaning}, {"request_id", "3f2a9c0d1e7b4a55"}}}};
}

json success_response(const Endpoint& endpoint) {
  json response = {{"description", endpoint.summary}};
  if (endpoint.response_content_type.empty()) return response;
  json media;
  if (endpoint.response_content_type == "application/json") {
    media["schema"] = endpoint.response_schema.empty() ? json{{"type", "object"}, {"additionalProperties", true}}
                                                       : schema_ref(endpoint.response_schema);
    media["example"] = json::parse(endpoint.response_example);
  } else {
    media["schema"] = {{"type", "string"}};
    media["example"] = endpoint.response_example;
  }
  // The media type without parameters: OpenAPI keys content by type ("text/plain").
  std::string type = endpoint.response_content_type.substr(0, endpoint.response_content_type.find(';'));
  response["content"][type] = media;
  return response;
}

// "GET /api/v1/clients/{id}/score" -> "get_api_v1_clients_id_score": an identifier code generators accept.
std::string operation_id(const Endpoint& endpoint) {
  std::string id;
  for (char c : lowercase(endpoint.method) + endpoint.path) {
    if (std::isalnum(static_cast<unsigned char>(c))) id += c;
    else if (!id.empty() && id.back() != '_') id += '_';
  }
  while (!id.empty() && id.back() == '_') id.pop_back();
  return id;
}

json openapi_operation(const Endpoint& endpoint) {
  json op = {{"operationId", operation_id(endpoint)},
             {"summary", endpoint.summary},
             {"description", endpoint.description},
             {"tags", {endpoint.tag}},
             {"x-credo-role", role_name(endpoint.role)}};
  json parameters = json::array();
  for (const EndpointParameter& p : endpoint.parameters) {
    json schema = {{"type", p.type}};
    json example = p.type == "integer" ? json(std::stoll(p.example))
                   : p.type == "number" ? json(std::stod(p.example))
                   : p.type == "boolean" ? json(p.example == "true")
                                         : json(p.example);
    parameters.push_back({{"name", p.name},
                          {"in", p.in_path ? "path" : "query"},
                          {"required", p.in_path || p.required},
                          {"description", p.description},
                          {"schema", schema},
                          {"example", example}});
  }
  if (!parameters.empty()) op["parameters"] = parameters;
  if (!endpoint.request_schema.empty())
    op["requestBody"] = {{"required", true},
                         {"content",
                          {{"application/json",
                            {{"schema", schema_ref(endpoint.request_schema)},
                             {"example", json::parse(endpoint.request_example)}}}}}};
  op["responses"][std::to_string(endpoint.success_status)] = success_response(endpoint);
  for (int status : error_statuses_of(endpoint))
    op["responses"][std::to_string(status)] = {
        {"description", error_codes()[error_code_index(status)].meaning},
        {"content", {{"application/json", {{"schema", schema_ref("Error")}, {"example", error_example(status)}}}}}};
  op["security"] = endpoint.role == Role::kNone ? json::array() : json::array({{{"bearer", json::array()}}});
  return op;
}

// The URL of an endpoint with its parameters' examples: path ones substituted, query ones appended.
std::string example_url(const Endpoint& endpoint, const std::string& server_url) {
  std::string path = endpoint.path, query;
  for (const EndpointParameter& p : endpoint.parameters) {
    if (p.in_path) {
      size_t at = path.find("{" + p.name + "}");
      if (at != std::string::npos) path.replace(at, p.name.size() + 2, p.example);
    } else if (p.required || p.name == "top" || p.name == "client" || p.name == "all") {
      query += (query.empty() ? "?" : "&") + p.name + "=" + p.example;
    }
  }
  return server_url + path + query;
}

// Single quotes for the shell: ' inside becomes '\''.
std::string shell_quoted(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string curl_line(const Endpoint& endpoint, const std::string& server_url) {
  std::string line = "curl -s";
  if (endpoint.method != "GET") line += " -X " + endpoint.method;
  if (endpoint.role != Role::kNone) line += " -H \"Authorization: Bearer $CREDO_TOKEN\"";
  if (!endpoint.request_schema.empty())
    line += " -H 'Content-Type: application/json' -d " +
            shell_quoted(nlohmann::ordered_json::parse(endpoint.request_example).dump());
  return line + " " + shell_quoted(example_url(endpoint, server_url));
}

std::string example_answer(const Endpoint& endpoint) {
  if (endpoint.response_content_type.empty()) return "(an empty body)";
  if (endpoint.response_content_type == "application/json")
    return nlohmann::ordered_json::parse(endpoint.response_example).dump(2);  // in the catalogue's order
  return endpoint.response_example;
}

}  // namespace

json openapi_document(const std::string& server_url) {
  json paths = json::object();
  for (const Endpoint& endpoint : endpoint_catalog())
    paths[endpoint.path][lowercase(endpoint.method)] = openapi_operation(endpoint);
  json tags = json::array();
  for (const Endpoint& endpoint : endpoint_catalog())
    if (std::find(tags.begin(), tags.end(), json{{"name", endpoint.tag}}) == tags.end())
      tags.push_back({{"name", endpoint.tag}});
  return {{"openapi", "3.0.3"},
          {"info",
           {{"title", "credo scoring API"},
            {"version", credo_version()},
            {"description",
             "Scores credit applications with the registered model served: probability of default, decision "
             "against the cost-minimising threshold, and the reasons behind it. Every error answers "
             "{\"error\": {\"status\", \"code\", \"message\", \"request_id\"}}."}}},
          {"servers", {{{"url", server_url}}}},
          {"tags", tags},
          {"paths", paths},
          {"components",
           {{"schemas", api_schemas()},
            {"securitySchemes",
             {{"bearer",
               {{"type", "http"},
                {"scheme", "bearer"},
                {"description", "A token from the server's token file (credo serve --token-file); its role "
                                "(read < score < admin) must reach the endpoint's x-credo-role."}}}}}}}};
}

std::string docs_page(const std::string& server_url) {
  report::HtmlPage page("credo scoring API " + std::string(credo_version()));
  page.paragraph("Scores credit applications with the model served: the probability of default, the decision "
                 "against the threshold that minimises the business cost, and the reasons behind it. Answers are "
                 "JSON; an error answers {\"error\": {\"status\", \"code\", \"message\", \"request_id\"}}. The same "
                 "description for programs: " + server_url + "/openapi.json.");
  page.paragraph("Endpoints that need a role take the header 'Authorization: Bearer <token>' with a token of the "
                 "server's token file. Roles nest: admin includes score, score includes read. Without a token file "
                 "(a server on loopback only) no token is needed.");
  std::vector<std::vector<std::string>> rows;
  for (const Endpoint& endpoint : endpoint_catalog())
    rows.push_back({endpoint.method, endpoint.path, role_name(endpoint.role), endpoint.summary});
  page.table({"METHOD", "PATH", "ROLE", "WHAT IT DOES"}, rows);

  for (const Endpoint& endpoint : endpoint_catalog()) {
    page.heading(endpoint.method + " " + endpoint.path);
    page.paragraph(endpoint.summary + ". " + endpoint.description);
    std::string errors;
    for (int status : error_statuses_of(endpoint))
      errors += (errors.empty() ? "" : ", ") + std::to_string(status) + " " + error_code_for_status(status);
    page.facts({{"role", endpoint.role == Role::kNone ? "none (no token)" : role_name(endpoint.role)},
                {"answer", std::to_string(endpoint.success_status) +
                               (endpoint.response_content_type.empty() ? "" : " " + endpoint.response_content_type)},
                {"errors", errors.empty() ? "none" : errors}});
    if (!endpoint.parameters.empty()) {
      std::vector<std::vector<std::string>> parameters;
      for (const EndpointParameter& p : endpoint.parameters)
        parameters.push_back({p.name, p.in_path ? "path" : "query", p.type,
                              p.in_path || p.required ? "yes" : "no", p.description, p.example});
      page.table({"PARAMETER", "IN", "TYPE", "REQUIRED", "DESCRIPTION", "EXAMPLE"}, parameters);
    }
    page.paragraph("Example request:");
    page.preformatted(curl_line(endpoint, server_url));
    page.paragraph("Answer:");
    page.preformatted(example_answer(endpoint));
  }
  return page.render();
}

}  // namespace credo::serve
