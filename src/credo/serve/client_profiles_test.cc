// Pins what an officer reads about a known client: hand-written application files read through
// the real loader, each curated field's value and words checked by hand (DAYS_EMPLOYED's 365243
// says "not employed", never a thousand years), a test client without outcome, the what-if row
// with application_test's columns, and the errors.
#include "credo/serve/client_profiles.h"

#include <gtest/gtest.h>

#include "credo/base/temp_dir.h"
#include "credo/data/homecredit_files_testing.h"

namespace credo::serve {
namespace {

class ClientProfilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_homecredit_rows(dir_.path(), HcTable::kApplicationTrain,
                          {{{"SK_ID_CURR", "100001"}, {"TARGET", "1"}, {"CODE_GENDER", "F"}, {"DAYS_BIRTH", "-12000"},
                            {"DAYS_EMPLOYED", "365243"}, {"NAME_INCOME_TYPE", "Pensioner"},
                            {"AMT_INCOME_TOTAL", "202500.0"}, {"AMT_CREDIT", "1234567.5"}, {"FLAG_OWN_CAR", "N"},
                            {"FLAG_OWN_REALTY", "Y"}, {"CNT_CHILDREN", "2"}, {"REGION_RATING_CLIENT", "2"},
                            {"EXT_SOURCE_2", "0.5"}, {"NAME_CONTRACT_TYPE", "Cash loans"}},
                           {{"SK_ID_CURR", "100002"}, {"TARGET", "0"}, {"CODE_GENDER", "M"}, {"DAYS_BIRTH", "-20000"},
                            {"DAYS_EMPLOYED", "-1000"}, {"AMT_INCOME_TOTAL", "99000.0"}}});
    write_homecredit_rows(dir_.path(), HcTable::kApplicationTest,
                          {{{"SK_ID_CURR", "100003"}, {"CODE_GENDER", "F"}, {"DAYS_BIRTH", "-9000"},
                            {"DAYS_EMPLOYED", "-100"}, {"AMT_CREDIT", "45000.0"}}});
  }

  StatusOr<ClientProfiles> load() {
    CREDO_ASSIGN_OR_RETURN(HomeCreditSource source, HomeCreditSource::open(dir_.path().string()));
    return ClientProfiles::load(source);
  }

  // The curated field `key` of a description.
  static const nlohmann::json& field(const nlohmann::json& description, const std::string& key) {
    for (const auto& f : description["fields"])
      if (f["key"] == key) return f;
    static const nlohmann::json kNone;
    ADD_FAILURE() << "no field " << key;
    return kNone;
  }

  TempDir dir_{"client_profiles"};
};

TEST_F(ClientProfilesTest, IndexesTrainThenTestClientsWithTheirOutcomes) {
  auto profiles = load();
  ASSERT_TRUE(profiles.ok()) << profiles.status().to_string();
  ASSERT_EQ(profiles->num_clients(), 3u);
  EXPECT_EQ(profiles->find(100001), 0u);
  EXPECT_EQ(profiles->find(100003), 2u);
  EXPECT_FALSE(profiles->find(100004).has_value());
  EXPECT_FALSE(profiles->find(-5).has_value());
  EXPECT_EQ(profiles->target(0), 1);
  EXPECT_EQ(profiles->target(1), 0);
  EXPECT_EQ(profiles->target(2), -1);
  EXPECT_FALSE(profiles->is_test(1));
  EXPECT_TRUE(profiles->is_test(2));
  EXPECT_EQ(profiles->table().find("TARGET"), nullptr);
  EXPECT_NEAR(*profiles->age_years(0), 12000 / 365.25, 1e-9);
}

TEST_F(ClientProfilesTest, DescribesTheCuratedFieldsInWords) {
  auto profiles = load();
  ASSERT_TRUE(profiles.ok());
  auto d = profiles->describe(100001);
  ASSERT_TRUE(d.ok()) << d.status().to_string();
  EXPECT_EQ((*d)["client_id"], 100001);
  EXPECT_EQ((*d)["set"], "train");
  EXPECT_EQ((*d)["outcome"]["value"], "defaulted");
  EXPECT_EQ((*d)["outcome"]["target"], 1);
  EXPECT_NE((*d)["outcome"]["description"].get<std::string>().find("payment difficulties"), std::string::npos);
  ASSERT_EQ((*d)["fields"].size(), profile_fields().size());

  EXPECT_EQ(field(*d, "gender")["value"], "F");
  EXPECT_EQ(field(*d, "gender")["text"], "female");
  EXPECT_EQ(field(*d, "gender")["description"], "Gender of the client");
  // 12000 days: 32.85 years, shown as 32.9 and "32 years".
  EXPECT_DOUBLE_EQ(field(*d, "age_years")["value"].get<double>(), 32.9);
  EXPECT_EQ(field(*d, "age_years")["text"], "32 years");
  EXPECT_EQ(field(*d, "age_years")["raw"], -12000);
  EXPECT_EQ(field(*d, "income")["text"], "202,500");
  EXPECT_EQ(field(*d, "credit")["text"], "1,234,567.50");
  EXPECT_DOUBLE_EQ(field(*d, "credit")["value"].get<double>(), 1234567.5);
  EXPECT_EQ(field(*d, "own_car")["text"], "no");
  EXPECT_EQ(field(*d, "own_realty")["text"], "yes");
  EXPECT_EQ(field(*d, "children")["text"], "2");
  EXPECT_EQ(field(*d, "region_rating")["text"], "2 of 3 (1 is the best)");
  EXPECT_EQ(field(*d, "external_score_2")["text"], "0.50");
  EXPECT_TRUE(field(*d, "external_score_1")["value"].is_null());
  EXPECT_EQ(field(*d, "external_score_1")["text"], "not given");
  EXPECT_EQ(field(*d, "income_type")["value"], "Pensioner");
  EXPECT_EQ(field(*d, "contract_type")["text"], "Cash loans");
}

