// MLflow's model-serving protocol (MLflow 2.x, `POST /invocations`), so tools written for an
// MLflow-served model call credo unchanged. Pure translation between request bodies and model
// input rows, and between probabilities and answers; no HTTP here (the server owns that).
//
// Accepted bodies: a JSON object with exactly one of these keys, plus optionally "params"
// (MLflow 2.6+; accepted when an object or null, and it does not change credo's answer):
//   {"dataframe_split": {"columns": ["a", "b"], "data": [[1, 2], [3, 4]], "index": [0, 1]}}
//       "columns" is required (credo's inputs are named), "index" is optional and ignored.
//   {"dataframe_records": [{"a": 1, "b": 2}, {"a": 3, "b": 4}]}
//   {"instances": ...} or {"inputs": ...} (TF-serving style), either
//       a list of records [{"a": 1, "b": 2}, ...], or a dict of columns {"a": [1, 3], "b": [2, 4]},
//       or, for a model with a single input column, a plain list of its values [1, 3].
// Values: numbers, booleans (as 0 and 1) and null (missing). A string, even "0.5", an array or an
// object is an error, and so are a number beyond a 32-bit float, a key repeated in one object and
// nesting deeper than 64; NaN and Infinity are not JSON (send null). Columns may come in any order;
// an input of the model that the body does not name is missing (NaN) in every row, whereas a column
// the model does not have is an error naming it (and the closest input name when one is close).
// Multi-column rows must name their columns: positional rows ([[1, 2]]) are refused, as MLflow
// refuses them for a model whose signature names its inputs.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "credo/base/status.h"

namespace credo::serve {

// Model input rows aligned to the model's feature list: row-major, NaN = missing.
struct InputRows {
  size_t rows = 0;
  std::vector<float> values;  // rows * features.size()
};

// Parses an /invocations body (UTF-8 JSON text) against the model's input columns `features`
// (its signature, in order). At least one and at most `max_rows` rows. Errors: ParseError when the
// body is not JSON, InvalidArgument otherwise; messages name the key, column and row at fault and
// quote at most ~40 characters of any value from the body.
StatusOr<InputRows> parse_invocations_body(std::string_view body, const std::vector<std::string>& features,
                                           size_t max_rows);

// The same from a text/csv body (what pandas' DataFrame.to_csv(index=False) writes): a header line
// naming the columns, then one line per row; an empty cell is missing. Columns are matched by name
// as in dataframe_split. Errors name the line and column.
StatusOr<InputRows> parse_invocations_csv(std::string_view body, const std::vector<std::string>& features,
                                          size_t max_rows);

// {"predictions": [p0, p1, ...]} with probabilities written exactly (shortest text that reads back
// as the same float); a NaN or infinite probability (never a model's answer) is written null.
std::string predictions_json(std::span<const float> probabilities);

// MLflow's error body (sent with HTTP 400): {"error_code": "BAD_REQUEST", "message": "..."}.
// Always valid JSON, even when `message` is not valid UTF-8.
std::string mlflow_error_json(std::string_view message);

}  // namespace credo::serve
