// Builds the Home Credit schemas from the embedded profile, once, on first use.
#include "credo/data/homecredit.h"

#include <nlohmann/json.hpp>

#include "credo/base/resources.h"

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

const Schema& homecredit_schema(HcTable table) {
  static const std::array<Schema, kHcTableCount> schemas = build_schemas();
  return schemas[static_cast<size_t>(table)];
}

}  // namespace credo
