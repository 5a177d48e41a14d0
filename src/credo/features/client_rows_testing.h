// For tests: each client's own raw rows picked out of a Home Credit folder, as the scoring
// service gets them for a posted application (the application row and all its history), to
// compare the online features with the batch ones.
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "credo/data/csv_reader.h"
#include "credo/data/homecredit.h"
#include "credo/features/pipeline.h"

namespace credo::testing {

class RawClientTables {
 public:
  // Reads every table of `dir`; a file that is not there is a table with no rows.
  explicit RawClientTables(const std::filesystem::path& dir) {
    for (const auto& info : homecredit_tables()) {
      Table& table = tables_[static_cast<size_t>(info.id)];
      if (!std::filesystem::exists(dir / info.file_name)) {
        table = empty_table(homecredit_schema(info.id));
        continue;
      }
      CsvReadOptions options;
      options.schema = &homecredit_schema(info.id);
      auto read = read_csv_file((dir / info.file_name).string(), options);
      EXPECT_TRUE(read.ok()) << read.status().to_string();
      table = read.ok() ? std::move(*read) : empty_table(homecredit_schema(info.id));
    }
  }

  // The client's application row (from whichever application file has it) and its history.
  ClientRows client(int64_t id) const {
    ClientRows rows;
    rows.application = rows_of(HcTable::kApplicationTrain, "SK_ID_CURR", {id});
    if (rows.application.num_rows() == 0) rows.application = rows_of(HcTable::kApplicationTest, "SK_ID_CURR", {id});
    for (HcTable t : {HcTable::kBureau, HcTable::kPreviousApplication, HcTable::kPosCashBalance,
                      HcTable::kInstallmentsPayments, HcTable::kCreditCardBalance})
      rows.history[static_cast<size_t>(t)] = rows_of(t, "SK_ID_CURR", {id});
    std::set<int64_t> credits;
    for (int64_t b : rows.history[static_cast<size_t>(HcTable::kBureau)]->find("SK_ID_BUREAU")->int64s())
      credits.insert(b);
    rows.history[static_cast<size_t>(HcTable::kBureauBalance)] = rows_of(HcTable::kBureauBalance, "SK_ID_BUREAU", credits);
    return rows;
  }

 private:
  Table rows_of(HcTable t, const std::string& key, const std::set<int64_t>& ids) const {
    const Table& table = tables_[static_cast<size_t>(t)];
    std::vector<size_t> rows;
    auto keys = table.find(key)->int64s();
    for (size_t r = 0; r < keys.size(); ++r)
      if (ids.count(keys[r])) rows.push_back(r);
    return take_rows(table, rows);
  }

  std::array<Table, kHcTableCount> tables_;
};

}  // namespace credo::testing
