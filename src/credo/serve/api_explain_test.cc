// Explanations, importance and the client population over real HTTP (fixture: api_testing.h):
// a known client's precomputed contributions equal the exact TreeSHAP computed now and add up
// to its log-odds; reasons are ordered and worded; the probability terms add up to the change.
#include <cmath>

#include "credo/serve/api_testing.h"
#include "credo/train/row_scorer.h"

namespace credo::serve {
namespace {

using testing::ApiTest;
using testing::json;

TEST_F(ApiTest, AKnownClientsExplanationAddsUpAndEqualsTreeShapNow) {
  std::shared_ptr<const ServedModel> served = model();
  const FeatureMatrix& matrix = served->clients->matrix();
  for (size_t row : {1u, 600u, 2999u}) {
    int64_t id = matrix.id(row);
    auto [status, e] = get("/api/v1/clients/" + std::to_string(id) + "/explanation?top=4&all=true");
    ASSERT_EQ(status, 200) << e;
    auto [score_status, score] = get("/api/v1/clients/" + std::to_string(id) + "/score");
    EXPECT_EQ(e["probability"], score["probability"]);
    EXPECT_EQ(e["decision"], score["decision"]);
    // Base value + contributions = the model's log-odds.
    double sum = e["base_value"]["log_odds"].get<double>();
    for (auto& [name, value] : e["contributions"].items()) sum += value.get<double>();
    EXPECT_NEAR(sum, e["log_odds"].get<double>(), 1e-4);
    EXPECT_NEAR(train::probability_of_margin(e["log_odds"].get<double>()), e["probability"].get<double>(), 1e-12);
    // The stored contributions are the exact TreeSHAP of the row, computed again now.
    std::vector<double> now(served->num_features() + 1);
    ASSERT_TRUE(served->scorer->contributions(matrix.row(row), now.data()).ok());
    for (size_t f = 0; f < served->num_features(); ++f)
      ASSERT_NEAR(e["contributions"][served->features()[f].name].get<double>(), now[f], 1e-6) << served->features()[f].name;
    EXPECT_NEAR(e["base_value"]["log_odds"].get<double>(), now.back(), 1e-6);
    // Reasons: at most 4 a side, largest first, the right sign, worded.
    const json& up = e["reasons_toward_refusal"];
    const json& down = e["reasons_toward_acceptance"];
    ASSERT_LE(up.size(), 4u);
    ASSERT_LE(down.size(), 4u);
    for (size_t i = 0; i < up.size(); ++i) {
      EXPECT_GT(up[i]["contribution_log_odds"].get<double>(), 0);
      EXPECT_GT(up[i]["contribution_probability"].get<double>(), 0);
      if (i) {
        EXPECT_GE(up[i - 1]["contribution_log_odds"].get<double>(), up[i]["contribution_log_odds"].get<double>());
      }
      EXPECT_NE(up[i]["sentence"].get<std::string>().find("raises the estimated risk"), std::string::npos);
      EXPECT_FALSE(up[i]["description"].get<std::string>().empty());
    }
    for (size_t i = 0; i < down.size(); ++i) {
      EXPECT_LT(down[i]["contribution_log_odds"].get<double>(), 0);
      EXPECT_NE(down[i]["sentence"].get<std::string>().find("lowers the estimated risk"), std::string::npos);
    }
  }
}

TEST_F(ApiTest, ProbabilityTermsAddUpToTheChangeFromTheBase) {
  std::vector<double> contributions = {0.8, -0.3, 0.0, 0.5, -1.0};  // base -1.0 last
  std::vector<float> inputs = {1, 2, 3, NAN};
  double margin = -1.0 + 0.8 - 0.3 + 0.0 + 0.5;
  Explanation e = explain(contributions, inputs.data(), margin, 2);
  double total = 0;
  for (double t : e.probability_terms) total += t;
  EXPECT_NEAR(total, e.probability - e.base_probability, 1e-12);
  ASSERT_EQ(e.toward_refusal.size(), 2u);
  EXPECT_EQ(e.toward_refusal[0].feature, 0u);
  EXPECT_EQ(e.toward_refusal[1].feature, 3u);
  EXPECT_TRUE(std::isnan(e.toward_refusal[1].value));
  ASSERT_EQ(e.toward_acceptance.size(), 1u);  // a zero contribution is never a reason
  EXPECT_EQ(e.toward_acceptance[0].feature, 1u);
  // GCC 12 warns about the members a designated initializer leaves out (GCC bug 96868), which
  // C++20 value-initializes on purpose.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
  FeatureInfo missing{.name = "X", .table = "bureau", .description = "Debt at other institutions"};
  EXPECT_EQ(reason_sentence(missing, e.toward_refusal[1]).rfind("Debt at other institutions: not known. This raises", 0), 0u);
  FeatureInfo age{.name = "DAYS_BIRTH", .table = "application", .source_column = "DAYS_BIRTH", .description = "Age"};
  EXPECT_EQ(value_in_words(age, -10957.5f), "30.0 years");
  FeatureInfo flag{.name = "F", .table = "application", .aggregation = "onehot:Working", .description = "Income type is Working"};
#pragma GCC diagnostic pop
  EXPECT_EQ(value_in_words(flag, 1.0f), "yes");
}

TEST_F(ApiTest, APostedApplicationIsExplainedNow) {
  std::shared_ptr<const ServedModel> served = model();
  int64_t id = served->clients->matrix().id(2990);
  auto [status, e] = post("/api/v1/explanation?top=3", {{"client_id", id}, {"application", {{"EXT_SOURCE_2", 0.02}}}});
  ASSERT_EQ(status, 200) << e;
  EXPECT_EQ(e["changed_fields"][0]["field"], "EXT_SOURCE_2");
  EXPECT_LE(e["reasons_toward_refusal"].size(), 3u);
  auto [score_status, score] = post("/api/v1/score", {{"client_id", id}, {"application", {{"EXT_SOURCE_2", 0.02}}}});
  EXPECT_NEAR(e["probability"].get<double>(), score["probability"].get<double>(), 1e-12);
}

TEST_F(ApiTest, ImportanceIsTheMeanAbsoluteShapLargestFirst) {
  auto [status, imp] = get("/api/v1/importance?top=10");
  ASSERT_EQ(status, 200) << imp;
  ASSERT_GE(imp["features"].size(), 3u);
  ASSERT_LE(imp["features"].size(), 10u);
  double share = 0;
  for (size_t i = 0; i < imp["features"].size(); ++i) {
    if (i) {
      EXPECT_GE(imp["features"][i - 1]["importance"].get<double>(), imp["features"][i]["importance"].get<double>());
    }
    share += imp["features"][i]["share"].get<double>();
  }
  EXPECT_LE(share, 1.0 + 1e-9);
  // Recomputed by hand from the contributions of every known client.
  std::shared_ptr<const ServedModel> served = model();
  int top = served->features().size() > 0 ? 0 : -1;
  ASSERT_EQ(top, 0);
  std::string first = imp["features"][0]["feature"];
  size_t f = 0;
  while (served->features()[f].name != first) ++f;
  double total = 0;
  std::vector<double> phi(served->num_features() + 1);
  for (size_t r = 0; r < served->clients->num_clients(); ++r) {
    served->contributions->contributions(r, phi.data());
    total += std::abs(phi[f]);
  }
  EXPECT_NEAR(imp["features"][0]["importance"].get<double>(), total / double(served->clients->num_clients()), 1e-9);
  auto [bad_status, bad] = get("/api/v1/importance?top=0");
  EXPECT_EQ(bad_status, 400);
}

TEST_F(ApiTest, ClientsAreDescribedComparedAndMatched) {
  std::shared_ptr<const ServedModel> served = model();
  int64_t id = served->clients->matrix().id(10);
  auto [status, client] = get("/api/v1/clients/" + std::to_string(id));
  ASSERT_EQ(status, 200) << client;
  EXPECT_EQ(client["client_id"], id);
  EXPECT_EQ(get("/api/v1/clients/999").first, 404);

  auto [pop_status, pop] = get("/api/v1/population?feature=EXT_SOURCES_MEAN&client=" + std::to_string(id) + "&bins=10");
  ASSERT_EQ(pop_status, 200) << pop;
  auto [text_status, text] = get("/api/v1/population?feature=NAME_INCOME_TYPE&filter=CODE_GENDER:F");
  ASSERT_EQ(text_status, 200) << text;
  auto [unknown_status, unknown] = get("/api/v1/population?feature=NOPE");
  EXPECT_EQ(unknown_status, 422);
  EXPECT_NE(unknown["error"]["message"].get<std::string>().find("NOPE"), std::string::npos);
  EXPECT_EQ(get("/api/v1/population").first, 422);
  EXPECT_EQ(get("/api/v1/population?feature=AMT_CREDIT&bins=1000").first, 400);

  auto [similar_status, similar] = get("/api/v1/clients/" + std::to_string(id) + "/similar?k=5");
  ASSERT_EQ(similar_status, 200) << similar;
  EXPECT_EQ(get("/api/v1/clients/" + std::to_string(id) + "/similar?k=-1").first, 400);
}

}  // namespace
}  // namespace credo::serve
