// MLflow's /invocations bodies to model input rows, and probabilities to its answers. Bodies come
// from anyone on the network: every malformed shape is an error that names the key, column and row
// at fault, quotes at most ~40 characters of what it found, and never crashes or drops a value.
#include "credo/serve/mlflow_protocol.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <limits>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "credo/base/closest_name.h"
#include "credo/base/text.h"

namespace credo::serve {
namespace {

using BodyJson = nlohmann::json;

constexpr std::string_view kMlflowFormatKeys[] = {"dataframe_split", "dataframe_records", "instances", "inputs"};
constexpr std::string_view kMlflowAcceptedKeys =
    "exactly one of dataframe_split, dataframe_records, instances, inputs, and optionally params";
// Quoted values from the body are cut to this many bytes, so errors never echo huge inputs.
constexpr size_t kMlflowQuotedBytes = 40;
// Our formats nest four deep; params may nest more, but no honest body needs this much, and a
// bound keeps a hostile one from costing memory and time per level.
constexpr int kMlflowMaxDepth = 64;
constexpr float kMlflowMissing = std::numeric_limits<float>::quiet_NaN();

std::string mlflow_dump(const BodyJson& value) {
  return value.dump(-1, ' ', false, BodyJson::error_handler_t::replace);
}

// `text` as a JSON string literal, cut at a UTF-8 boundary to ~40 bytes: its start ("abc...") or,
// when what matters is where it ends, its end ("...xyz").
std::string mlflow_quote(std::string_view text, bool keep_end = false) {
  if (text.size() <= kMlflowQuotedBytes) return mlflow_dump(BodyJson(std::string(text)));
  if (keep_end) {
    std::string quoted = mlflow_dump(BodyJson(std::string(text.substr(utf8_suffix_start(text, kMlflowQuotedBytes)))));
    return quoted.insert(1, "...");
  }
  std::string quoted = mlflow_dump(BodyJson(std::string(text.substr(0, utf8_prefix_length(text, kMlflowQuotedBytes)))));
  return quoted.insert(quoted.size() - 1, "...");
}

// "1 value", "2 values".
std::string mlflow_count(size_t count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

// "an array", "the string \"0.5\"", "the number 7"...: what a value is, for error messages.
std::string mlflow_describe(const BodyJson& value) {
  switch (value.type()) {
    case BodyJson::value_t::object: return "an object";
    case BodyJson::value_t::array: return "an array";
    case BodyJson::value_t::string: return "the string " + mlflow_quote(value.get_ref<const std::string&>());
    case BodyJson::value_t::null: return "null";
    case BodyJson::value_t::boolean: return value.get<bool>() ? "true" : "false";
    default: return "the number " + mlflow_dump(value);
  }
}

// True when the word the parser stopped in (ending at `byte`, 1-based) is a NaN or an Infinity.
bool mlflow_stopped_at_non_finite(std::string_view body, size_t byte) {
  size_t end = std::min(byte, body.size());
  size_t start = end;
  while (start > 0 && std::string_view(",:[{ \t\r\n").find(body[start - 1]) == std::string_view::npos) --start;
  std::string word;
  for (size_t i = start; i < body.size() && i < start + 4; ++i) {
    word += static_cast<char>(std::tolower(static_cast<unsigned char>(body[i])));
  }
  if (!word.empty() && (word[0] == '-' || word[0] == '+')) word.erase(0, 1);
  return word.rfind("nan", 0) == 0 || word.rfind("inf", 0) == 0;
}

// nlohmann's syntax error as a sentence about the body, its "last read" token cut to ~40 bytes.
std::string mlflow_syntax_error_text(std::string what, size_t byte, std::string_view body) {
  if (size_t bracket = what.find("] "); what.rfind("[json.exception", 0) == 0 && bracket != std::string::npos) {
    what.erase(0, bracket + 2);
  }
  // "...; last read: '<token>'" optionally followed by "; expected '<token kind>'"; the token is
  // what the parser had consumed when it stopped (a whole string, maybe huge), ending where it stopped.
  constexpr std::string_view kLastRead = "last read: '";
  if (size_t at = what.find(kLastRead); at != std::string::npos) {
    size_t token_start = at + kLastRead.size();
    size_t token_end = what.rfind("'; expected ");
    if (token_end == std::string::npos || token_end < token_start) token_end = what.size() - 1;
    if (token_end >= token_start && what[token_end] == '\'') {
      std::string token = what.substr(token_start, token_end - token_start);
      what.replace(at, token_end + 1 - at, "last read: " + mlflow_quote(token, /*keep_end=*/true));
    }
  }
  std::string text = "the body is not valid JSON: " + what;
  if (mlflow_stopped_at_non_finite(body, byte)) text += " (NaN and Infinity are not JSON: send null for a missing value)";
  return text;
}

// A first pass over the body through nlohmann's SAX interface, building nothing. It refuses what a
// JSON reader would take silently or at a cost: a key repeated in one object (one of its values
// would be dropped) and nesting deeper than kMlflowMaxDepth; and it words syntax errors. (nlohmann's
// parse callbacks could do this in one pass, but they cost time quadratic in an array's length.)
class MlflowBodyChecker final : public nlohmann::json_sax<BodyJson> {
 public:
  explicit MlflowBodyChecker(std::string_view body) : body_(body) {}

  // Why the body was refused; OK while it has not been.
  const Status& status() const { return status_; }

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override {
    keys_of_open_objects_.emplace_back();
    return enter();
  }
  bool key(string_t& name) override {
    if (keys_of_open_objects_.back().insert(name).second) return true;
    return refuse(Status::InvalidArgument("the key " + mlflow_quote(name) + " appears twice in one object: send each key once"));
  }
  bool end_object() override {
    keys_of_open_objects_.pop_back();
    --depth_;
    return true;
  }
  bool start_array(std::size_t) override { return enter(); }
  bool end_array() override {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t byte, const std::string&, const nlohmann::detail::exception& error) override {
    if (error.id == 406) {
      // JSON puts no bound on numbers; nlohmann stops at one beyond a double: "... parsing '<number>'".
      std::string what = error.what();
      size_t start = what.find(" parsing '");
      std::string number = start == std::string::npos ? "" : what.substr(start + 10, what.size() - start - 11);
      return refuse(Status::InvalidArgument("the body has a number beyond the range of a 64-bit float: " +
                                            mlflow_quote(number)));
    }
    return refuse(Status::ParseError(mlflow_syntax_error_text(error.what(), byte, body_)));
  }

 private:
  bool enter() {
    if (++depth_ <= kMlflowMaxDepth) return true;
    return refuse(Status::InvalidArgument("the body nests arrays and objects more than " +
                                          std::to_string(kMlflowMaxDepth) + " deep"));
  }
  bool refuse(Status status) {
    status_ = std::move(status);
    return false;
  }

  std::string_view body_;
  int depth_ = 0;
  std::vector<std::unordered_set<std::string>> keys_of_open_objects_;
  Status status_;
};

// The body as JSON, once MlflowBodyChecker has found nothing to refuse in it.
StatusOr<BodyJson> mlflow_parse_body(std::string_view body) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return Status::ParseError("the body is empty: send a JSON object with " + std::string(kMlflowAcceptedKeys));
  }
  MlflowBodyChecker checker(body);
  if (!BodyJson::sax_parse(body.begin(), body.end(), &checker)) {
    if (checker.status().ok()) return Status::Internal("the JSON reader stopped without saying why");
    return checker.status();
  }
  BodyJson document = BodyJson::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) return Status::Internal("the JSON reader refused a body its first pass accepted");
  return document;
}

