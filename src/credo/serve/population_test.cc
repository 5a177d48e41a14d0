// Pins the population endpoints' answers: ten hand-made clients whose distributions, filters,
// percentiles and nearest neighbours are computed by hand below, the filter grammar, the errors
// a URL can cause, and a generated data set checked against brute-force counts.
#include "credo/serve/population.h"

#include <gtest/gtest.h>

#include <cmath>

#include "credo/base/temp_dir.h"
#include "credo/data/homecredit_files_testing.h"
#include "credo/synth/synth.h"

namespace credo::serve {
namespace {

// One hand-made client: its application fields and its SCORE feature (NaN = missing).
struct HandClient {
  int64_t id;
  int target;  // -1: a test client
  const char* gender;
  const char* income_type;
  double age_years;
  const char* income;  // "" = missing
  int children;
  bool pensioner;  // DAYS_EMPLOYED 365243
  float score;
};

const HandClient kHandClients[] = {
    {100001, 1, "F", "Working", 25, "100000", 0, false, 0.1f},
    {100002, 0, "F", "Working", 35, "150000", 1, false, 0.2f},
    {100003, 0, "M", "Pensioner", 65, "90000", 0, true, 0.3f},
    {100004, 1, "M", "Working", 45, "200000", 2, false, 0.4f},
    {100005, 0, "F", "Working", 38, "120000", 0, false, 0.5f},
    {100006, 0, "F", "Commercial associate", 31, "300000", 3, false, NAN},
    {100007, 0, "M", "Working", 52, "180000", 1, false, 0.7f},
    {100008, 1, "F", "Pensioner", 60, "80000", 0, true, 0.8f},
    {100009, -1, "F", "Working", 33, "110000", 1, false, 0.9f},
    {100010, -1, "M", "Working", 41, "", 0, false, 0.25f},
};

class HandPopulationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    TempDir dir("population_hand");
    std::vector<HcRow> train, test;
    for (const HandClient& c : kHandClients) {
      HcRow row = {{"SK_ID_CURR", std::to_string(c.id)},
                   {"CODE_GENDER", c.gender},
                   {"NAME_INCOME_TYPE", c.income_type},
                   // 100 days into the year of age: whole years are unambiguous.
                   {"DAYS_BIRTH", std::to_string(-static_cast<int64_t>(c.age_years * 365.25 + 100))},
                   {"AMT_INCOME_TOTAL", c.income},
                   {"CNT_CHILDREN", std::to_string(c.children)},
                   {"DAYS_EMPLOYED", c.pensioner ? "365243" : "-1000"}};
      if (c.target >= 0) {
        row["TARGET"] = std::to_string(c.target);
        train.push_back(row);
      } else {
        test.push_back(row);
      }
    }
    write_homecredit_rows(dir.path(), HcTable::kApplicationTrain, train);
    write_homecredit_rows(dir.path(), HcTable::kApplicationTest, test);
    auto source = HomeCreditSource::open(dir.path().string());
    ASSERT_TRUE(source.ok());
    auto profiles = ClientProfiles::load(*source);
    ASSERT_TRUE(profiles.ok()) << profiles.status().to_string();

    // The matrix in another order than the files, with one feature: SCORE.
    const size_t n = std::size(kHandClients);
    auto matrix = std::make_shared<FeatureMatrix>(
        std::vector<FeatureInfo>{{"SCORE", "application", "", "", "SCORE", "A hand-made score"}}, n);
    for (size_t i = 0; i < n; ++i) {
      const HandClient& c = kHandClients[n - 1 - i];
      matrix->set_client(i, c.id, c.target, c.target < 0);
      matrix->row(i)[0] = c.score;
    }
    PopulationOptions options;
    options.similarity_features = {"SCORE", "AGE"};
    auto population = Population::create(matrix, std::make_shared<ClientProfiles>(std::move(*profiles)), options);
    ASSERT_TRUE(population.ok()) << population.status().to_string();
    population_ = population->release();
  }
  static void TearDownTestSuite() {
    delete population_;
    population_ = nullptr;
  }

