// Pins the endpoint catalogue: requests find their endpoint (route patterns, not raw paths), the
// roles are those the API promises, every {parameter} is declared and found in a path.
#include "credo/serve/endpoint_catalog.h"

#include <gtest/gtest.h>

#include <set>

namespace credo::serve {
namespace {

struct RouteCase {
  const char* method;
  const char* path;
  const char* endpoint;  // the pattern found, or nullptr
};

TEST(EndpointCatalog, FindsTheEndpointOfARequest) {
  const RouteCase cases[] = {
      {"GET", "/health", "/health"},
      {"GET", "/api/v1/clients/100002/score", "/api/v1/clients/{id}/score"},
      {"GET", "/api/v1/clients/abc/score", "/api/v1/clients/{id}/score"},  // the handler refuses it with 400
      {"GET", "/api/v1/clients/100002", "/api/v1/clients/{id}"},
      {"GET", "/api/v1/clients", "/api/v1/clients"},
      {"GET", "/api/v1/clients/100002/explanation", "/api/v1/clients/{id}/explanation"},
      {"GET", "/api/v1/clients/100002/similar", "/api/v1/clients/{id}/similar"},
      {"POST", "/api/v1/score", "/api/v1/score"},
      {"POST", "/api/v1/score/batch", "/api/v1/score/batch"},
      {"POST", "/invocations", "/invocations"},
      {"GET", "/openapi.json", "/openapi.json"},
      {"GET", "/openapiXjson", nullptr},
      {"GET", "/api/v1/score", nullptr},  // exists for POST only
      {"POST", "/health", nullptr},
      {"GET", "/api/v1/clients//score", nullptr},
      {"GET", "/api/v1/clients/1/score/", nullptr},
      {"GET", "/api/v1/clients/1/2/score", nullptr},
      {"GET", "/health/", nullptr},
      {"GET", "/", "/"},  // the dashboard
      {"GET", "//", nullptr},
      {"GET", "/assets/dashboard.3f2a9c0d1e7b4a55.js", "/assets/{name}"},
      {"GET", "/assets/", nullptr},
      {"GET", "/assets/a/b.js", nullptr},
      {"GET", "", nullptr},
  };
  for (const RouteCase& c : cases) {
    std::optional<size_t> found = find_endpoint(c.method, c.path);
    if (!c.endpoint) {
      EXPECT_FALSE(found.has_value()) << c.method << " " << c.path;
      continue;
    }
    ASSERT_TRUE(found.has_value()) << c.method << " " << c.path;
    EXPECT_EQ(endpoint_catalog()[*found].path, c.endpoint);
    EXPECT_EQ(endpoint_catalog()[*found].method, c.method);
  }
  EXPECT_TRUE(path_is_known("/api/v1/score"));
  EXPECT_TRUE(path_is_known("/api/v1/clients/7"));
  EXPECT_FALSE(path_is_known("/api/v2/score"));
}

TEST(EndpointCatalog, RolesAreThoseTheApiPromises) {
  std::map<std::string, Role> expected = {
      {"GET /health", Role::kNone},        {"GET /ready", Role::kNone},          {"GET /ping", Role::kNone},
      {"GET /metrics", Role::kNone},       {"GET /openapi.json", Role::kNone},   {"GET /docs", Role::kNone},
      {"GET /", Role::kNone},              {"GET /assets/{name}", Role::kNone},
      {"POST /api/v1/score", Role::kScore}, {"POST /api/v1/score/batch", Role::kScore},
      {"POST /invocations", Role::kScore}, {"POST /api/v1/explanation", Role::kScore},
      {"POST /admin/reload", Role::kAdmin}, {"POST /api/v1/outcomes", Role::kAdmin},
  };
  std::set<std::string> seen;
  for (const Endpoint& e : endpoint_catalog()) {
    std::string key = e.method + " " + e.path;
    EXPECT_TRUE(seen.insert(key).second) << key << " twice";
    auto it = expected.find(key);
    Role role = it != expected.end() ? it->second : Role::kRead;  // every other endpoint reads
    EXPECT_EQ(e.role, role) << key;
    if (e.method == "GET") {
      EXPECT_TRUE(e.request_schema.empty()) << key << ": a GET with a body";
    }
    EXPECT_FALSE(e.summary.empty() || e.description.empty() || e.tag.empty()) << key;
  }
  for (const auto& [key, role] : expected) EXPECT_TRUE(seen.count(key)) << key << " is missing";
  EXPECT_EQ(seen.size(), 23u);
}

TEST(EndpointCatalog, EveryPathParameterIsDeclaredAndFoundInAPath) {
  for (const Endpoint& e : endpoint_catalog()) {
    std::set<std::string> in_pattern, declared;
    for (size_t at = e.path.find('{'); at != std::string::npos; at = e.path.find('{', at + 1))
      in_pattern.insert(e.path.substr(at + 1, e.path.find('}', at) - at - 1));
    for (const EndpointParameter& p : e.parameters) {
      if (p.in_path) declared.insert(p.name);
      EXPECT_FALSE(p.example.empty()) << e.path << " " << p.name;
    }
    EXPECT_EQ(in_pattern, declared) << e.path;

    std::string concrete = e.path;
    for (const EndpointParameter& p : e.parameters)
      if (p.in_path) concrete.replace(concrete.find("{" + p.name + "}"), p.name.size() + 2, p.example);
    std::vector<std::string> examples;
    for (const EndpointParameter& p : e.parameters)
      if (p.in_path) examples.push_back(p.example);
    EXPECT_EQ(path_parameters(e, concrete), examples) << concrete;
    EXPECT_EQ(find_endpoint(e.method, concrete), static_cast<size_t>(&e - endpoint_catalog().data())) << concrete;
  }
  EXPECT_EQ(path_parameters(endpoint_catalog()[*find_endpoint("GET", "/api/v1/clients/1/score")], "/api/v1/clients/1/score"),
            std::vector<std::string>{"1"});
  EXPECT_TRUE(path_parameters(endpoint_catalog()[*find_endpoint("GET", "/openapi.json")], "/openapi.json").empty());
}

TEST(EndpointCatalog, RouteLabelsFollowTheCatalogue) {
  std::vector<RouteLabel> labels = route_labels();
  ASSERT_EQ(labels.size(), endpoint_catalog().size());
  for (size_t i = 0; i < labels.size(); ++i) {
    EXPECT_EQ(labels[i].method, endpoint_catalog()[i].method);
    EXPECT_EQ(labels[i].path, endpoint_catalog()[i].path);
  }
}

}  // namespace
}  // namespace credo::serve