// Fills input rows from one body's payload, resolving the body's column names to the model's inputs.
class MlflowRowsReader {
 public:
  MlflowRowsReader(const std::vector<std::string>& features, size_t max_rows, std::string_view format)
      : features_(features), max_rows_(max_rows), format_(format) {
    for (size_t i = 0; i < features.size(); ++i) feature_index_.emplace(features[i], i);
  }

  // {"columns": [...], "data": [[...], ...], "index": [...]}
  StatusOr<InputRows> from_split(const BodyJson& split) const {
    if (!split.is_object()) {
      return error("expected an object with \"columns\" and \"data\" (pandas' split orientation), got " +
                   mlflow_describe(split));
    }
    for (const auto& [key, value] : split.items()) {
      if (key != "columns" && key != "data" && key != "index") {
        return error("unknown key " + mlflow_quote(key) + "; accepted: columns, data, index");
      }
    }
    if (!split.contains("columns")) return error("\"columns\" is missing: credo's model inputs are named");
    if (!split.contains("data")) return error("\"data\" is missing");
    const BodyJson& columns = split["columns"];
    const BodyJson& data = split["data"];
    if (!columns.is_array()) return error("\"columns\" must be an array of names, got " + mlflow_describe(columns));
    if (!data.is_array()) return error("\"data\" must be an array of rows, got " + mlflow_describe(data));
    std::vector<size_t> feature_of_column;
    std::unordered_set<std::string> seen;
    for (size_t c = 0; c < columns.size(); ++c) {
      if (!columns[c].is_string()) {
        return error("columns[" + std::to_string(c) + "] must be a name, got " + mlflow_describe(columns[c]));
      }
      const std::string& name = columns[c].get_ref<const std::string&>();
      if (!seen.insert(name).second) return error("the column " + mlflow_quote(name) + " is named twice in \"columns\"");
      CREDO_ASSIGN_OR_RETURN(size_t feature, feature_of(name));
      feature_of_column.push_back(feature);
    }
    CREDO_RETURN_IF_ERROR(check_row_count(data.size()));
    InputRows rows = start(data.size());
    for (size_t r = 0; r < data.size(); ++r) {
      const BodyJson& row = data[r];
      if (!row.is_array()) return error("data[" + std::to_string(r) + "] must be an array, got " + mlflow_describe(row));
      if (row.size() != columns.size()) {
        return error("data[" + std::to_string(r) + "] has " + mlflow_count(row.size(), "value") + " but \"columns\" has " +
                     std::to_string(columns.size()));
      }
      for (size_t c = 0; c < row.size(); ++c) CREDO_RETURN_IF_ERROR(store(row[c], r, feature_of_column[c], rows));
    }
    return rows;
  }