  static nlohmann::json ok(StatusOr<nlohmann::json> answer) {
    EXPECT_TRUE(answer.ok()) << answer.status().to_string();
    return answer.ok() ? *answer : nlohmann::json();
  }
  static std::vector<size_t> counts(const nlohmann::json& bins) {
    std::vector<size_t> out;
    for (const auto& b : bins) out.push_back(b["count"]);
    return out;
  }

  static Population* population_;
};
Population* HandPopulationTest::population_ = nullptr;

TEST_F(HandPopulationTest, TextColumnCountsEachLevelWithItsDefaultRate) {
  nlohmann::json d = ok(population_->distribution("CODE_GENDER"));
  EXPECT_EQ(d["type"], "text");
  EXPECT_EQ(d["source"], "application");  // the raw text, not the matrix's 0/1 code
  EXPECT_EQ(d["population"], 10);
  EXPECT_EQ(d["group"]["count"], 10);
  EXPECT_EQ(d["missing"]["count"], 0);
  ASSERT_EQ(d["levels"].size(), 2u);
  // F: 1, 2, 5, 6, 8, 9; known 1, 2, 5, 6, 8; defaulted 1 and 8.
  EXPECT_EQ(d["levels"][0]["level"], "F");
  EXPECT_EQ(d["levels"][0]["count"], 6);
  EXPECT_EQ(d["levels"][0]["known_outcomes"], 5);
  EXPECT_DOUBLE_EQ(d["levels"][0]["default_rate"].get<double>(), 0.4);
  EXPECT_DOUBLE_EQ(d["levels"][0]["share"].get<double>(), 0.6);
  // M: 3, 4, 7, 10; known 3, 4, 7; defaulted 4.
  EXPECT_EQ(d["levels"][1]["level"], "M");
  EXPECT_DOUBLE_EQ(d["levels"][1]["default_rate"].get<double>(), 1.0 / 3);
}

TEST_F(HandPopulationTest, FeatureBinnedOnRoundEdgesWithMissingApartAndTheClientsPlace) {
  // Women's scores: 0.1, 0.2, 0.5, missing (6), 0.8, 0.9 (9, a test client).
  nlohmann::json d = ok(population_->distribution("SCORE", "CODE_GENDER:F", 100009, 4));
  EXPECT_EQ(d["source"], "features");
  EXPECT_EQ(d["description"], "A hand-made score");
  EXPECT_EQ(d["group"]["count"], 6);
  EXPECT_EQ(d["missing"]["count"], 1);
  EXPECT_DOUBLE_EQ(d["missing"]["default_rate"].get<double>(), 0.0);
  // Limits 0.1 and 0.9: width 0.2 would need five bars from 0, so 0.25: [0, .25) [.25, .5) [.5, .75) [.75, 1).
  EXPECT_DOUBLE_EQ(d["binning"]["width"].get<double>(), 0.25);
  ASSERT_EQ(d["bins"].size(), 4u);
  EXPECT_EQ(d["bins"][1]["from"], 0.25);
  EXPECT_EQ(d["bins"][3]["to"], 1.0);
  EXPECT_EQ(counts(d["bins"]), (std::vector<size_t>{2, 0, 1, 2}));
  EXPECT_DOUBLE_EQ(d["bins"][0]["default_rate"].get<double>(), 0.5);  // 1 defaulted, 2 repaid
  EXPECT_TRUE(d["bins"][1]["default_rate"].is_null());
  // [.75, 1): 8 defaulted, 9 unknown.
  EXPECT_EQ(d["bins"][3]["known_outcomes"], 1);
  EXPECT_DOUBLE_EQ(d["bins"][3]["default_rate"].get<double>(), 1.0);
  EXPECT_EQ(d["underflow"]["count"], 0);
  EXPECT_EQ(d["overflow"]["count"], 0);
  // Client 9: 0.9, above four of five values.
  EXPECT_EQ(d["client"]["position"], "bin");
  EXPECT_EQ(d["client"]["bin"], 3);
  EXPECT_DOUBLE_EQ(d["client"]["percentile"].get<double>(), 90.0);
  EXPECT_EQ(d["client"]["in_group"], true);
  EXPECT_EQ(d["client"]["outcome"], "unknown");
  EXPECT_NEAR(d["client"]["value"].get<double>(), 0.9, 1e-6);
}

