// libFuzzer harness for posted applications (POST /api/v1/score bodies): any JSON must give a
// client's rows or a clean InvalidArgument, never a crash, a leak or undefined behaviour. An error
// must be short and name where it is (body, application or history); rows must have one
// application row of application_test.csv's columns, at most 10,000 history rows, and the
// application row must read back unchanged from its own JSON.
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "credo/data/homecredit.h"
#include "credo/serve/application_json.h"

namespace {

void check_posted_answer(const credo::StatusOr<credo::ClientRows>& rows) {
  if (!rows.ok()) {
    const std::string& message = rows.status().message();
    if (rows.status().code() != credo::StatusCode::kInvalidArgument) __builtin_trap();
    if (message.empty() || message.size() > 1000) __builtin_trap();
    if (message.rfind("body", 0) != 0 && message.rfind("application", 0) != 0 && message.rfind("history", 0) != 0)
      __builtin_trap();
    return;
  }
  const credo::Table& application = rows->application;
  if (application.num_rows() != 1) __builtin_trap();
  if (application.num_columns() != credo::homecredit_schema(credo::HcTable::kApplicationTest).size()) __builtin_trap();
  size_t history_rows = 0;
  for (const auto& table : rows->history)
    if (table) history_rows += table->num_rows();
  if (history_rows > credo::serve::kMaxPostedHistoryRows) __builtin_trap();
  auto again = credo::serve::application_row_from_json(credo::serve::application_row_to_json(application));
  if (!again.ok() || !credo::serve::application_changes(application, *again).empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nlohmann::json body = nlohmann::json::parse(data, data + size, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return 0;  // not JSON: the server's ParseError, before these functions
  static const credo::Table base =
      credo::serve::application_row_from_json({{"SK_ID_CURR", 100002}, {"AMT_CREDIT", 406597.5}, {"CODE_GENDER", "M"}})
          .value();
  check_posted_answer(credo::serve::client_rows_from_json(body));
  check_posted_answer(credo::serve::client_rows_from_json(body, &base));
  return 0;
}
