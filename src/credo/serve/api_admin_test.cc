// What changes state and who may call what, over real HTTP: outcomes recorded, a reload under
// load that fails no request, bearer tokens with roles, the metrics and the API's own description.
#include <sys/stat.h>

#include <atomic>
#include <fstream>

#include "credo/base/external_tool_testing.h"
#include "credo/serve/api_testing.h"
#include "credo/serve/promtool_testing.h"

namespace credo::serve {
namespace {

using testing::ApiTest;
using testing::json;
using testing::ServedApi;

TEST_F(ApiTest, OutcomesAreRecordedForMonitoring) {
  int64_t known = model()->clients->matrix().id(5);
  auto [status, recorded] = post("/api/v1/outcomes", {{"client_id", known}, {"defaulted", true}, {"observed_at", "2026-11-30"}});
  ASSERT_EQ(status, 201) << recorded;
  EXPECT_EQ(recorded["recorded"], true);
  bool found = false;
  for (const store::Outcome& o : api().store().list_outcomes().value())
    if (o.client_id == known) {
      found = true;
      EXPECT_EQ(o.target, 1);
      EXPECT_EQ(o.time_ms, 1795996800000);  // 2026-11-30T00:00:00Z
    }
  EXPECT_TRUE(found);
  EXPECT_EQ(post("/api/v1/outcomes", {{"client_id", 1}, {"defaulted", "yes"}}).first, 422);
  EXPECT_EQ(post("/api/v1/outcomes", {{"client_id", 1}, {"defaulted", false}, {"when", 3}}).first, 422);
  EXPECT_EQ(post("/api/v1/outcomes", {{"client_id", 1}, {"defaulted", false}, {"observed_at", "30/11/2026"}}).first, 422);
  // An outcome is for a known client: one the service has never heard of is a mistake, not a record.
  auto [unknown_status, unknown] = post("/api/v1/outcomes", {{"client_id", 999}, {"defaulted", false}});
  EXPECT_EQ(unknown_status, 404);
  EXPECT_EQ(unknown["error"]["message"], "client 999 is not known");
}

TEST_F(ApiTest, MetricsCountRequestsDecisionsAndTheModel) {
  int64_t id = model()->clients->matrix().id(0);
  for (int i = 0; i < 3; ++i) get("/api/v1/clients/" + std::to_string(id) + "/score");
  auto res = api().client().Get("/metrics");
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 200);
  const std::string& text = res->body;
  EXPECT_NE(text.find("/api/v1/clients/{id}/score"), std::string::npos);
  EXPECT_EQ(text.find("/api/v1/clients/" + std::to_string(id)), std::string::npos);  // routes, never raw paths
  EXPECT_NE(text.find("credo_model_info{"), std::string::npos);
  EXPECT_NE(text.find("version=\"1\""), std::string::npos);
  EXPECT_NE(text.find("_bucket{"), std::string::npos);
  // What a Prometheus server scraping it would accept.
  CREDO_SKIP_WITHOUT_PROMTOOL();
  EXPECT_EQ(testing::promtool_problems(text), "") << text;
}

TEST_F(ApiTest, TheApiDescribesItselfInOpenApiAndADocsPage) {
  auto [status, doc] = get("/openapi.json");
  ASSERT_EQ(status, 200);
  EXPECT_EQ(doc["openapi"].get<std::string>().substr(0, 2), "3.");
  for (const char* path : {"/api/v1/clients/{id}/score", "/api/v1/score", "/api/v1/score/batch", "/api/v1/clients/{id}/explanation",
                           "/api/v1/explanation", "/api/v1/importance", "/api/v1/population", "/invocations", "/admin/reload",
                           "/api/v1/outcomes", "/metrics"})
    EXPECT_TRUE(doc["paths"].contains(path)) << path;
  auto page = api().client().Get("/docs");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("/api/v1/clients/{id}/explanation"), std::string::npos);
  // The page as a browser shows it, from the server with its headers (a Content-Security-Policy
  // refusal or a script error would be console messages).
  CREDO_SKIP_WITHOUT("command -v chromium", "chromium");
  credo::testing::BrowserRun browser =
      credo::testing::open_in_chromium("http://127.0.0.1:" + std::to_string(api().port()) + "/docs");
  EXPECT_EQ(browser.exit_code, 0);
  EXPECT_EQ(browser.console, "");
  EXPECT_NE(browser.dom.find("/api/v1/clients/{id}/explanation"), std::string::npos) << browser.dom.substr(0, 500);
}

