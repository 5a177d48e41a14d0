// Pins what credo knows of the Home Credit files: every file's header (from the profile of real
// rows) equals the official dictionary's list for that table, column for column and in order,
// once the dictionary's documented quirks are mended.
#include "credo/data/homecredit.h"

#include <gtest/gtest.h>

namespace credo {
namespace {

TEST(HomeCreditTest, HeadersEqualTheOfficialDictionary) {
  for (const auto& info : homecredit_tables()) {
    std::vector<std::string> documented;
    for (const auto& doc : homecredit_dictionary())
      if (doc.table == info.id) documented.push_back(doc.column);
    std::vector<std::string> header;
    for (const auto& c : homecredit_schema(info.id).columns) header.push_back(c.name);
    EXPECT_EQ(header, documented) << info.file_name;
  }
}

TEST(HomeCreditTest, DictionaryDescribesColumnsInWords) {
  const HcColumnDoc* doc = find_homecredit_doc(HcTable::kBureau, "AMT_CREDIT_SUM_DEBT");
  ASSERT_NE(doc, nullptr);
  EXPECT_EQ(doc->description, "Current debt on Credit Bureau credit");
  const HcColumnDoc* ext = find_homecredit_doc(HcTable::kApplicationTest, "EXT_SOURCE_1");
  ASSERT_NE(ext, nullptr);
  EXPECT_EQ(ext->special, "normalized");
  EXPECT_EQ(find_homecredit_doc(HcTable::kApplicationTest, "TARGET"), nullptr);
  EXPECT_EQ(find_homecredit_doc(HcTable::kPreviousApplication, "NFLAG_MICRO_CASH"), nullptr);
  EXPECT_NE(find_homecredit_doc(HcTable::kPosCashBalance, "SK_ID_PREV"), nullptr);  // trailing space mended
}

TEST(HomeCreditTest, TablesAreFoundByNameOrFileName) {
  ASSERT_NE(find_homecredit_table("bureau"), nullptr);
  EXPECT_EQ(find_homecredit_table("bureau.csv")->id, HcTable::kBureau);
  EXPECT_EQ(find_homecredit_table("POS_CASH_balance")->unique_key, "");
  EXPECT_EQ(find_homecredit_table("previous_application.csv")->unique_key, "SK_ID_PREV");
  EXPECT_EQ(find_homecredit_table("nope.csv"), nullptr);
}

}  // namespace
}  // namespace credo
