// Pins the Home Credit facts of homecredit_ranges.h against the embedded profile of real rows:
// the no-date code is the one the profile found, ranges join the meaning's rules with the data's
// bound, and the application's known levels are the profile's plus the full data's rare ones.
#include "credo/data/homecredit_ranges.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

namespace credo {
namespace {

bool has_level(const std::vector<std::string>* levels, const std::string& level) {
  return levels && std::find(levels->begin(), levels->end(), level) != levels->end();
}

TEST(HomeCreditRangesTest, TheNoDateCodeIsTheOneTheProfileFound) {
  const auto& employed = homecredit_profile()["tables"]["application_train"]["columns"]["DAYS_EMPLOYED"];
  EXPECT_TRUE(employed["special_values"].contains(std::to_string(kHcNoDate)));
  EXPECT_EQ(homecredit_code("NO_DATE"), static_cast<double>(kHcNoDate));
  EXPECT_EQ(homecredit_code(kHcNoDateName), static_cast<double>(kHcNoDate));
  EXPECT_FALSE(homecredit_code("no_date").has_value());  // names are exact
  EXPECT_FALSE(homecredit_code("365243").has_value());
}

TEST(HomeCreditRangesTest, ARangeJoinsTheMeaningAndTheDataBound) {
  const HcValueRange* credit = homecredit_range(HcTable::kApplicationTest, "AMT_CREDIT");
  ASSERT_NE(credit, nullptr);
  EXPECT_EQ(credit->min, 0);
  EXPECT_EQ(credit->expected, "an amount >= 0");
  EXPECT_EQ(credit->seen_min, 45000);      // both application files' real rows
  EXPECT_EQ(credit->seen_max, 4050000);    // application_train's largest
  EXPECT_EQ(credit->magnitude_bound, 4.05e9);
  EXPECT_TRUE(credit->meaning_allows(0));
  EXPECT_FALSE(credit->meaning_allows(-1));
  EXPECT_TRUE(credit->data_allows(4.05e9));
  EXPECT_FALSE(credit->data_allows(4.0500001e9));
  EXPECT_FALSE(credit->data_allows(1e39));  // would overflow a float feature
  EXPECT_EQ(credit->data_words(),
            "from 0 to 4.05e+09 (1000 times the largest magnitude of the real rows, which hold 45000 to 4.05e+06)");

  const HcValueRange* employed = homecredit_range(HcTable::kApplicationTrain, "DAYS_EMPLOYED");
  ASSERT_NE(employed, nullptr);
  EXPECT_TRUE(employed->meaning_allows(-100));
  EXPECT_TRUE(employed->meaning_allows(static_cast<double>(kHcNoDate)));
  EXPECT_FALSE(employed->meaning_allows(100));
  EXPECT_TRUE(employed->data_allows(static_cast<double>(kHcNoDate)));

  const HcValueRange* flag = homecredit_range(HcTable::kApplicationTest, "FLAG_MOBIL");
  ASSERT_NE(flag, nullptr);
  EXPECT_TRUE(flag->whole);
  EXPECT_EQ(flag->max, 1);
  // A column whose real rows are all 0 still accepts 1: the bound is at least the factor.
  EXPECT_GE(homecredit_range(HcTable::kApplicationTest, "FLAG_DOCUMENT_2")->magnitude_bound, 1);

  // History tables: only rules the full data never breaks (bureau debts go negative).
  const HcValueRange* debt = homecredit_range(HcTable::kBureau, "AMT_CREDIT_SUM_DEBT");
  ASSERT_NE(debt, nullptr);
  EXPECT_TRUE(std::isinf(debt->min));
  EXPECT_TRUE(debt->data_allows(-84144.6));
  EXPECT_FALSE(debt->data_allows(-1e300));

  EXPECT_EQ(homecredit_range(HcTable::kApplicationTest, "CODE_GENDER"), nullptr);  // text
  EXPECT_EQ(homecredit_range(HcTable::kBureau, "NO_SUCH_COLUMN"), nullptr);
}

TEST(HomeCreditRangesTest, TheApplicationsKnownLevels) {
  const auto* income = homecredit_application_levels("NAME_INCOME_TYPE");
  ASSERT_NE(income, nullptr);
  EXPECT_EQ(income->front(), "Working");  // most frequent first, as the profile lists them
  EXPECT_TRUE(has_level(income, "Businessman"));
  EXPECT_TRUE(has_level(income, "Student"));          // rare: absent from the profile's sample
  EXPECT_TRUE(has_level(income, "Maternity leave"));
  EXPECT_FALSE(has_level(income, "Spaceship"));
  EXPECT_TRUE(has_level(homecredit_application_levels("CODE_GENDER"), "XNA"));
  // Every level of either application file's profile is known, each once.
  for (const char* table : {"application_train", "application_test"}) {
    for (const auto& [column, entry] : homecredit_profile()["tables"][table]["columns"].items()) {
      if (!entry.contains("levels")) continue;
      const auto* known = homecredit_application_levels(column);
      ASSERT_NE(known, nullptr) << column;
      for (const auto& [level, stats] : entry["levels"].items()) EXPECT_TRUE(has_level(known, level)) << column << " " << level;
      EXPECT_EQ(std::set<std::string>(known->begin(), known->end()).size(), known->size()) << column;
    }
  }
  EXPECT_EQ(homecredit_application_levels("AMT_CREDIT"), nullptr);     // a number
  EXPECT_EQ(homecredit_application_levels("CREDIT_ACTIVE"), nullptr);  // a history column
  // The levels seen are the profile's, for hints, in any table.
  const auto* active = homecredit_levels_seen(HcTable::kBureau, "CREDIT_ACTIVE");
  ASSERT_NE(active, nullptr);
  EXPECT_EQ(*active, (std::vector<std::string>{"Closed", "Active", "Sold"}));
  EXPECT_EQ(homecredit_levels_seen(HcTable::kBureau, "AMT_CREDIT_SUM"), nullptr);
  EXPECT_TRUE(is_homecredit_text_code("XNA"));
  EXPECT_TRUE(is_homecredit_text_code("XAP"));
  EXPECT_FALSE(is_homecredit_text_code("xna"));
}

}  // namespace
}  // namespace credo
