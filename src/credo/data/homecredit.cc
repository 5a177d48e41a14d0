// Builds the Home Credit schemas from the embedded profile, once, on first use.
#include "credo/data/homecredit.h"

#include <nlohmann/json.hpp>

#include <cassert>

#include "credo/base/resources.h"
#include "credo/data/csv_reader.h"

namespace credo {

const std::array<HcTableInfo, kHcTableCount>& homecredit_tables() {
  using T = HcTable;
  static const std::array<HcTableInfo, kHcTableCount> tables = {{
      {T::kApplicationTrain, "application_train", "application_train.csv", "SK_ID_CURR", {}},
      {T::kApplicationTest, "application_test", "application_test.csv", "SK_ID_CURR", {}},
      {T::kBureau, "bureau", "bureau.csv", "SK_ID_BUREAU", {{"SK_ID_CURR", T::kApplicationTrain}}},
      {T::kBureauBalance, "bureau_balance", "bureau_balance.csv", "", {{"SK_ID_BUREAU", T::kBureau}}},
      {T::kPreviousApplication, "previous_application", "previous_application.csv", "SK_ID_PREV",
       {{"SK_ID_CURR", T::kApplicationTrain}}},
      {T::kPosCashBalance, "POS_CASH_balance", "POS_CASH_balance.csv", "",
       {{"SK_ID_PREV", T::kPreviousApplication}, {"SK_ID_CURR", T::kApplicationTrain}}},
      {T::kInstallmentsPayments, "installments_payments", "installments_payments.csv", "",
       {{"SK_ID_PREV", T::kPreviousApplication}, {"SK_ID_CURR", T::kApplicationTrain}}},
      {T::kCreditCardBalance, "credit_card_balance", "credit_card_balance.csv", "",
       {{"SK_ID_PREV", T::kPreviousApplication}, {"SK_ID_CURR", T::kApplicationTrain}}},
  }};
  return tables;
}

const HcTableInfo& homecredit_table(HcTable table) {
  return homecredit_tables()[static_cast<size_t>(table)];
}

const HcTableInfo* find_homecredit_table(std::string_view name_or_file) {
  for (const auto& t : homecredit_tables())
    if (t.name == name_or_file || t.file_name == name_or_file) return &t;
  return nullptr;
}

const nlohmann::json& homecredit_profile() {
  static const nlohmann::json profile = nlohmann::json::parse(homecredit_profile_json());
  return profile;
}

namespace {
std::vector<HcColumnDoc> parse_dictionary() {
  CsvReadOptions options;
  options.threads = 1;
  auto table = read_csv_string(std::string(homecredit_columns_description_csv()), "HomeCredit_columns_description.csv",
                               options);
  assert(table.ok() && "the embedded dictionary parses");
  const Column* tables = table->find("Table");
  const Column* rows = table->find("Row");
  const Column* descriptions = table->find("Description");
  const Column* specials = table->find("Special");
  std::vector<HcColumnDoc> docs;
  for (size_t r = 0; r < table->num_rows(); ++r) {
    std::string file(tables->category(r));
    std::string column(rows->category(r));
    while (!column.empty() && column.back() == ' ') column.pop_back();
    if (column == "SK_BUREAU_ID") column = "SK_ID_BUREAU";
    std::vector<HcTable> targets;
    if (file == "application_{train|test}.csv") {
      targets.push_back(HcTable::kApplicationTrain);
      if (column != "TARGET") targets.push_back(HcTable::kApplicationTest);
    } else if (const HcTableInfo* info = find_homecredit_table(file)) {
      if (info->id == HcTable::kPreviousApplication && column == "NFLAG_MICRO_CASH") continue;
      targets.push_back(info->id);
    }
    for (HcTable t : targets)
      docs.push_back({t, column, std::string(descriptions->category(r)), std::string(specials->category(r))});
  }
  return docs;
}

std::array<Schema, kHcTableCount> build_schemas() {
  std::array<Schema, kHcTableCount> schemas;
  // nlohmann::json sorts object keys; the file order is the order of the profile's "columns"
  // object, which only ordered_json keeps.
  auto ordered = nlohmann::ordered_json::parse(homecredit_profile_json());
  for (const auto& info : homecredit_tables()) {
    Schema& schema = schemas[static_cast<size_t>(info.id)];
    for (const auto& [name, col] : ordered.at("tables").at(std::string(info.name)).at("columns").items()) {
      std::string dtype = col.at("dtype").get<std::string>();
      ColumnType type = dtype == "int" ? ColumnType::kInt64
                        : dtype == "float" ? ColumnType::kDouble
                                           : ColumnType::kCategorical;
      schema.columns.push_back({name, type});
    }
  }
  return schemas;
}
}  // namespace

const std::vector<HcColumnDoc>& homecredit_dictionary() {
  static const std::vector<HcColumnDoc> docs = parse_dictionary();
  return docs;
}

const HcColumnDoc* find_homecredit_doc(HcTable table, std::string_view column) {
  for (const auto& doc : homecredit_dictionary())
    if (doc.table == table && doc.column == column) return &doc;
  return nullptr;
}

const Schema& homecredit_schema(HcTable table) {
  static const std::array<Schema, kHcTableCount> schemas = build_schemas();
  return schemas[static_cast<size_t>(table)];
}

}  // namespace credo