TEST_F(HandPopulationTest, WholeNumbersGetOneBarPerValue) {
  nlohmann::json d = ok(population_->distribution("CNT_CHILDREN"));
  EXPECT_EQ(d["source"], "application");
  EXPECT_EQ(d["binning"]["whole_numbers"], true);
  EXPECT_EQ(d["binning"]["width"], 1.0);
  EXPECT_EQ(counts(d["bins"]), (std::vector<size_t>{5, 3, 1, 1}));  // 0, 1, 2, 3 children
  EXPECT_EQ(d["bins"][3]["from"], 3.0);
}

TEST_F(HandPopulationTest, NotEmployedIsCountedApartFromTheDays) {
  nlohmann::json d = ok(population_->distribution("DAYS_EMPLOYED", "", 100003));
  ASSERT_EQ(d["special"].size(), 1u);
  EXPECT_EQ(d["special"][0]["value"], 365243.0);
  EXPECT_EQ(d["special"][0]["count"], 2);  // 3 and 8
  EXPECT_DOUBLE_EQ(d["special"][0]["default_rate"].get<double>(), 0.5);
  EXPECT_EQ(counts(d["bins"]), (std::vector<size_t>{8}));  // everyone else: -1000
  EXPECT_EQ(d["client"]["position"], "special");
}

TEST_F(HandPopulationTest, MissingIncomeAndClientOutsideTheGroup) {
  nlohmann::json d = ok(population_->distribution("AMT_INCOME_TOTAL", "NAME_INCOME_TYPE:Pensioner", 100004));
  EXPECT_EQ(d["group"]["count"], 2);
  EXPECT_EQ(d["client"]["in_group"], false);
  // 200,000 against the pensioners' 80,000 and 90,000.
  EXPECT_DOUBLE_EQ(d["client"]["percentile"].get<double>(), 100.0);
  nlohmann::json all = ok(population_->distribution("AMT_INCOME_TOTAL", "", 100010));
  EXPECT_EQ(all["missing"]["count"], 1);
  EXPECT_EQ(all["client"]["position"], "missing");
  EXPECT_TRUE(all["client"]["value"].is_null());
}

TEST_F(HandPopulationTest, FiltersOnAgeBandsLevelsAndTheClientsOwnValues) {
  // AGE:30-40 -> 35, 38, 31, 33 (clients 2, 5, 6, 9).
  nlohmann::json d = ok(population_->distribution("NAME_INCOME_TYPE", "AGE:30-40"));
  EXPECT_EQ(d["group"]["count"], 4);
  EXPECT_EQ(d["levels"][0]["level"], "Working");
  EXPECT_EQ(d["levels"][0]["count"], 3);
  // The client's ten-year band: 35 -> 30-40.
  EXPECT_EQ(ok(population_->distribution("NAME_INCOME_TYPE", "AGE:client", 100002))["group"]["count"], 4);
  EXPECT_EQ(ok(population_->distribution("AGE", "CODE_GENDER:client", 100004))["group"]["count"], 4);
  EXPECT_EQ(ok(population_->distribution("AGE", "CODE_GENDER:F,NAME_INCOME_TYPE:Working|Pensioner"))["group"]["count"], 5);
  EXPECT_EQ(ok(population_->distribution("AGE", "AGE:..40, CNT_CHILDREN:0"))["group"]["count"], 2);  // 25, 38
  EXPECT_EQ(ok(population_->distribution("AGE", "SCORE:0.5"))["group"]["count"], 1);
  EXPECT_EQ(ok(population_->distribution("AGE", "SCORE:0.3-"))["group"]["count"], 6);  // .3 .4 .5 .7 .8 .9
  EXPECT_EQ(ok(population_->distribution("AGE", "NAME_INCOME_TYPE:Commercial associate"))["group"]["count"], 1);
}