  // [{"col": value, ...}, ...]; a record without a column leaves it missing in that row.
  StatusOr<InputRows> from_records(const BodyJson& records) const {
    if (!records.is_array()) return error("expected a list of records, got " + mlflow_describe(records));
    CREDO_RETURN_IF_ERROR(check_row_count(records.size()));
    InputRows rows = start(records.size());
    for (size_t r = 0; r < records.size(); ++r) {
      const BodyJson& record = records[r];
      if (!record.is_object()) {
        return error("item " + std::to_string(r) + " must be a record (an object of column: value), got " +
                     mlflow_describe(record));
      }
      for (const auto& [column, value] : record.items()) {
        CREDO_ASSIGN_OR_RETURN(size_t feature, feature_of(column));
        CREDO_RETURN_IF_ERROR(store(value, r, feature, rows));
      }
    }
    return rows;
  }

  // {"col": [v0, v1, ...], ...}: every column the same length, one value per row.
  StatusOr<InputRows> from_columns(const BodyJson& columns) const {
    if (columns.empty()) return error("no columns, so no rows");
    const std::string& first_name = columns.begin().key();
    const BodyJson& first_values = columns.begin().value();
    for (const auto& [column, values] : columns.items()) {
      if (!values.is_array()) {
        return error("column " + mlflow_quote(column) + " must be an array of values (one per row), got " +
                     mlflow_describe(values));
      }
      if (values.size() != first_values.size()) {
        return error("column " + mlflow_quote(column) + " has " + mlflow_count(values.size(), "value") +
                     " but column " + mlflow_quote(first_name) + " has " + std::to_string(first_values.size()));
      }
    }
    CREDO_RETURN_IF_ERROR(check_row_count(first_values.size()));
    InputRows rows = start(first_values.size());
    for (const auto& [column, values] : columns.items()) {
      CREDO_ASSIGN_OR_RETURN(size_t feature, feature_of(column));
      for (size_t r = 0; r < values.size(); ++r) CREDO_RETURN_IF_ERROR(store(values[r], r, feature, rows));
    }
    return rows;
  }

  // [v0, v1, ...] for a model with a single input: one value per row.
  StatusOr<InputRows> from_values(const BodyJson& values) const {
    if (features_.size() != 1) {
      return error("a plain list of values fits a model with a single input, and this one has " +
                   std::to_string(features_.size()) +
                   ": send records [{\"column\": value, ...}] or columns {\"column\": [values]}");
    }
    CREDO_RETURN_IF_ERROR(check_row_count(values.size()));
    InputRows rows = start(values.size());
    for (size_t r = 0; r < values.size(); ++r) CREDO_RETURN_IF_ERROR(store(values[r], r, 0, rows));
    return rows;
  }

  // TF-serving style: records, a dict of columns, or a plain list of values.
  StatusOr<InputRows> from_tf_serving(const BodyJson& payload) const {
    if (payload.is_object()) return from_columns(payload);
    if (!payload.is_array()) {
      return error("expected a list of records, a dict of columns or a list of values, got " +
                   mlflow_describe(payload));
    }
    if (payload.empty()) return check_row_count(0);
    if (payload[0].is_object()) return from_records(payload);
    if (payload[0].is_array()) {
      return error("item 0 is an array: rows must name their columns; send records [{\"column\": value, ...}] or "
                   "columns {\"column\": [values]}");
    }
    return from_values(payload);
  }

