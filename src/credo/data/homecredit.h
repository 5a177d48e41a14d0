// What credo knows of the Home Credit Default Risk files: the eight tables, their file names,
// exact headers and types (from the embedded profile of real rows), and how they join.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "credo/data/schema.h"

namespace credo {

enum class HcTable {
  kApplicationTrain,
  kApplicationTest,
  kBureau,
  kBureauBalance,
  kPreviousApplication,
  kPosCashBalance,
  kInstallmentsPayments,
  kCreditCardBalance,
};
inline constexpr int kHcTableCount = 8;

struct HcTableInfo {
  HcTable id;
  std::string_view name;        // "bureau": the profile's and the feature spec's name
  std::string_view file_name;   // "bureau.csv": the Kaggle file name
  std::string_view unique_key;  // column unique per row ("" if none)
  // Foreign keys: (column here, parent table, column there).
  struct Reference {
    std::string_view column;
    HcTable parent;
  };
  std::vector<Reference> references;
};

// The eight tables in the Kaggle order (train, test, then history tables).
const std::array<HcTableInfo, kHcTableCount>& homecredit_tables();
const HcTableInfo& homecredit_table(HcTable table);
// Looks a table up by name ("bureau") or file name ("bureau.csv"); nullptr if unknown.
const HcTableInfo* find_homecredit_table(std::string_view name_or_file);

// The exact header and types of a Home Credit file, in file order (from profile.json).
const Schema& homecredit_schema(HcTable table);

// One row of the official column dictionary, with its quirks mended: the key is called
// SK_ID_BUREAU (the dictionary says SK_BUREAU_ID), names are trimmed ("SK_ID_PREV "), and
// application_{train|test}.csv rows are listed under both tables (TARGET under train only).
// NFLAG_MICRO_CASH, listed for previous_application but absent from the file, is dropped.
struct HcColumnDoc {
  HcTable table;
  std::string column;
  std::string description;
  std::string special;  // e.g. "normalized", "hashed", "time only relative to the application"
};

// The official dictionary, in its order (parsed once from the embedded file).
const std::vector<HcColumnDoc>& homecredit_dictionary();
// The description of `column` in `table`, or nullptr if the dictionary has none.
const HcColumnDoc* find_homecredit_doc(HcTable table, std::string_view column);

// The embedded profile of real rows, parsed once (immutable).
const nlohmann::json& homecredit_profile();

}  // namespace credo
