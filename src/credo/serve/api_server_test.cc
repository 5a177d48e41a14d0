// The scoring API over real HTTP: a model trained and registered in a temporary store, served
// on an ephemeral loopback port, called with cpp-httplib's client. Pins every answer's shape,
// that a client's probability is the bundle's own prediction, and the error answers.
#include "credo/serve/api_server.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <cmath>
#include <thread>

#include <nlohmann/json.hpp>

#include "credo/base/temp_dir.h"
#include "credo/store/store.h"
#include "credo/train/synthetic_matrix_testing.h"
#include "credo/train/trainer.h"

namespace credo::serve {
namespace {

using json = nlohmann::json;

// 1,200 clients with a logistic truth on two of five features; the last 100 have no TARGET.
std::string write_features(const std::filesystem::path& dir) {
  std::string path = (dir / "features.credo").string();
  EXPECT_TRUE(write_feature_matrix(testing::synthetic_matrix({.weight = 1.2, .seed = 5, .first_id = 300000}), path).ok());
  return path;
}

class ApiServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir("api_server");
    features_ = write_features(dir_->path());
    store_ = store::open_store(dir_->path() / "store").value().release();
    train::TrainConfig config;
    config.features = features_;
    config.algorithms = {"dummy", "logistic"};
    config.trials = 1;
    config.refine_trials = 0;
    config.folds = 2;
    config.threads = 1;
    auto trained = train::train_models(config, *store_, "test", nullptr);
    ASSERT_TRUE(trained.ok()) << trained.status().to_string();
    auto service = ScoringService::open(*store_, "models:/credit-default@champion", "");
    ASSERT_TRUE(service.ok()) << service.status().to_string();
    service_ = service->release();
    ServerOptions options;
    options.port = 0;
    options.max_body_bytes = 4096;
    options.access_log = nullptr;
    log_ = new PredictionLog(*store_, {.capacity = 1000, .batch_size = 100, .flush_interval_ms = 5});
    server_ = new ApiServer(*service_, options, log_);
    ASSERT_TRUE(server_->bind().ok());
    thread_ = new std::thread([] { (void)server_->serve(); });
    httplib::Client probe("127.0.0.1", server_->port());
    for (int i = 0; i < 200 && !probe.Get("/health"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  static void TearDownTestSuite() {
    server_->stop();
    thread_->join();
    delete thread_;
    delete server_;
    delete log_;
    delete service_;
    delete store_;
    delete dir_;
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(5, 0);
    return c;
  }
  // GET and parse; the body must be JSON whatever the status.
  std::pair<int, json> get(const std::string& path) const {
    auto res = client().Get(path);
    EXPECT_TRUE(res) << path;
    if (!res) return {0, json()};
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json") << path;
    EXPECT_EQ(res->get_header_value("X-Request-Id").size(), 16u) << path;
    return {res->status, json::parse(res->body)};
  }

  static TempDir* dir_;
  static std::string features_;
  static store::Store* store_;
  static ScoringService* service_;
  static ApiServer* server_;
  static PredictionLog* log_;
  static std::thread* thread_;
};

TempDir* ApiServerTest::dir_ = nullptr;
std::string ApiServerTest::features_;
store::Store* ApiServerTest::store_ = nullptr;
ScoringService* ApiServerTest::service_ = nullptr;
ApiServer* ApiServerTest::server_ = nullptr;
PredictionLog* ApiServerTest::log_ = nullptr;
std::thread* ApiServerTest::thread_ = nullptr;

TEST_F(ApiServerTest, HealthReadyAndVersion) {
  EXPECT_EQ(get("/health"), std::make_pair(200, json{{"status", "ok"}}));
  auto [status, ready] = get("/ready");
  EXPECT_EQ(status, 200);
  EXPECT_EQ(ready["model"], "models:/credit-default@champion");
  EXPECT_EQ(ready["version"], 1);
  auto [version_status, version] = get("/version");
  EXPECT_EQ(version_status, 200);
  EXPECT_FALSE(version["credo"].get<std::string>().empty());
  EXPECT_EQ(version["model"]["alias"], "champion");
}

TEST_F(ApiServerTest, ModelDescribesItsDecisionAndInputs) {
  auto [status, model] = get("/api/v1/model");
  ASSERT_EQ(status, 200);
  EXPECT_EQ(model["name"], "credit-default");
  EXPECT_EQ(model["version"], 1);
  EXPECT_EQ(model["algorithm"], service_->current()->bundle.info.algorithm);
  EXPECT_EQ(model["threshold"].get<double>(), service_->current()->bundle.info.threshold);
  EXPECT_EQ(model["cost_matrix"]["false_negative"], 10);
  EXPECT_EQ(model["cost_matrix"]["false_positive"], 1);
  EXPECT_TRUE(model["metrics"]["cv"].contains("auc"));
  ASSERT_EQ(model["inputs"].size(), 5u);
  EXPECT_EQ(model["inputs"][0]["name"], "F0");
  EXPECT_EQ(model["inputs"][0]["description"], "feature 0");
  EXPECT_EQ(model["clients"], 1200);
}

TEST_F(ApiServerTest, ScoresAKnownClientAsTheBundleDoes) {
  std::shared_ptr<const ServedModel> model = service_->current();
  const FeatureMatrix& matrix = model->clients->matrix();
  for (size_t row : {0u, 17u, 1150u}) {  // training and test clients alike
    int64_t id = matrix.id(row);
    auto [status, score] = get("/api/v1/clients/" + std::to_string(id) + "/score");
    ASSERT_EQ(status, 200) << score;
    auto expected = model->bundle.model->predict({matrix.row(row), 1, 5}).value()[0];
    EXPECT_EQ(score["client_id"], id);
    EXPECT_EQ(score["probability"].get<double>(), static_cast<double>(expected));
    double threshold = model->bundle.info.threshold;
    EXPECT_EQ(score["threshold"].get<double>(), threshold);
    EXPECT_EQ(score["decision"], expected >= threshold ? "REFUSED" : "ACCEPTED");
    EXPECT_DOUBLE_EQ(score["distance_to_threshold"].get<double>(), expected - threshold);
    EXPECT_EQ(score["risk_band"], risk_band(expected, threshold));
    EXPECT_EQ(score["model"]["version"], 1);
    EXPECT_EQ(score["request_id"].get<std::string>().size(), 16u);
  }
}

TEST_F(ApiServerTest, EveryScoreIsInThePredictionLog) {
  int64_t id = service_->current()->clients->matrix().id(3);
  auto res = client().Get("/api/v1/clients/" + std::to_string(id) + "/score");
  ASSERT_TRUE(res && res->status == 200);
  std::string request_id = res->get_header_value("X-Request-Id");
  json score = json::parse(res->body);
  std::optional<store::PredictionEvent> logged;
  for (int i = 0; i < 500 && !logged; ++i) {
    std::vector<store::PredictionEvent> events = store_->list_predictions(0, 0, 0).value();
    for (const auto& e : events)
      if (e.request_id == request_id) logged = e;
    if (!logged) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(logged.has_value()) << "written " << log_->written() << ", failed " << log_->failed();
  EXPECT_EQ(logged->client_id, id);
  EXPECT_EQ(logged->kind, "client");
  EXPECT_EQ(logged->model_name, "credit-default");
  EXPECT_EQ(logged->model_version, 1);
  EXPECT_EQ(logged->probability, score["probability"].get<double>());
  EXPECT_EQ(logged->refused, score["decision"] == "REFUSED");
  EXPECT_GT(logged->latency_us, 0);
  EXPECT_TRUE(logged->features.empty());  // a known client's features are in the client store
}

TEST_F(ApiServerTest, RiskBandsFollowTheThreshold) {
  EXPECT_EQ(risk_band(0.1, 0.4), "low");
  EXPECT_EQ(risk_band(0.2, 0.4), "moderate");
  EXPECT_EQ(risk_band(0.4, 0.4), "high");
  EXPECT_EQ(risk_band(0.7, 0.4), "very high");
}

TEST_F(ApiServerTest, ErrorsAreJsonNamingTheProblem) {
  auto [unknown_status, unknown] = get("/api/v1/clients/999/score");
  EXPECT_EQ(unknown_status, 404);
  EXPECT_EQ(unknown["error"]["code"], "NOT_FOUND");
  EXPECT_EQ(unknown["error"]["message"], "client 999 is not known");
  EXPECT_EQ(unknown["error"]["request_id"].get<std::string>().size(), 16u);

  auto [bad_status, bad] = get("/api/v1/clients/12ab/score");
  EXPECT_EQ(bad_status, 400);
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("'12ab' is not an SK_ID_CURR"), std::string::npos);

  auto [no_status, no_route] = get("/api/v1/nothing");
  EXPECT_EQ(no_status, 404);
  EXPECT_NE(no_route["error"]["message"].get<std::string>().find("no endpoint /api/v1/nothing"), std::string::npos);

  // A body over the limit is refused before any handler reads it.
  auto big = client().Post("/api/v1/score", std::string(10000, 'x'), "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  // Nothing internal leaks: no paths of this machine in any error.
  for (const json& e : {unknown, bad, no_route})
    EXPECT_EQ(e.dump().find(dir_->path().string()), std::string::npos);
}

}  // namespace
}  // namespace credo::serve