TEST_F(ClientProfilesTest, NotEmployedIsSaidNeverAThousandYears) {
  auto profiles = load();
  ASSERT_TRUE(profiles.ok());
  const nlohmann::json pensioner = field(*profiles->describe(100001), "years_employed");
  EXPECT_TRUE(pensioner["value"].is_null());
  EXPECT_EQ(pensioner["not_employed"], true);
  EXPECT_EQ(pensioner["raw"], 365243);
  EXPECT_EQ(pensioner["text"], "not employed (pensioner or unemployed)");
  const nlohmann::json employed = field(*profiles->describe(100002), "years_employed");
  EXPECT_DOUBLE_EQ(employed["value"].get<double>(), 2.7);  // 1000 days
  EXPECT_EQ(employed["text"], "2.7 years");
  EXPECT_FALSE(employed.contains("not_employed"));
  EXPECT_EQ(field(*profiles->describe(100003), "years_employed")["text"], "less than a year");
}

TEST_F(ClientProfilesTest, ATestClientHasNoOutcome) {
  auto profiles = load();
  ASSERT_TRUE(profiles.ok());
  auto d = profiles->describe(100003);
  ASSERT_TRUE(d.ok());
  EXPECT_EQ((*d)["set"], "test");
  EXPECT_TRUE((*d)["outcome"]["target"].is_null());
  EXPECT_EQ((*d)["outcome"]["value"], "unknown");
  EXPECT_EQ(profiles->brief(2)["outcome"], "unknown");
  EXPECT_EQ(profiles->brief(2)["credit"], 45000.0);
  EXPECT_TRUE(profiles->brief(2)["income"].is_null());
}

TEST_F(ClientProfilesTest, UnknownClientIsNotFoundNamingIt) {
  auto profiles = load();
  ASSERT_TRUE(profiles.ok());
  auto d = profiles->describe(999);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), StatusCode::kNotFound);
  EXPECT_NE(d.status().message().find("999"), std::string::npos);
  EXPECT_FALSE(profiles->application_row(999).has_value());
}

TEST_F(ClientProfilesTest, ApplicationRowHasTheTestFilesColumnsInOrder) {
  auto profiles = load();
  ASSERT_TRUE(profiles.ok());
  for (int64_t id : {100001, 100003}) {
    auto row = profiles->application_row(id);
    ASSERT_TRUE(row.has_value());
    ASSERT_EQ(row->num_rows(), 1u);
    const Schema& schema = homecredit_schema(HcTable::kApplicationTest);
    ASSERT_EQ(row->num_columns(), schema.size());
    for (size_t c = 0; c < schema.size(); ++c) {
      EXPECT_EQ(row->column(c).name(), schema.columns[c].name);
      EXPECT_EQ(row->column(c).type(), schema.columns[c].type) << schema.columns[c].name;
    }
    EXPECT_EQ(row->find("SK_ID_CURR")->int64s()[0], id);
  }
  auto row = profiles->application_row(100001);
  EXPECT_EQ(row->find("CODE_GENDER")->category(0), "F");
  EXPECT_EQ(row->find("DAYS_EMPLOYED")->int64s()[0], 365243);
  EXPECT_DOUBLE_EQ(row->find("AMT_CREDIT")->doubles()[0], 1234567.5);
  EXPECT_TRUE(row->find("EXT_SOURCE_1")->is_missing(0));
}

TEST_F(ClientProfilesTest, AnIdInBothFilesIsRefusedNamingIt) {
  write_homecredit_rows(dir_.path(), HcTable::kApplicationTest, {{{"SK_ID_CURR", "100002"}}});
  auto profiles = load();
  ASSERT_FALSE(profiles.ok());
  EXPECT_EQ(profiles.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(profiles.status().message().find("100002"), std::string::npos);
}

TEST_F(ClientProfilesTest, AMissingFileIsNamed) {
  std::filesystem::remove(dir_ / "application_test.csv");
  auto profiles = load();
  ASSERT_FALSE(profiles.ok());
  EXPECT_NE(profiles.status().message().find("application_test.csv"), std::string::npos);
}

TEST(ClientProfileFieldsTest, EveryCuratedColumnIsAnApplicationColumnWithADescription) {
  const Schema& schema = homecredit_schema(HcTable::kApplicationTest);
  for (const ProfileField& f : profile_fields()) {
    EXPECT_NE(schema.find(f.column), nullptr) << f.column;
    EXPECT_NE(find_homecredit_doc(HcTable::kApplicationTrain, f.column), nullptr) << f.column;
  }
}

}  // namespace
}  // namespace credo::serve