TEST_F(HandPopulationTest, BadRequestsSayWhatIsWrong) {
  auto expect_error = [](StatusOr<nlohmann::json> answer, StatusCode code, const std::string& words) {
    ASSERT_FALSE(answer.ok()) << words;
    EXPECT_EQ(answer.status().code(), code) << answer.status().to_string();
    EXPECT_NE(answer.status().message().find(words), std::string::npos) << answer.status().to_string();
  };
  expect_error(population_->distribution("NOPE"), StatusCode::kInvalidArgument,
               "no feature 'NOPE' (see /api/v1/model for the inputs)");
  expect_error(population_->distribution("AGE", "CODE_GENDER"), StatusCode::kInvalidArgument, "not FIELD:VALUE");
  expect_error(population_->distribution("AGE", "CODE_GENDER:Q"), StatusCode::kInvalidArgument, "no level 'Q'");
  expect_error(population_->distribution("AGE", "SALARY:1"), StatusCode::kInvalidArgument, "no field 'SALARY'");
  expect_error(population_->distribution("AGE", "AGE:old"), StatusCode::kInvalidArgument, "AGE:old");
  expect_error(population_->distribution("AGE", "AGE:client"), StatusCode::kInvalidArgument, "needs a client");
  expect_error(population_->distribution("AGE", "", std::nullopt, 1), StatusCode::kInvalidArgument, "bins");
  expect_error(population_->distribution("AGE", "", 42), StatusCode::kNotFound, "client 42");
  expect_error(population_->similar(42), StatusCode::kNotFound, "client 42");
  expect_error(population_->similar(100001, 0), StatusCode::kInvalidArgument, "k must be");
}

TEST_F(HandPopulationTest, NearestKnownClientsByPercentileGaps) {
  // Client 9 (SCORE 0.9 -> percentile 1, age 33 -> 2/9). Squared gaps to the known clients:
  // 5: (3/8)^2 + (2/9)^2 = .190; 6: missing score .25 + (1/9)^2 = .262; 7: (2/8)^2 + (5/9)^2 = .371;
  // 4: (4/8)^2 + (4/9)^2 = .448; 8: .460; 2: .778; 3: .996; 1: 1.049.
  nlohmann::json s = ok(population_->similar(100009, 4));
  ASSERT_EQ(s["neighbours"].size(), 4u);
  std::vector<int64_t> ids;
  for (const auto& n : s["neighbours"]) ids.push_back(n["client_id"]);
  EXPECT_EQ(ids, (std::vector<int64_t>{100005, 100006, 100007, 100004}));
  EXPECT_NEAR(s["neighbours"][0]["distance"].get<double>(), std::sqrt((9.0 / 64 + 4.0 / 81) / 2), 1e-6);
  EXPECT_EQ(s["neighbours"][3]["outcome"], "defaulted");
  EXPECT_EQ(s["defaulted"], 1);
  EXPECT_DOUBLE_EQ(s["default_share"].get<double>(), 0.25);
  EXPECT_TRUE(s["neighbours"][1]["values"]["SCORE"].is_null());
  EXPECT_EQ(s["neighbours"][0]["profile"]["gender"], "F");
  EXPECT_EQ(s["features"], (std::vector<std::string>{"SCORE", "AGE"}));
  // Only clients with an outcome, never the client itself.
  nlohmann::json all = ok(population_->similar(100001, 100));
  EXPECT_EQ(all["neighbours"].size(), 7u);
  for (const auto& n : all["neighbours"]) EXPECT_NE(n["client_id"], 100001);
}

