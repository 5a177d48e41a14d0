// A posted application, as JSON, turned into the raw rows the feature pipeline reads: the
// scoring API's POST /api/v1/score takes a new client's application (and optionally its history)
// in the Kaggle column names, so the same feature code serves posted and known clients.
//
// The body:
//   {"application": {"AMT_CREDIT": 406597.5, "CODE_GENDER": "M", ...},
//    "history": {"bureau": [{...}, ...], "bureau_balance": [...], "previous_application": [...],
//                "POS_CASH_balance": [...], "installments_payments": [...], "credit_card_balance": [...]},
//    "client_id": 100002}   (optional; read by the server, not here)
// Fields are the columns of application_test.csv and of the history files; an absent field or
// null is missing. Numbers must be JSON numbers (whole numbers for integer columns), text must be
// JSON strings; booleans, NaN and Infinity are refused, text is at most 200 characters. The
// data stage's facts (data/homecredit_ranges.h) are enforced: a number outside the range its
// column certainly has (amounts >= 0, DAYS_* <= 0, EXT_SOURCE_* in [0, 1], FLAG_* 0 or 1...)
// or beyond what the data knows (1000 times the largest magnitude of the real rows: 1e39 would
// overflow the float features and be scored as missing) is refused, and so is a text level of
// the application the data does not know ("Spaceship"), naming the known levels. Refused, not
// flagged: a value the model cannot use would otherwise be scored silently as missing.
//
// Errors are InvalidArgument (the server answers 422); the message starts with the JSON path at
// fault and says what was expected: `application.AMT_CREDIT: expected a number, got "abc"`.
// Not-JSON-at-all (ParseError) is the server's, before these functions are called.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/base/status.h"
#include "credo/data/table.h"
#include "credo/features/pipeline.h"

namespace credo::serve {

inline constexpr size_t kMaxPostedHistoryRows = 10000;  // over every history table of one body
inline constexpr size_t kMaxPostedTextLength = 200;     // characters (bytes) of one text value

// A one-row Table with the columns of application_test.csv, in file order, from the object
// `fields`. Without `base_row`, fields not given are missing and SK_ID_CURR defaults to 0. With
// `base_row` (a known client's one-row application Table, from either file), the row starts as
// the client's and only the given fields change ("what if"); SK_ID_CURR, if given, must be the
// client's.
StatusOr<Table> application_row_from_json(const nlohmann::json& fields, const Table* base_row = nullptr);

// The raw rows of one client from a whole body {"application": {...}, "history": {...}}: the
// application row as above ("application" may be left out only with a base row), and each
// posted history table with its file's columns. History rows may omit SK_ID_CURR (the
// application's is filled in; another one is an error). The keys SK_ID_BUREAU of bureau and
// SK_ID_PREV of previous_application are required and unique; bureau_balance rows must name a
// posted bureau credit; POS_CASH_balance, installments_payments and credit_card_balance rows
// must name a SK_ID_PREV, one of the posted previous applications when there are any. At most
// kMaxPostedHistoryRows history rows in all. History tables not posted are left empty.
StatusOr<ClientRows> client_rows_from_json(const nlohmann::json& body, const Table* base_row = nullptr);

// One field that differs between two application rows (a what-if against the known row).
struct ApplicationChange {
  std::string field;       // "AMT_CREDIT"
  nlohmann::json before;   // number, text or null (missing)
  nlohmann::json after;
};

// The application fields whose values differ between `before` and `after` (one-row Tables;
// fields of application_test.csv, in file order; NaN equals NaN).
std::vector<ApplicationChange> application_changes(const Table& before, const Table& after);

// The one-row application Table as a JSON object of its fields (application_test.csv's),
// missing values as null: what a what-if answer echoes, and what application_row_from_json
// reads back to the same row.
nlohmann::json application_row_to_json(const Table& row);

}  // namespace credo::serve