 private:
  Status error(const std::string& message) const {
    return Status::InvalidArgument(std::string(format_) + ": " + message);
  }

  Status check_row_count(size_t count) const {
    if (count == 0) return error("no rows: send at least one");
    if (count > max_rows_) {
      return error(mlflow_count(count, "row") + ", more than the limit of " + std::to_string(max_rows_) +
                   " per request");
    }
    return Status::Ok();
  }

  InputRows start(size_t count) const {
    InputRows rows;
    rows.rows = count;
    rows.values.assign(count * features_.size(), kMlflowMissing);
    return rows;
  }

  StatusOr<size_t> feature_of(const std::string& column) const {
    if (auto found = feature_index_.find(column); found != feature_index_.end()) return found->second;
    std::string message = "the column " + mlflow_quote(column) + " is not an input of the model";
    if (const std::string* closest = closest_name(column, features_)) {
      message += " (did you mean " + mlflow_quote(*closest) + "?)";
    } else {
      message += "; its " + std::to_string(features_.size()) + " inputs include";
      for (size_t i = 0; i < features_.size() && i < 5; ++i) message += (i ? ", " : " ") + mlflow_quote(features_[i]);
      if (features_.size() > 5) message += ", ...";
    }
    return error(message);
  }

  // Writes one value of the body into rows: a number, a boolean (0 or 1) or null (missing).
  Status store(const BodyJson& value, size_t row, size_t feature, InputRows& rows) const {
    float& slot = rows.values[row * features_.size() + feature];
    switch (value.type()) {
      case BodyJson::value_t::number_integer: slot = static_cast<float>(value.get<int64_t>()); return Status::Ok();
      case BodyJson::value_t::number_unsigned: slot = static_cast<float>(value.get<uint64_t>()); return Status::Ok();
      case BodyJson::value_t::number_float: {
        slot = static_cast<float>(value.get<double>());
        if (std::isfinite(slot)) return Status::Ok();
        return value_error(row, feature, mlflow_describe(value) + ", beyond the range of a 32-bit float");
      }
      case BodyJson::value_t::boolean: slot = value.get<bool>() ? 1.0f : 0.0f; return Status::Ok();
      case BodyJson::value_t::null: slot = kMlflowMissing; return Status::Ok();
      default: return value_error(row, feature, "expected a number, true, false or null, got " + mlflow_describe(value));
    }
  }

  Status value_error(size_t row, size_t feature, const std::string& problem) const {
    return error("column " + mlflow_quote(features_[feature]) + ", row " + std::to_string(row) + ": " + problem);
  }

  const std::vector<std::string>& features_;
  size_t max_rows_;
  std::string_view format_;
  std::unordered_map<std::string, size_t> feature_index_;
};

}  // namespace

StatusOr<InputRows> parse_invocations_body(std::string_view body, const std::vector<std::string>& features,
                                           size_t max_rows) {
  CREDO_ASSIGN_OR_RETURN(BodyJson document, mlflow_parse_body(body));
  if (!document.is_object()) {
    return Status::InvalidArgument("the body must be a JSON object with " + std::string(kMlflowAcceptedKeys) +
                                   "; got " + mlflow_describe(document));
  }
  std::string format;
  for (const auto& [key, value] : document.items()) {
    if (key == "params") {
      if (!value.is_object() && !value.is_null()) {
        return Status::InvalidArgument("params must be an object of parameter: value, got " + mlflow_describe(value));
      }
      continue;
    }
    if (std::find(std::begin(kMlflowFormatKeys), std::end(kMlflowFormatKeys), key) == std::end(kMlflowFormatKeys)) {
      return Status::InvalidArgument("unknown key " + mlflow_quote(key) + " in the body; accepted: " +
                                     std::string(kMlflowAcceptedKeys));
    }
    if (!format.empty()) {
      return Status::InvalidArgument("the body has both " + mlflow_quote(format) + " and " + mlflow_quote(key) +
                                     "; send " + std::string(kMlflowAcceptedKeys));
    }
    format = key;
  }
  if (format.empty()) {
    return Status::InvalidArgument("the body has no data: send a JSON object with " + std::string(kMlflowAcceptedKeys));
  }
  const BodyJson& payload = document[format];
  MlflowRowsReader reader(features, max_rows, format);
  if (format == "dataframe_split") return reader.from_split(payload);
  if (format == "dataframe_records") return reader.from_records(payload);
  return reader.from_tf_serving(payload);
}

