// The dashboard as credo serve answers it, over real HTTP (fixture: api_testing.h): the page at /
// is plain HTML that works before its script (one h1, landmarks, a labelled client field and a
// submit), it links its script and style sheet by content-hashed names, those are served with the
// right types and a year's immutable caching, an unknown asset is a 404 in the API's error form,
// and both stay open when the service requires tokens while the API the page calls does not.
// (The page itself is tested in Chromium: web/test/dashboard_test.mjs.)
#include <algorithm>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "credo/base/fingerprint.h"
#include "credo/serve/api_testing.h"
#include "credo/serve/dashboard_assets.h"
#include "credo/serve/openapi.h"

namespace credo::serve {
namespace {

using testing::ApiTest;
using testing::json;
using testing::ServedApi;

size_t count_of(const std::string& text, const std::string& part) {
  size_t count = 0;
  for (size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

// The /assets/... paths the page links, in order.
std::vector<std::string> linked_assets(const std::string& html) {
  std::vector<std::string> paths;
  std::regex link(R"#((?:href|src)="(/assets/[^"]+)")#");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), link); it != std::sregex_iterator(); ++it)
    paths.push_back((*it)[1]);
  return paths;
}

TEST(ApiWebTest, ThePageAndItsHashedAssetsAreServedOpenWithLongLivedCaching) {
  std::string reader(40, 'r');
  auto tokens = AccessTokens::parse("read " + reader + " dashboard\n", "tokens");
  ASSERT_TRUE(tokens.ok()) << tokens.status().to_string();
  ServerOptions options;
  options.tokens = std::move(*tokens);
  ServedApi api(std::move(options));
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  httplib::Client client = api.client();

  httplib::Result page = client.Get("/");  // no token: a browser opening the page sends none
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_EQ(page->get_header_value("Cache-Control"), "no-cache");
  EXPECT_EQ(page->get_header_value("X-Content-Type-Options"), "nosniff");
  EXPECT_NE(page->get_header_value("Content-Security-Policy").find("default-src 'self'"), std::string::npos);
  const std::string& html = page->body;
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<html lang=\"en\">"), std::string::npos);
  EXPECT_EQ(count_of(html, "<h1"), 1u);
  for (const char* landmark : {"<header", "<main", "<footer", "<nav"}) EXPECT_EQ(count_of(html, landmark), 1u) << landmark;
  EXPECT_NE(html.find("<label for=\"client\">"), std::string::npos);
  EXPECT_NE(html.find("id=\"client\" name=\"client\""), std::string::npos);
  EXPECT_NE(html.find("<button type=\"submit\">"), std::string::npos);
  EXPECT_EQ(html.find("{{"), std::string::npos) << "every placeholder replaced";
  EXPECT_EQ(client.Get("/?client=100002&view=why")->body, html) << "the views are the same page";

  std::vector<std::string> linked = linked_assets(html);
  ASSERT_EQ(linked.size(), 2u) << html;
  std::map<std::string, std::string> types;
  for (const std::string& path : linked) {
    httplib::Result asset = client.Get(path);
    ASSERT_TRUE(asset);
    EXPECT_EQ(asset->status, 200) << path;
    EXPECT_EQ(asset->get_header_value("Cache-Control"), "public, max-age=31536000, immutable") << path;
    EXPECT_FALSE(asset->body.empty()) << path;
    // The name carries the first 16 hex digits of the content's fingerprint.
    std::string name = path.substr(path.find_last_of('/') + 1);
    std::string hash = name.substr(name.find('.') + 1, 16);
    EXPECT_EQ(hash, fingerprint_bytes(asset->body).substr(0, 16)) << path;
    types[name.substr(name.find_last_of('.'))] = asset->get_header_value("Content-Type");
  }
  EXPECT_EQ(types[".js"], "text/javascript; charset=utf-8");
  EXPECT_EQ(types[".css"], "text/css; charset=utf-8");

  auto [missing_status, missing] = api.get("/assets/dashboard.0000000000000000.js");
  EXPECT_EQ(missing_status, 404);
  EXPECT_EQ(missing["error"]["code"], "NOT_FOUND");
  EXPECT_EQ(client.Post("/", "", "text/plain")->status, 405);

  // The API the page calls still needs the token.
  std::string score = "/api/v1/clients/" + std::to_string(api.service().current()->clients->matrix().id(0)) + "/score";
  EXPECT_EQ(api.get(score).first, 401);
  EXPECT_EQ(api.get(score, reader).first, 200);
}

TEST(ApiWebTest, TheCatalogueAndOpenApiListTheDashboard) {
  json doc = openapi_document("http://127.0.0.1:8080");
  ASSERT_TRUE(doc["paths"].contains("/"));
  ASSERT_TRUE(doc["paths"].contains("/assets/{name}"));
  EXPECT_TRUE(doc["paths"]["/"]["get"]["responses"]["200"]["content"].contains("text/html"));
  EXPECT_TRUE(doc["paths"]["/"]["get"]["security"].empty());
  EXPECT_TRUE(doc["paths"]["/assets/{name}"]["get"]["responses"].contains("404"));
  // The bundle in the binary is what the page links: two assets, named by their hash.
  ASSERT_EQ(dashboard_assets().size(), 2u);
  for (const WebAsset& asset : dashboard_assets()) {
    EXPECT_NE(dashboard_page().find("/assets/" + asset.name), std::string::npos) << asset.name;
    EXPECT_EQ(find_dashboard_asset(asset.name), &asset);
  }
  EXPECT_EQ(find_dashboard_asset("dashboard.js"), nullptr);
}

TEST_F(ApiTest, ClientSearchSuggestsTheKnownClientsStartingWithTheDigitsTyped) {
  std::vector<int64_t> known(model()->clients->matrix().ids().begin(), model()->clients->matrix().ids().end());
  std::sort(known.begin(), known.end());
  std::string first = std::to_string(known.front());
  for (std::string prefix : {first.substr(0, 1), first.substr(0, 4), first, first + "9"}) {
    std::vector<int64_t> expected;  // the oracle: the ids written out, sorted, compared as text
    for (int64_t id : known)
      if (std::to_string(id).rfind(prefix, 0) == 0) expected.push_back(id);
    auto [status, answer] = get("/api/v1/clients?prefix=" + prefix + "&limit=5");
    ASSERT_EQ(status, 200) << prefix;
    EXPECT_EQ(answer["prefix"], prefix);
    EXPECT_EQ(answer["total"], expected.size()) << prefix;
    expected.resize(std::min<size_t>(expected.size(), 5));
    EXPECT_EQ(answer["clients"].get<std::vector<int64_t>>(), expected) << prefix;
  }
  EXPECT_EQ(get("/api/v1/clients?prefix=" + first.substr(0, 3)).second["clients"].size(), 10u) << "10 by default";
  for (std::string bad : {"", "abc", "12a", "-1", "1234567890123456789"}) {
    auto [status, answer] = get("/api/v1/clients?prefix=" + bad);
    EXPECT_EQ(status, 400) << bad;
    EXPECT_NE(answer["error"]["message"].get<std::string>().find("prefix"), std::string::npos) << bad;
  }
  EXPECT_EQ(get("/api/v1/clients").first, 400);
  EXPECT_EQ(get("/api/v1/clients?prefix=1&limit=0").first, 400);
  EXPECT_EQ(get("/api/v1/clients?prefix=1&limit=51").first, 400);
}

}  // namespace
}  // namespace credo::serve
