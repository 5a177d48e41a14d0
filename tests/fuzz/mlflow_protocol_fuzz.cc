// libFuzzer harness for MLflow's /invocations bodies: any bytes must give rows or a clean error,
// never a crash, a leak or undefined behaviour. Rows must be in bounds and hold only finite values
// or NaN; an error must be short and sendable as MLflow's error body; the rows' values must read
// back exactly from predictions_json.
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/serve/mlflow_protocol.h"

namespace {

constexpr size_t kFuzzMaxRows = 64;

void check_mlflow_answer(const credo::StatusOr<credo::serve::InputRows>& parsed, size_t features) {
  if (!parsed.ok()) {
    const std::string& message = parsed.status().message();
    if (message.empty() || message.size() > 1000) __builtin_trap();
    auto error_body = nlohmann::json::parse(credo::serve::mlflow_error_json(message), nullptr, false);
    if (error_body.is_discarded() || error_body["error_code"] != "BAD_REQUEST") __builtin_trap();
    return;
  }
  if (parsed->rows == 0 || parsed->rows > kFuzzMaxRows) __builtin_trap();
  if (parsed->values.size() != parsed->rows * features) __builtin_trap();
  for (float value : parsed->values) {
    if (std::isinf(value)) __builtin_trap();
  }
  // The values as predictions: every finite one must read back bit for bit, NaN as null.
  std::string answer = credo::serve::predictions_json(parsed->values);
  auto predictions = nlohmann::json::parse(answer, nullptr, false);
  if (predictions.is_discarded() || predictions["predictions"].size() != parsed->values.size()) __builtin_trap();
  std::string_view items(answer);
  items.remove_prefix(std::strlen("{\"predictions\": ["));
  for (float value : parsed->values) {
    if (std::isnan(value)) {
      if (items.rfind("null", 0) != 0) __builtin_trap();
      items.remove_prefix(4);
    } else {
      float back = 0;
      auto read = std::from_chars(items.data(), items.data() + items.size(), back);
      if (read.ec != std::errc() || std::memcmp(&back, &value, sizeof value) != 0) __builtin_trap();
      items.remove_prefix(read.ptr - items.data());
    }
    if (items.rfind(", ", 0) == 0) items.remove_prefix(2);
  }
  if (items != "]}") __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view body(reinterpret_cast<const char*>(data), size);
  // Three inputs (records, columns and splits), and one (where a plain list of values is a column).
  static const std::vector<std::string> three_features = {"a", "b", "c"};
  static const std::vector<std::string> one_feature = {"a"};
  check_mlflow_answer(credo::serve::parse_invocations_body(body, three_features, kFuzzMaxRows), three_features.size());
  check_mlflow_answer(credo::serve::parse_invocations_body(body, one_feature, kFuzzMaxRows), one_feature.size());
  return 0;
}