TEST(PopulationCreateTest, SimilarityFeaturesMustBeNumbersThatExist) {
  auto profiles = std::make_shared<ClientProfiles>(*ClientProfiles::from_tables(
      empty_table(homecredit_schema(HcTable::kApplicationTrain)), empty_table(homecredit_schema(HcTable::kApplicationTest))));
  auto matrix = std::make_shared<FeatureMatrix>(std::vector<FeatureInfo>{{"X", "", "", "", "X", "x"}}, 0);
  PopulationOptions options;
  options.similarity_features = {"X", "NOPE"};
  auto p = Population::create(matrix, profiles, options);
  ASSERT_FALSE(p.ok());
  EXPECT_NE(p.status().message().find("NOPE"), std::string::npos);
  options.similarity_features = {"CODE_GENDER"};
  EXPECT_FALSE(Population::create(matrix, profiles, options).ok());
  options.similarity_features = {};
  EXPECT_TRUE(Population::create(matrix, profiles, options).ok());  // the defaults: application columns
}

TEST(PopulationFilterTest, Grammar) {
  auto clauses = parse_population_filter("CODE_GENDER:F, NAME_TYPE_SUITE:Spouse, partner,AGE:30-40,ORGANIZATION_TYPE:Trade: type 7");
  ASSERT_TRUE(clauses.ok()) << clauses.status().to_string();
  ASSERT_EQ(clauses->size(), 4u);
  EXPECT_EQ((*clauses)[1].value, "Spouse, partner");
  EXPECT_EQ((*clauses)[3].value, "Trade: type 7");
  EXPECT_TRUE(parse_population_filter("")->empty());
  EXPECT_FALSE(parse_population_filter("A:1,,B:2").ok());
  EXPECT_FALSE(parse_population_filter("A:").ok());
  EXPECT_FALSE(parse_population_filter("A B:1").ok());
  EXPECT_FALSE(parse_population_filter(std::string(3000, 'A') + ":1").ok());
  std::string many;
  for (int i = 0; i < 17; ++i) many += "A:1,";
  many.pop_back();
  EXPECT_FALSE(parse_population_filter(many).ok());
  EXPECT_EQ((FilterClause{"A", "x | y"}.levels()), (std::vector<std::string>{"x", "y"}));

  auto range = [](const char* text) { return parse_number_range(text); };
  EXPECT_TRUE(range("30-40")->contains(30));
  EXPECT_FALSE(range("30-40")->contains(40));
  EXPECT_TRUE(range("-5--3")->contains(-4));
  EXPECT_TRUE(range("-40")->exact);
  EXPECT_TRUE(range("..-40")->contains(-41));
  EXPECT_TRUE(range("1e3-2e3")->contains(1500));
  EXPECT_TRUE(range("0.2..")->contains(1e9));
  EXPECT_FALSE(range("abc").has_value());
  EXPECT_FALSE(range("..").has_value());
  EXPECT_FALSE(range("1-2-3").has_value());
  EXPECT_FALSE(range("nan").has_value());
}