// The alias moves to version 2 while four threads score without pause: every request answers
// 200, the answers switch from version 1 to 2 and never back.
TEST(ApiReloadTest, AReloadUnderLoadFailsNoRequest) {
  ServedApi api;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  int64_t id = api.service().current()->clients->matrix().id(5);
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0}, answered{0}, went_back{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([&, t] {  // t by value: the loop variable ends before the thread
      httplib::Client c = api.client();
      c.set_keep_alive(true);
      c.set_tcp_nodelay(true);  // else the body waits for the header's delayed ACK: 40 ms a request
      int last_version = 1;
      while (!stop) {
        auto res = t % 2 ? c.Get("/api/v1/clients/" + std::to_string(id) + "/score")
                         : c.Post("/api/v1/score", json{{"client_id", id}, {"application", {{"AMT_CREDIT", 5e5}}}}.dump(),
                                  "application/json");
        if (!res || res->status != 200) {
          ++failures;
          continue;
        }
        int version = json::parse(res->body)["model"]["version"];
        if (version < last_version) ++went_back;
        last_version = version;
        ++answered;
      }
    });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto [same_status, same] = api.post("/admin/reload", json::object());
  EXPECT_EQ(same_status, 200);
  EXPECT_EQ(same["reloaded"], false);  // the alias has not moved
  ASSERT_TRUE(api.store().set_alias("credit-default", "champion", 2, "test", "promote the challenger").ok());
  auto [status, reloaded] = api.post("/admin/reload", json::object());
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  stop = true;
  for (auto& t : callers) t.join();
  ASSERT_EQ(status, 200) << reloaded;
  EXPECT_EQ(reloaded["reloaded"], true);
  EXPECT_EQ(reloaded["from_version"], 1);
  EXPECT_EQ(reloaded["to_version"], 2);
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(went_back, 0);
  EXPECT_GT(answered, 100);
  EXPECT_EQ(api.get("/api/v1/model").second["algorithm"], "logistic");
}

TEST(ApiTokensTest, RolesDecideWhoMayCallWhat) {
  std::string reader(40, 'r'), scorer(40, 's'), admin(40, 'a');
  auto tokens = AccessTokens::parse("read " + reader + " dashboard\nscore " + scorer + " loans app\nadmin " + admin + " ops\n", "tokens");
  ASSERT_TRUE(tokens.ok()) << tokens.status().to_string();
  ServerOptions options;
  options.tokens = std::move(*tokens);
  ServedApi api(std::move(options));
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  std::string score = "/api/v1/clients/" + std::to_string(api.service().current()->clients->matrix().id(0)) + "/score";
  json posted = {{"client_id", api.service().current()->clients->matrix().id(0)}};

  EXPECT_EQ(api.get("/health").first, 200);  // no token needed
  EXPECT_EQ(api.get("/ready").first, 200);
  auto [none_status, none] = api.get(score);
  EXPECT_EQ(none_status, 401);
  EXPECT_EQ(none["error"]["code"], "UNAUTHENTICATED");
  EXPECT_EQ(api.get(score, std::string(40, 'x')).first, 401);
  EXPECT_EQ(api.get(score, reader).first, 200);
  auto [low_status, low] = api.post("/api/v1/score", posted, reader);
  EXPECT_EQ(low_status, 403);
  EXPECT_EQ(low.dump().find(reader), std::string::npos);  // a token is never echoed
  EXPECT_EQ(api.post("/api/v1/score", posted, scorer).first, 200);
  EXPECT_EQ(api.post("/admin/reload", json::object(), scorer).first, 403);
  EXPECT_EQ(api.post("/admin/reload", json::object(), admin).first, 200);
  int64_t known = api.service().current()->clients->matrix().id(1);
  EXPECT_EQ(api.post("/api/v1/outcomes", {{"client_id", known}, {"defaulted", false}}, scorer).first, 403);
  EXPECT_EQ(api.post("/api/v1/outcomes", {{"client_id", known}, {"defaulted", false}}, admin).first, 201);
}

}  // namespace
}  // namespace credo::serve
