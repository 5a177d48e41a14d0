// Pins /openapi.json and /docs: the document is OpenAPI 3.0.3 with every catalogue entry, every
// path parameter declared, every $ref resolving, only the schema keywords OpenAPI 3.0 knows,
// and every example an instance of its schema (a small checker: types, required, enums, extra
// fields, bounds); the page is well-formed, self-contained and shows every endpoint.
#include "credo/serve/openapi.h"

#include <gtest/gtest.h>

#include <set>

#include "credo/base/version.h"
#include "credo/report/xml_scan_testing.h"
#include "credo/serve/endpoint_catalog.h"

namespace credo::serve {
namespace {

using json = nlohmann::json;

const json& resolve(const json& document, const std::string& ref) {
  static const json kMissing;
  const std::string prefix = "#/components/schemas/";
  if (ref.rfind(prefix, 0) != 0) return kMissing;
  const json& schemas = document["components"]["schemas"];
  auto it = schemas.find(ref.substr(prefix.size()));
  return it == schemas.end() ? kMissing : *it;
}

// "" when `value` is an instance of `schema`, else where and why not. Stricter than JSON Schema
// on one point: a property the schema does not name is refused unless additionalProperties says
// otherwise, so an example cannot drift from its schema unseen.
std::string instance_error(const json& value, const json& schema, const json& document, const std::string& where) {
  if (schema.contains("$ref")) {
    const json& target = resolve(document, schema["$ref"]);
    if (target.is_null()) return where + ": unresolved " + schema["$ref"].dump();
    return instance_error(value, target, document, where);
  }
  if (schema.contains("enum") && std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end())
    return where + ": " + value.dump() + " is not in the enum";
  if (value.is_null()) return schema.value("nullable", false) || !schema.contains("type") ? "" : where + ": null";
  std::string type = schema.value("type", "");
  if (type == "object") {
    if (!value.is_object()) return where + ": not an object";
    for (const json& name : schema.value("required", json::array()))
      if (!value.contains(name.get<std::string>())) return where + ": no " + name.get<std::string>();
    const json properties = schema.value("properties", json::object());
    const json additional = schema.value("additionalProperties", json(false));
    for (const auto& [name, field] : value.items()) {
      if (properties.contains(name)) {
        std::string error = instance_error(field, properties[name], document, where + "." + name);
        if (!error.empty()) return error;
      } else if (additional.is_object()) {
        std::string error = instance_error(field, additional, document, where + "." + name);
        if (!error.empty()) return error;
      } else if (additional == false) {
        return where + ": " + name + " is not in the schema";
      }
    }
  } else if (type == "array") {
    if (!value.is_array()) return where + ": not an array";
    if (schema.contains("maxItems") && value.size() > schema["maxItems"].get<size_t>()) return where + ": too many items";
    for (size_t i = 0; i < value.size(); ++i) {
      std::string error = instance_error(value[i], schema.value("items", json::object()), document,
                                         where + "[" + std::to_string(i) + "]");
      if (!error.empty()) return error;
    }
  } else if (type == "integer" && !value.is_number_integer()) {
    return where + ": not an integer";
  } else if (type == "number" && !value.is_number()) {
    return where + ": not a number";
  } else if (type == "string" && !value.is_string()) {
    return where + ": not a string";
  } else if (type == "boolean" && !value.is_boolean()) {
    return where + ": not a boolean";
  }
  if (value.is_number() && ((schema.contains("minimum") && value < schema["minimum"]) ||
                            (schema.contains("maximum") && value > schema["maximum"])))
    return where + ": out of bounds";
  if (type == "string" && schema.value("format", "") == "date" &&
      (value.get<std::string>().size() != 10 || value.get<std::string>()[4] != '-'))
    return where + ": not a date";
  return "";
}

// Every schema keyword is one OpenAPI 3.0 knows, a $ref stands alone, and every $ref resolves.
void expect_schema_well_formed(const json& schema, const json& document, const std::string& where) {
  static const std::set<std::string> kKeywords = {"type",        "properties", "required", "items",    "additionalProperties",
                                                  "description", "enum",       "nullable", "format",   "minimum",
                                                  "maximum",     "maxItems",   "$ref",     "example"};
  ASSERT_TRUE(schema.is_object()) << where;
  if (schema.contains("$ref")) {
    EXPECT_EQ(schema.size(), 1u) << where << ": $ref with siblings";
    EXPECT_FALSE(resolve(document, schema["$ref"]).is_null()) << where << ": " << schema["$ref"];
    return;
  }
  for (const auto& [key, value] : schema.items()) EXPECT_TRUE(kKeywords.count(key)) << where << ": keyword " << key;
  if (schema.contains("type")) {
    static const std::set<std::string> kTypes = {"object", "array", "integer", "number", "string", "boolean"};
    EXPECT_TRUE(kTypes.count(schema["type"])) << where;
  }
  const json properties = schema.value("properties", json::object());  // items() of a temporary would dangle
  for (const auto& [name, property] : properties.items())
    expect_schema_well_formed(property, document, where + "." + name);
  for (const json& name : schema.value("required", json::array()))
    EXPECT_TRUE(properties.contains(name)) << where << ": required " << name;
  if (schema.contains("items")) expect_schema_well_formed(schema["items"], document, where + "[]");
  if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object())
    expect_schema_well_formed(schema["additionalProperties"], document, where + "{}");
}

TEST(OpenApi, DescribesEveryEndpointOfTheCatalogue) {
  json doc = openapi_document("http://127.0.0.1:8080");
  ASSERT_EQ(json::parse(doc.dump()), doc) << "round-trips as JSON";
  EXPECT_EQ(doc["openapi"], "3.0.3");
  EXPECT_EQ(doc["info"]["version"], credo_version());
  EXPECT_FALSE(doc["info"]["title"].get<std::string>().empty());
  EXPECT_EQ(doc["servers"][0]["url"], "http://127.0.0.1:8080");
  EXPECT_EQ(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");

  size_t operations = 0;
  std::set<std::string> operation_ids;
  for (const auto& [path, methods] : doc["paths"].items()) operations += methods.size();
  EXPECT_EQ(operations, endpoint_catalog().size());
  for (const Endpoint& e : endpoint_catalog()) {
    std::string method(e.method);
    for (char& c : method) c = static_cast<char>(std::tolower(c));
    ASSERT_TRUE(doc["paths"].contains(e.path) && doc["paths"][e.path].contains(method)) << e.method << " " << e.path;
    const json& op = doc["paths"][e.path][method];
    EXPECT_TRUE(operation_ids.insert(op["operationId"]).second) << op["operationId"];
    EXPECT_EQ(op["x-credo-role"], role_name(e.role));
    EXPECT_EQ(op["security"].empty(), e.role == Role::kNone) << e.path;
    EXPECT_TRUE(op["responses"].contains(std::to_string(e.success_status))) << e.path;
    if (e.role != Role::kNone) {
      EXPECT_TRUE(op["responses"].contains("401") && op["responses"].contains("403")) << e.path;
    }
    for (const json& p : op.value("parameters", json::array())) {
      if (p["in"] != "path") continue;
      EXPECT_EQ(p["required"], true) << e.path;
      std::string braced = "{";  // built in steps: GCC 12 at -O2 warns wrongly on "{" + name + "}"
      braced += p["name"].get<std::string>();
      braced += '}';
      EXPECT_NE(e.path.find(braced), std::string::npos) << e.path;
    }
    // Every {name} of the path is declared as a path parameter.
    for (size_t at = e.path.find('{'); at != std::string::npos; at = e.path.find('{', at + 1)) {
      std::string name = e.path.substr(at + 1, e.path.find('}', at) - at - 1);
      bool declared = false;
      for (const json& p : op.value("parameters", json::array())) declared |= p["in"] == "path" && p["name"] == name;
      EXPECT_TRUE(declared) << e.path << ": {" << name << "}";
    }
  }
}

TEST(OpenApi, EverySchemaIsWellFormedAndEveryRefResolves) {
  json doc = openapi_document("http://localhost");
  for (const auto& [name, schema] : doc["components"]["schemas"].items())
    expect_schema_well_formed(schema, doc, name);
  // Every $ref anywhere in the document.
  size_t refs = 0;
  std::function<void(const json&)> walk = [&](const json& node) {
    if (node.is_object() && node.contains("$ref")) {
      ++refs;
      EXPECT_FALSE(resolve(doc, node["$ref"]).is_null()) << node["$ref"];
    }
    if (node.is_structured())
      for (const json& child : node) walk(child);
  };
  walk(doc);
  EXPECT_GT(refs, 40u);
}

TEST(OpenApi, EveryExampleIsAnInstanceOfItsSchema) {
  json doc = openapi_document("http://localhost");
  size_t examples = 0;
  for (const auto& [path, methods] : doc["paths"].items()) {
    for (const auto& [method, op] : methods.items()) {
      std::string where = method + " " + path;
      auto check_media = [&](const json& content, const std::string& what) {
        for (const auto& [type, media] : content.items()) {
          ASSERT_TRUE(media.contains("example")) << where << " " << what;
          ++examples;
          EXPECT_EQ(instance_error(media["example"], media["schema"], doc, what), "") << where;
        }
      };
      if (op.contains("requestBody")) check_media(op["requestBody"]["content"], "request");
      for (const auto& [status, response] : op["responses"].items())
        if (response.contains("content")) check_media(response["content"], "answer " + status);
      for (const json& p : op.value("parameters", json::array()))
        EXPECT_EQ(instance_error(p["example"], p["schema"], doc, "parameter " + p["name"].get<std::string>()), "")
            << where;
    }
  }
  EXPECT_GT(examples, 60u);
}

TEST(OpenApi, TheExampleCheckerRefusesWhatItShould) {
  json doc = openapi_document("http://localhost");
  json score_schema = {{"$ref", "#/components/schemas/Score"}};
  json good = json::parse(endpoint_catalog()[*find_endpoint("GET", "/api/v1/clients/1/score")].response_example);
  EXPECT_EQ(instance_error(good, score_schema, doc, "score"), "");
  json wrong = good;
  wrong["decision"] = "MAYBE";
  EXPECT_NE(instance_error(wrong, score_schema, doc, "score"), "");
  wrong = good;
  wrong.erase("threshold");
  EXPECT_NE(instance_error(wrong, score_schema, doc, "score"), "");
  wrong = good;
  wrong["probabilty"] = 0.1;
  EXPECT_NE(instance_error(wrong, score_schema, doc, "score"), "");
  wrong = good;
  wrong["model"]["version"] = "3";
  EXPECT_NE(instance_error(wrong, score_schema, doc, "score"), "");
  wrong = good;
  wrong["probability"] = 1.5;
  EXPECT_NE(instance_error(wrong, score_schema, doc, "score"), "");
  EXPECT_NE(instance_error(good, {{"$ref", "#/components/schemas/Nothing"}}, doc, "x"), "");
}

TEST(OpenApi, TheDocsPageIsWellFormedSelfContainedAndNamesEveryEndpoint) {
  std::string html = docs_page("http://127.0.0.1:8080");
  report::test_xml::ScannedXml page = report::test_xml::scan_xml(html, "html");
  ASSERT_EQ(page.error, "");
  EXPECT_TRUE(page.all("script").empty());
  EXPECT_TRUE(page.all("link").empty());
  EXPECT_TRUE(page.all("img").empty());
  for (const Endpoint& e : endpoint_catalog()) {
    EXPECT_TRUE(page.has_text(e.method + " " + e.path, "h2")) << e.path;
    EXPECT_TRUE(page.has_text(e.path, "td")) << e.path << " in the summary table";
  }
  std::vector<std::string> curls;
  for (const auto* pre : page.all("pre"))
    if (pre->text.rfind("curl ", 0) == 0) curls.push_back(pre->text);
  ASSERT_EQ(curls.size(), endpoint_catalog().size());
  EXPECT_NE(std::find(curls.begin(), curls.end(),
                      "curl -s -H \"Authorization: Bearer $CREDO_TOKEN\" "
                      "'http://127.0.0.1:8080/api/v1/clients/100002/explanation?top=5&all=false'"),
            curls.end());
  EXPECT_NE(std::find(curls.begin(), curls.end(), "curl -s 'http://127.0.0.1:8080/health'"), curls.end());
  bool posts_json = false;
  for (const std::string& curl : curls)
    posts_json |= curl.find("-X POST -H \"Authorization: Bearer $CREDO_TOKEN\" -H 'Content-Type: application/json' "
                            "-d '{\"client_id\":100002,\"defaulted\":true,\"observed_at\":\"2026-11-30\"}' "
                            "'http://127.0.0.1:8080/api/v1/outcomes'") != std::string::npos;
  EXPECT_TRUE(posts_json);
  EXPECT_TRUE(page.has_text("{\n  \"status\": \"ok\"\n}", "pre")) << "answers shown indented";
}

}  // namespace
}  // namespace credo::serve