// A generated data set: answers agree with brute-force counts over the raw rows.
TEST(GeneratedPopulationTest, AgreesWithBruteForceCounts) {
  TempDir dir("population_synth");
  SynthOptions synth;
  synth.clients = 2000;
  synth.seed = 11;
  synth.out_dir = dir.path().string();
  ASSERT_TRUE(generate_homecredit(synth).ok());
  auto source = HomeCreditSource::open(dir.path().string());
  ASSERT_TRUE(source.ok());
  auto loaded = ClientProfiles::load(*source);
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  auto profiles = std::make_shared<ClientProfiles>(std::move(*loaded));
  ASSERT_EQ(profiles->num_clients(), 2000u);
  const Table& t = profiles->table();
  auto matrix = std::make_shared<FeatureMatrix>(
      std::vector<FeatureInfo>{{"EXT_SOURCES_MEAN", "application", "", "", "EXT_SOURCE_*", "Mean external score"}}, 2000);
  for (size_t r = 0; r < 2000; ++r) {
    matrix->set_client(r, profiles->id(r), profiles->target(r), profiles->is_test(r));
    double sum = 0;
    int n = 0;
    for (const char* c : {"EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3"})
      if (!t.find(c)->is_missing(r)) sum += t.find(c)->as_double(r), ++n;
    matrix->row(r)[0] = n ? static_cast<float>(sum / n) : NAN;
  }
  PopulationOptions options;
  options.cached_columns = 2;  // evictions on the way
  auto population = Population::create(matrix, profiles, options);
  ASSERT_TRUE(population.ok()) << population.status().to_string();

  // A pensioner says "not employed".
  const Column* employed = t.find("DAYS_EMPLOYED");
  size_t pensioners = 0, pensioner_row = 0;
  for (size_t r = 0; r < 2000; ++r)
    if (employed->as_double(r) == 365243) ++pensioners, pensioner_row = r;
  ASSERT_GT(pensioners, 0u);
  auto described = profiles->describe(profiles->id(pensioner_row));
  ASSERT_TRUE(described.ok());
  for (const auto& f : (*described)["fields"])
    if (f["key"] == "years_employed") {
      EXPECT_EQ(f["not_employed"], true);
    }

  // Women working: the group's size, and every bin's count adds up.
  const Column* gender = t.find("CODE_GENDER");
  const Column* income_type = t.find("NAME_INCOME_TYPE");
  size_t group = 0, missing = 0;
  for (size_t r = 0; r < 2000; ++r)
    if (gender->category(r) == "F" && income_type->category(r) == "Working") {
      ++group;
      missing += std::isnan(matrix->value(*matrix->find_row(profiles->id(r)), 0));
    }
  for (const char* feature : {"EXT_SOURCES_MEAN", "AMT_CREDIT", "AGE", "DAYS_EMPLOYED", "OCCUPATION_TYPE"}) {
    auto d = (*population)->distribution(feature, "CODE_GENDER:F,NAME_INCOME_TYPE:Working", profiles->id(7));
    ASSERT_TRUE(d.ok()) << feature << ": " << d.status().to_string();
    EXPECT_EQ((*d)["group"]["count"], group) << feature;
    size_t total = (*d)["missing"]["count"];
    for (const auto& part : {"bins", "levels", "special"})
      if (d->contains(part))
        for (const auto& b : (*d)[part]) total += b["count"].get<size_t>();
    if (d->contains("underflow")) total += (*d)["underflow"]["count"].get<size_t>() + (*d)["overflow"]["count"].get<size_t>();
    EXPECT_EQ(total, group) << feature;
    if (std::string(feature) == "EXT_SOURCES_MEAN") {
      EXPECT_EQ((*d)["missing"]["count"], missing);
    }
  }
  EXPECT_EQ((*population)->distribution("DAYS_EMPLOYED")->at("special")[0]["count"], pensioners);

  // Nearest clients: known outcomes, nearest first, the share of defaulters among them.
  auto s = (*population)->similar(profiles->id(1990), 10);  // a test client
  ASSERT_TRUE(s.ok());
  ASSERT_EQ((*s)["neighbours"].size(), 10u);
  double previous = 0;
  size_t defaulted = 0;
  for (const auto& n : (*s)["neighbours"]) {
    EXPECT_NE(n["outcome"], "unknown");
    EXPECT_GE(n["distance"].get<double>(), previous);
    previous = n["distance"];
    defaulted += n["outcome"] == "defaulted";
  }
  EXPECT_EQ((*s)["defaulted"], defaulted);
  EXPECT_LE((*population)->memory_bytes(), 2000u * (4 * 2 + 4 + 4 * 9));
}

}  // namespace
}  // namespace credo::serve
