// Scoring a new batch of clients from raw data (train/batch_scoring.h) gives the scoring
// service's answers: the API fixture's champion (trained on generated data, seed 7) scores data
// generated with other seeds, with and without drift, in batch, and each client's probability
// equals the service's for the same application posted with its history (ScoringService's
// path for posted applications, compute_client underneath), within 1e-6. A level the training
// data never had is encoded as the service encodes it, and counted.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "credo/base/temp_dir.h"
#include "credo/data/homecredit.h"
#include "credo/features/client_rows_testing.h"
#include "credo/features/new_clients.h"
#include "credo/serve/api_testing.h"
#include "credo/store/model_uri.h"
#include "credo/synth/synth.h"
#include "credo/train/batch_scoring.h"
#include "credo/train/decision.h"

namespace credo::serve {
namespace {

namespace fs = std::filesystem;
using testing::ServedApi;

constexpr char kUnseenLevel[] = "Spaceship pilot";

// Generates `clients` new clients; every other "Commercial associate" of application_test
// becomes a level no training client had.
void generate_new_clients(const fs::path& dir, uint64_t seed, double drift, int64_t clients) {
  SynthOptions synth;
  synth.clients = clients;
  synth.seed = seed;
  synth.drift = drift;
  synth.out_dir = dir.string();
  synth.threads = 2;
  ASSERT_TRUE(generate_homecredit(synth).ok());
  std::ifstream in(dir / "application_test.csv");
  std::stringstream text;
  text << in.rdbuf();
  std::string csv = text.str();
  const std::string from = ",Commercial associate,", to = std::string(",") + kUnseenLevel + ",";
  size_t seen = 0;
  for (size_t at = csv.find(from); at != std::string::npos; at = csv.find(from, at + 1))
    if (seen++ % 2 == 0) csv.replace(at, from.size(), to);
  std::ofstream(dir / "application_test.csv", std::ios::trunc) << csv;
}

class BatchScoringTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { api_ = new ServedApi(); }
  static void TearDownTestSuite() {
    delete api_;
    api_ = nullptr;
  }

  // Scores the clients of `dir` in batch and one by one through the service; they must agree.
  static void expect_batch_equals_service(const fs::path& dir, size_t clients) {
    std::shared_ptr<const ServedModel> model = api_->service().current();
    auto resolved = store::resolve_model_uri(api_->store(), model->uri);
    ASSERT_TRUE(resolved.ok()) << resolved.status().to_string();
    auto source = HomeCreditSource::open(dir.string());
    ASSERT_TRUE(source.ok());
    FeatureBuildReport report;
    auto batch = train::score_new_clients(model->bundle, resolved->dir, *source, {.threads = 2, .progress = nullptr},
                                          &report);
    ASSERT_TRUE(batch.ok()) << batch.status().to_string();
    ASSERT_EQ(batch->ids.size(), clients);
    EXPECT_EQ(batch->threshold, model->bundle.info.threshold);

    // The level no training client had is counted, and only in the column it is in.
    size_t unseen_rows = 0;
    for (const UnseenLevel& u : report.unseen_levels)
      if (u.level == kUnseenLevel) {
        EXPECT_EQ(u.column, "application.NAME_INCOME_TYPE");
        unseen_rows += u.rows;
      }
    EXPECT_GT(unseen_rows, 0u);

    credo::testing::RawClientTables raw(dir);
    size_t refused = 0, with_unseen = 0;
    for (size_t r = 0; r < batch->ids.size(); ++r) {
      ClientRows rows = raw.client(batch->ids[r]);
      with_unseen += rows.application.find("NAME_INCOME_TYPE")->category(0) == kUnseenLevel;
      auto inputs = api_->service().inputs_of_application(*model, std::move(rows), std::nullopt);
      ASSERT_TRUE(inputs.ok()) << inputs.status().to_string();
      auto score = api_->service().score_inputs(*model, inputs->data(), batch->ids[r]);
      ASSERT_TRUE(score.ok()) << score.status().to_string();
      ASSERT_NEAR(batch->probabilities[r], score->probability, 1e-6) << "client " << batch->ids[r];
      EXPECT_EQ(train::refuses(batch->probabilities[r], batch->threshold), score->refused) << batch->ids[r];
      refused += score->refused;
    }
    EXPECT_EQ(batch->refused, refused);
    EXPECT_EQ(with_unseen, unseen_rows);
  }

