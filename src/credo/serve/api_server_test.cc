// The scoring API over real HTTP (fixture: api_testing.h): health and model answers, known
// clients scored as the bundle scores them, posted applications and what-ifs, batches, MLflow's
// /invocations, the prediction log, and the error answers.
#include "credo/serve/api_server.h"

#include <cmath>

#include "credo/serve/api_testing.h"
#include "credo/serve/application_json.h"

namespace credo::serve {
namespace {

using testing::ApiTest;
using testing::json;

// The nth client of application_test: its batch features use the target encodings a new
// application gets, so a posted copy of its application scores exactly as the known client.
int64_t test_client(const ServedModel& model, size_t nth) {
  const FeatureMatrix& m = model.clients->matrix();
  for (size_t r = 0; r < m.num_rows(); ++r)
    if (m.is_test(r) && nth-- == 0) return m.id(r);
  return -1;
}

// The client's application as the JSON fields of a posted application.
json application_of(const ServedModel& model, int64_t id) {
  std::optional<Table> row = model.profiles->application_row(id);
  EXPECT_TRUE(row.has_value()) << id;
  json fields = application_row_to_json(*row);
  fields.erase("SK_ID_CURR");
  for (auto it = fields.begin(); it != fields.end();) it = it->is_null() ? fields.erase(it) : std::next(it);
  return fields;
}

TEST_F(ApiTest, HealthReadyAndVersion) {
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

TEST_F(ApiTest, ModelDescribesItsDecisionAndInputs) {
  auto [status, m] = get("/api/v1/model");
  ASSERT_EQ(status, 200);
  EXPECT_EQ(m["name"], "credit-default");
  EXPECT_EQ(m["version"], 1);
  EXPECT_EQ(m["algorithm"], "xgboost");
  EXPECT_EQ(m["threshold"].get<double>(), model()->bundle.info.threshold);
  EXPECT_EQ(m["cost_matrix"]["false_negative"], 10);
  EXPECT_EQ(m["cost_matrix"]["false_positive"], 1);
  EXPECT_TRUE(m["metrics"]["cv"].contains("auc"));
  EXPECT_EQ(m["inputs"].size(), model()->num_features());
  EXPECT_EQ(m["inputs"][0]["name"], model()->features()[0].name);
  EXPECT_EQ(m["clients"], 3000);
  EXPECT_EQ(m["posted_applications"], true);
  EXPECT_EQ(m["trained"].get<std::string>().size(), 19u);  // "2026-11-30 03:54:31"
  // credo train computed the known clients' explanations when it registered the version.
  EXPECT_TRUE(model()->contributions->from_cache());
}

TEST_F(ApiTest, ScoresAKnownClientAsTheBundleDoes) {
  std::shared_ptr<const ServedModel> served = model();
  const FeatureMatrix& matrix = served->clients->matrix();
  for (size_t row : {0u, 17u, 2950u}) {  // training and test clients alike
    int64_t id = matrix.id(row);
    auto [status, score] = get("/api/v1/clients/" + std::to_string(id) + "/score");
    ASSERT_EQ(status, 200) << score;
    // XGBoost's own prediction (what credo predict writes), in float.
    float expected = served->bundle.model->predict({matrix.row(row), 1, matrix.num_features()}).value()[0];
    double p = score["probability"].get<double>();
    EXPECT_EQ(score["client_id"], id);
    EXPECT_NEAR(p, expected, 1e-6);
    double threshold = served->bundle.info.threshold;
    EXPECT_EQ(score["threshold"].get<double>(), threshold);
    EXPECT_EQ(score["decision"], p >= threshold ? "REFUSED" : "ACCEPTED");
    if (std::abs(expected - threshold) > 1e-6) {
      EXPECT_EQ(p >= threshold, expected >= threshold);
    }
    EXPECT_DOUBLE_EQ(score["distance_to_threshold"].get<double>(), p - threshold);
    EXPECT_EQ(score["risk_band"], risk_band(p, threshold));
    EXPECT_EQ(score["model"]["version"], 1);
    EXPECT_EQ(score["request_id"].get<std::string>().size(), 16u);
  }
}

TEST_F(ApiTest, EveryScoreIsInThePredictionLog) {
  int64_t id = model()->clients->matrix().id(3);
  auto res = api().client().Get("/api/v1/clients/" + std::to_string(id) + "/score");
  ASSERT_TRUE(res && res->status == 200);
  std::string request_id = res->get_header_value("X-Request-Id");
  json score = json::parse(res->body);
  std::optional<store::PredictionEvent> logged;
  for (int i = 0; i < 500 && !logged; ++i) {
    for (const auto& e : api().store().list_predictions(0, 0, 0).value())
      if (e.request_id == request_id) logged = e;
    if (!logged) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(logged.has_value()) << "written " << api().log().written() << ", failed " << api().log().failed();
  EXPECT_EQ(logged->client_id, id);
  EXPECT_EQ(logged->kind, "client");
  EXPECT_EQ(logged->model_name, "credit-default");
  EXPECT_EQ(logged->model_version, 1);
  EXPECT_EQ(logged->probability, score["probability"].get<double>());
  EXPECT_EQ(logged->refused, score["decision"] == "REFUSED");
  EXPECT_GT(logged->latency_us, 0);
  EXPECT_TRUE(logged->features.empty());  // a known client's features are in the client store
}

TEST_F(ApiTest, RiskBandsFollowTheThreshold) {
  EXPECT_EQ(risk_band(0.1, 0.4), "low");
  EXPECT_EQ(risk_band(0.2, 0.4), "moderate");
  EXPECT_EQ(risk_band(0.4, 0.4), "high");
  EXPECT_EQ(risk_band(0.7, 0.4), "very high");
}

TEST_F(ApiTest, APostedCopyOfAKnownApplicationScoresAsTheKnownClient) {
  std::shared_ptr<const ServedModel> served = model();
  for (size_t nth : {0u, 5u, 9u}) {
    int64_t id = test_client(*served, nth);
    auto [known_status, known] = get("/api/v1/clients/" + std::to_string(id) + "/score");
    ASSERT_EQ(known_status, 200);
    // What-if with nothing changed: the application features recomputed online, the history kept.
    auto [same_status, same] = post("/api/v1/score", {{"client_id", id}, {"application", json::object()}});
    ASSERT_EQ(same_status, 200) << same;
    EXPECT_NEAR(same["probability"].get<double>(), known["probability"].get<double>(), 1e-9);
    EXPECT_EQ(same["changed_fields"], json::array());
    // The application alone, as a new client without history: scored, by the same threshold.
    auto [new_status, fresh] = post("/api/v1/score", {{"application", application_of(*served, id)}});
    ASSERT_EQ(new_status, 200) << fresh;
    EXPECT_TRUE(fresh["client_id"].is_null());
    EXPECT_EQ(fresh["threshold"], known["threshold"]);
    EXPECT_GT(fresh["probability"].get<double>(), 0.0);
    EXPECT_LT(fresh["probability"].get<double>(), 1.0);
  }
}

TEST_F(ApiTest, AWhatIfChangesOnlyTheGivenFields) {
  std::shared_ptr<const ServedModel> served = model();
  int64_t id = test_client(*served, 3);
  auto [low_status, low] = post("/api/v1/score", {{"client_id", id}, {"application", {{"EXT_SOURCE_2", 0.01}, {"EXT_SOURCE_3", 0.01}}}});
  auto [high_status, high] = post("/api/v1/score", {{"client_id", id}, {"application", {{"EXT_SOURCE_2", 0.95}, {"EXT_SOURCE_3", 0.95}}}});
  ASSERT_EQ(low_status, 200) << low;
  ASSERT_EQ(high_status, 200) << high;
  // Low external scores are the strongest sign of risk in the generator and in real data.
  EXPECT_GT(low["probability"].get<double>(), high["probability"].get<double>());
  ASSERT_GE(low["changed_fields"].size(), 1u);
  for (const json& change : low["changed_fields"]) {
    EXPECT_TRUE(change["field"] == "EXT_SOURCE_2" || change["field"] == "EXT_SOURCE_3") << change;
    EXPECT_EQ(change["after"], 0.01);
  }
  EXPECT_EQ(low["client_id"], id);
}

TEST_F(ApiTest, PostedApplicationsMayCarryTheirHistory) {
  std::shared_ptr<const ServedModel> served = model();
  json application = application_of(*served, test_client(*served, 1));
  json with_history = {{"application", application},
                       {"history",
                        {{"bureau",
                          {{{"SK_ID_BUREAU", 1}, {"CREDIT_ACTIVE", "Active"}, {"CREDIT_CURRENCY", "currency 1"},
                            {"DAYS_CREDIT", -400}, {"AMT_CREDIT_SUM", 90000.0}, {"AMT_CREDIT_SUM_DEBT", 85000.0},
                            {"AMT_CREDIT_SUM_OVERDUE", 20000.0}, {"CREDIT_DAY_OVERDUE", 60}}}},
                         {"bureau_balance", {{{"SK_ID_BUREAU", 1}, {"MONTHS_BALANCE", -1}, {"STATUS", "2"}}}}}}};
  auto [status, scored] = post("/api/v1/score", with_history);
  ASSERT_EQ(status, 200) << scored;
  auto [plain_status, plain] = post("/api/v1/score", {{"application", application}});
  ASSERT_EQ(plain_status, 200);
  EXPECT_NE(scored["probability"].get<double>(), plain["probability"].get<double>());
}

TEST_F(ApiTest, ABatchIsScoredWholeOrRefusedNamingTheBadApplication) {
  std::shared_ptr<const ServedModel> served = model();
  int64_t a = test_client(*served, 0), b = test_client(*served, 1);
  auto [status, batch] = post("/api/v1/score/batch",
                              {{"applications", {{{"client_id", a}}, {{"client_id", b}, {"application", {{"AMT_CREDIT", 100000}}}},
                                                 {{"application", application_of(*served, a)}}}}});
  ASSERT_EQ(status, 200) << batch;
  ASSERT_EQ(batch["results"].size(), 3u);
  auto [one_status, one] = get("/api/v1/clients/" + std::to_string(a) + "/score");
  EXPECT_EQ(batch["results"][0]["probability"], one["probability"]);
  EXPECT_EQ(batch["results"][1]["changed_fields"][0]["field"], "AMT_CREDIT");

  // Every item of the batch is in the prediction log, under the batch's request id.
  std::string batch_id = batch["request_id"];
  size_t logged = 0;
  for (int i = 0; i < 500 && logged < 3; ++i) {
    logged = 0;
    for (const auto& e : api().store().list_predictions(0, 0, 0).value()) logged += e.request_id == batch_id;
    if (logged < 3) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_EQ(logged, 3u);
  EXPECT_EQ(api().log().failed(), 0u);

  auto [bad_status, bad] = post("/api/v1/score/batch",
                                {{"applications", {{{"client_id", a}}, {{"application", {{"AMT_CREDIT", "lots"}}}}}}});
  EXPECT_EQ(bad_status, 422);
  EXPECT_NE(bad["error"]["message"].get<std::string>().find("applications[1].application.AMT_CREDIT"), std::string::npos)
      << bad;
  auto [empty_status, empty] = post("/api/v1/score/batch", {{"applications", json::array()}});
  EXPECT_EQ(empty_status, 422);
}

TEST_F(ApiTest, MlflowInvocationsScoreTheModelInputs) {
  std::shared_ptr<const ServedModel> served = model();
  const FeatureMatrix& matrix = served->clients->matrix();
  json columns = json::array(), data = json::array();
  for (const FeatureInfo& f : served->features()) columns.push_back(f.name);
  std::vector<double> expected;
  for (size_t row : {2u, 40u}) {
    json values = json::array();
    for (size_t c = 0; c < matrix.num_features(); ++c) {
      float v = matrix.value(row, c);
      values.push_back(std::isnan(v) ? json(nullptr) : json(v));
    }
    data.push_back(values);
    expected.push_back(get("/api/v1/clients/" + std::to_string(matrix.id(row)) + "/score").second["probability"].get<double>());
  }
  auto [status, answer] = post("/invocations", {{"dataframe_split", {{"columns", columns}, {"data", data}}}});
  ASSERT_EQ(status, 200) << answer;
  ASSERT_EQ(answer["predictions"].size(), 2u);
  for (size_t i = 0; i < 2; ++i) EXPECT_NEAR(answer["predictions"][i].get<double>(), expected[i], 1e-6);

  // The same rows as text/csv, as pandas writes them (an empty cell is missing).
  std::string csv;
  for (size_t c = 0; c < columns.size(); ++c) csv += (c ? "," : "") + columns[c].get<std::string>();
  csv += "\n";
  for (const json& values : data) {
    for (size_t c = 0; c < values.size(); ++c) csv += (c ? "," : "") + (values[c].is_null() ? std::string() : values[c].dump());
    csv += "\n";
  }
  auto from_csv = api().client().Post("/invocations", csv, "text/csv");
  ASSERT_TRUE(from_csv);
  ASSERT_EQ(from_csv->status, 200) << from_csv->body;
  json csv_answer = json::parse(from_csv->body);
  for (size_t i = 0; i < 2; ++i) EXPECT_EQ(csv_answer["predictions"][i], answer["predictions"][i]);

  auto [bad_status, bad] = post("/invocations", {{"dataframe_split", {{"columns", {"NOT_AN_INPUT"}}, {"data", {{1}}}}}});
  EXPECT_EQ(bad_status, 400);
  EXPECT_EQ(bad["error_code"], "BAD_REQUEST");
  auto ping = api().client().Get("/ping");
  ASSERT_TRUE(ping);
  EXPECT_EQ(ping->status, 200);
}

TEST_F(ApiTest, ErrorsAreJsonNamingTheProblem) {
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

  auto not_json = api().client().Post("/api/v1/score", "{\"application\": ", "application/json");
  ASSERT_TRUE(not_json);
  EXPECT_EQ(not_json->status, 400);

  auto [field_status, field] = post("/api/v1/score", {{"application", {{"AMT_CREDITT", 1000}}}});
  EXPECT_EQ(field_status, 422);
  EXPECT_NE(field["error"]["message"].get<std::string>().find("AMT_CREDITT"), std::string::npos) << field;
  EXPECT_NE(field["error"]["message"].get<std::string>().find("AMT_CREDIT?"), std::string::npos) << field;

  auto [type_status, type] = post("/api/v1/score", {{"application", {{"DAYS_BIRTH", "young"}}}});
  EXPECT_EQ(type_status, 422);
  EXPECT_NE(type["error"]["message"].get<std::string>().find("body.application.DAYS_BIRTH"), std::string::npos) << type;

  auto [range_status, range] = post("/api/v1/score", {{"application", {{"EXT_SOURCE_2", 3.5}}}});
  EXPECT_EQ(range_status, 422) << range;

  auto [neither_status, neither] = post("/api/v1/score", json::object());
  EXPECT_EQ(neither_status, 422);
  auto [history_status, history] = post("/api/v1/score", {{"client_id", test_client(*model(), 0)}, {"history", json::object()}});
  EXPECT_EQ(history_status, 422);
  auto [who_status, who] = post("/api/v1/score", {{"client_id", 999}, {"application", json::object()}});
  EXPECT_EQ(who_status, 404);

  // A body over the limit (1 MB) is refused before any handler reads it.
  auto big = api().client().Post("/api/v1/score", std::string(2u << 20, 'x'), "application/json");
  ASSERT_TRUE(big);
  EXPECT_EQ(big->status, 413);
  // Nothing internal leaks: no paths of this machine in any error.
  for (const json& e : {unknown, bad, no_route, field, type})
    EXPECT_EQ(e.dump().find(api().dir().string()), std::string::npos);
}

}  // namespace
}  // namespace credo::serve