namespace {

// A CSV body's records (RFC 4180: commas, "quoted" fields with "" for a quote, CRLF or LF).
StatusOr<std::vector<std::vector<std::string>>> mlflow_csv_records(std::string_view body, size_t max_rows) {
  std::vector<std::vector<std::string>> records(1);
  std::string field;
  bool quoted = false, was_quoted = false;
  size_t line = 1;
  auto end_field = [&] {
    records.back().push_back(std::move(field));
    field.clear();
    was_quoted = false;
  };
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (quoted) {
      if (c == '"' && i + 1 < body.size() && body[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        if (c == '\n') ++line;
        field += c;
      }
      continue;
    }
    if (c == '"' && field.empty() && !was_quoted) {
      quoted = was_quoted = true;
    } else if (c == ',') {
      end_field();
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < body.size() && body[i + 1] == '\n') ++i;
      end_field();
      ++line;
      if (records.size() > max_rows + 1) {
        return Status::InvalidArgument("text/csv: more than the limit of " + std::to_string(max_rows) +
                                       " rows per request");
      }
      records.emplace_back();
    } else if (c == '\0') {
      return Status::ParseError("text/csv: line " + std::to_string(line) + " has a NUL byte: the body is not text");
    } else {
      field += c;
    }
  }
  if (quoted) return Status::ParseError("text/csv: a quoted field opened on line " + std::to_string(line) + " never closes");
  if (!field.empty() || was_quoted || !records.back().empty()) end_field();
  if (records.back().empty()) records.pop_back();  // the body ended with a line break
  return records;
}

// A CSV cell as the value a JSON body would have had: empty is null (missing), a number is a
// number (one beyond a 64-bit float is an error), anything else stays text (and is refused as one).
StatusOr<BodyJson> mlflow_csv_value(const std::string& cell, size_t line, const std::string& column) {
  std::string_view text = cell;
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  if (text.empty()) return BodyJson(nullptr);
  if (text.front() == '+') text.remove_prefix(1);
  double value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (end == text.data() + text.size() && error == std::errc()) {
    if (std::isfinite(value)) return BodyJson(value);
    return BodyJson(cell);  // "nan", "inf": not numbers a client means
  }
  if (end == text.data() + text.size() && error == std::errc::result_out_of_range) {
    return Status::InvalidArgument("text/csv: line " + std::to_string(line) + ", column " + mlflow_quote(column) +
                                   ": the number " + mlflow_quote(cell) + " is beyond the range of a 64-bit float");
  }
  return BodyJson(cell);
}

}  // namespace

StatusOr<InputRows> parse_invocations_csv(std::string_view body, const std::vector<std::string>& features,
                                          size_t max_rows) {
  CREDO_ASSIGN_OR_RETURN(auto records, mlflow_csv_records(body, max_rows));
  if (records.empty()) return Status::ParseError("text/csv: the body is empty: send a header line of column names, then rows");
  BodyJson columns = BodyJson::array(), data = BodyJson::array();
  for (std::string& name : records[0]) columns.push_back(std::move(name));
  for (size_t r = 1; r < records.size(); ++r) {
    if (records[r].size() != columns.size()) {
      return Status::InvalidArgument("text/csv: line " + std::to_string(r + 1) + " has " +
                                     mlflow_count(records[r].size(), "field") + " but the header has " +
                                     std::to_string(columns.size()));
    }
    BodyJson row = BodyJson::array();
    for (size_t c = 0; c < records[r].size(); ++c) {
      CREDO_ASSIGN_OR_RETURN(BodyJson value, mlflow_csv_value(records[r][c], r + 1, columns[c].get<std::string>()));
      row.push_back(std::move(value));
    }
    data.push_back(std::move(row));
  }
  MlflowRowsReader reader(features, max_rows, "text/csv");
  return reader.from_split(BodyJson{{"columns", std::move(columns)}, {"data", std::move(data)}});
}

std::string predictions_json(std::span<const float> probabilities) {
  std::string out = "{\"predictions\": [";
  char number[32];
  for (size_t i = 0; i < probabilities.size(); ++i) {
    if (i > 0) out += ", ";
    if (!std::isfinite(probabilities[i])) {
      out += "null";
      continue;
    }
    // Without a precision, to_chars writes the shortest text that reads back as the same float.
    auto written = std::to_chars(number, number + sizeof number, probabilities[i]);
    out.append(number, written.ptr);
  }
  out += "]}";
  return out;
}

std::string mlflow_error_json(std::string_view message) {
  return mlflow_dump(BodyJson{{"error_code", "BAD_REQUEST"}, {"message", std::string(message)}});
}

}  // namespace credo::serve