  static ServedApi* api_;
};
ServedApi* BatchScoringTest::api_ = nullptr;

TEST_F(BatchScoringTest, NewClientsOfAnotherSeedScoreAsTheServiceScoresThem) {
  TempDir dir("batch_new");
  generate_new_clients(dir.path(), 11, 0, 400);
  expect_batch_equals_service(dir.path(), 400);
}

TEST_F(BatchScoringTest, DriftedClientsScoreAsTheServiceScoresThem) {
  TempDir dir("batch_drift");
  generate_new_clients(dir.path(), 12, 2.0, 400);
  expect_batch_equals_service(dir.path(), 400);
}

TEST_F(BatchScoringTest, ClientsWithoutHistoryFilesAreScoredAsWithoutHistory) {
  // Only the application files: every client is scored as one with no history.
  TempDir dir("batch_apps_only");
  generate_new_clients(dir.path(), 13, 1.0, 200);
  for (const auto& info : homecredit_tables())
    if (info.id != HcTable::kApplicationTrain && info.id != HcTable::kApplicationTest) fs::remove(dir.path() / info.file_name);
  std::shared_ptr<const ServedModel> model = api_->service().current();
  auto resolved = store::resolve_model_uri(api_->store(), model->uri);
  ASSERT_TRUE(resolved.ok());
  auto source = HomeCreditSource::open(dir.path().string());
  ASSERT_TRUE(source.ok());
  auto batch = train::score_new_clients(model->bundle, resolved->dir, *source, {.threads = 2, .progress = nullptr});
  ASSERT_TRUE(batch.ok()) << batch.status().to_string();
  ASSERT_EQ(batch->ids.size(), 200u);
  credo::testing::RawClientTables raw(dir.path());  // the history tables are absent: empty
  for (size_t r = 0; r < batch->ids.size(); r += 7) {
    ClientRows rows = raw.client(batch->ids[r]);
    auto inputs = api_->service().inputs_of_application(*model, std::move(rows), std::nullopt);
    ASSERT_TRUE(inputs.ok()) << inputs.status().to_string();
    auto score = api_->service().score_inputs(*model, inputs->data(), batch->ids[r]);
    ASSERT_TRUE(score.ok());
    ASSERT_NEAR(batch->probabilities[r], score->probability, 1e-6) << "client " << batch->ids[r];
  }
}

}  // namespace
}  // namespace credo::serve

namespace credo::serve {
namespace {

// A bundle edited by hand: every malformed field is an error naming the file and the field,
// never an exception out of the reader.
TEST_F(BatchScoringTest, MalformedBundleIsAnErrorNamingFileAndField) {
  std::shared_ptr<const ServedModel> model = api_->service().current();
  auto resolved = store::resolve_model_uri(api_->store(), model->uri);
  ASSERT_TRUE(resolved.ok());
  TempDir dir("batch_bad_bundle");
  fs::path bundle = dir / "model";
  fs::copy(resolved->dir, bundle, fs::copy_options::recursive);
  for (auto it = fs::recursive_directory_iterator(bundle); it != fs::recursive_directory_iterator(); ++it)
    fs::permissions(it->path(), fs::perms::owner_write, fs::perm_options::add);
  auto read_json = [&](const std::string& file) {
    std::ifstream in(bundle / file);
    return nlohmann::json::parse(in);
  };
  const nlohmann::json features = read_json("features.json"), decision = read_json("decision.json");
  auto write_json = [&](const std::string& file, const nlohmann::json& json) {
    std::ofstream(bundle / file, std::ios::trunc) << json.dump();
  };
  struct Case {
    std::string field;
    std::function<void(nlohmann::json&)> edit;
    std::string error;
  };
  const std::vector<Case> pipeline_cases = {
      {"name", [](nlohmann::json& p) { p["features"][3]["name"] = 5; }, "field 'features[3].name' is missing or not a string"},
      {"features", [](nlohmann::json& p) { p.erase("features"); }, "field 'features' is missing or not a list"},
      {"spec", [](nlohmann::json& p) { p["spec"] = 12; }, "field 'spec' is not a string"},
      {"fitted", [](nlohmann::json& p) { p["fitted"] = "x"; }, "field 'fitted' is malformed"},
      {"levels", [](nlohmann::json& p) { p["fitted"]["levels"] = 3; }, "field 'fitted' is malformed"},
      {"bureau levels", [](nlohmann::json& p) { p["fitted"]["levels"].erase("bureau.CREDIT_ACTIVE"); },
       "field 'fitted' does not fit the spec: no fitted levels for bureau.CREDIT_ACTIVE"},
  };
  for (const Case& c : pipeline_cases) {
    nlohmann::json edited = features;
    c.edit(edited["pipeline"]);
    write_json("features.json", edited);
    auto loaded = train::load_bundle(bundle, 1);
    ASSERT_TRUE(loaded.ok()) << c.field << ": " << loaded.status().to_string();
    auto like = train::feature_template_of_bundle(*loaded, bundle);
    ASSERT_FALSE(like.ok()) << c.field;
    EXPECT_NE(like.status().message().find((bundle / "features.json").string() + " (pipeline): " + c.error),
              std::string::npos)
        << c.field << ": " << like.status().message();
  }
  write_json("features.json", features);

  // The service opening such a bundle folder answers the same error (it threw before). (A
  // registered version's files are fingerprinted: the store refuses them edited.)
  nlohmann::json edited = features;
  edited["pipeline"]["features"][0].erase("name");
  write_json("features.json", edited);
  ServiceOptions options{.features_path = testing::prepared_models().features.string(), .threads = 2, .progress = nullptr};
  auto service = ScoringService::open(api_->store(), bundle.string(), options);
  ASSERT_FALSE(service.ok());
  EXPECT_NE(service.status().message().find("features.json (pipeline): field 'features[0].name' is missing"),
            std::string::npos)
      << service.status().to_string();
  write_json("features.json", features);

  nlohmann::json bad_decision = decision;
  bad_decision["threshold"] = "high";
  write_json("decision.json", bad_decision);
  auto loaded = train::load_bundle(bundle, 1);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find((bundle / "decision.json").string() + ": "), std::string::npos)
      << loaded.status().message();
}

}  // namespace
}  // namespace credo::serve
