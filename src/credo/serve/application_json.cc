// Posted JSON to a client's raw rows (see application_json.h). Every value is checked where it
// is read, against the file's schema and the data stage's ranges and levels (homecredit_ranges.h),
// so an error names the first field at fault. On the happy path nothing is formatted: the
// scoring API reads a body per request, and the parse must stay a small part of the ~30 us a
// score may take.
#include "credo/serve/application_json.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <cmath>
#include <limits>
#include <optional>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "credo/base/closest_name.h"
#include "credo/data/homecredit.h"
#include "credo/data/homecredit_ranges.h"

namespace credo::serve {
namespace {

using Json = nlohmann::json;

constexpr double kPostedNaN = std::numeric_limits<double>::quiet_NaN();

bool is_posted_application(HcTable table) {
  return table == HcTable::kApplicationTrain || table == HcTable::kApplicationTest;
}

// ---------------------------------------------------------------------------------------------
// What a posted row of one table may hold, looked up once per process.

struct PostedFields {
  HcTable table;
  std::string_view name;  // "application", "bureau"
  const Schema* schema;
  std::vector<std::string> names;  // for suggestions
  std::unordered_map<std::string_view, size_t> index;
  std::vector<const HcValueRange*> ranges;  // per column (nullptr: text)
  std::vector<const std::vector<std::string>*> levels;  // per column: the known levels (nullptr: any)
  std::vector<const std::vector<std::string>*> hints;   // per column: levels for "such as" hints
};

PostedFields make_posted_fields(HcTable table) {
  PostedFields f;
  f.table = table;
  f.name = is_posted_application(table) ? std::string_view("application") : homecredit_table(table).name;
  f.schema = &homecredit_schema(table);
  for (size_t c = 0; c < f.schema->size(); ++c) {
    f.names.push_back(f.schema->columns[c].name);
    f.ranges.push_back(homecredit_range(table, f.schema->columns[c].name));
    f.levels.push_back(is_posted_application(table) && f.schema->columns[c].type == ColumnType::kCategorical
                           ? homecredit_application_levels(f.schema->columns[c].name)
                           : nullptr);
    f.hints.push_back(f.levels.back() ? f.levels.back() : homecredit_levels_seen(table, f.schema->columns[c].name));
  }
  for (size_t c = 0; c < f.names.size(); ++c) f.index.emplace(f.names[c], c);
  return f;
}

// Posted application rows take application_test.csv's columns (no TARGET).
const PostedFields& posted_fields(HcTable table) {
  static const std::vector<PostedFields> fields = [] {
    std::vector<PostedFields> all;
    for (const auto& info : homecredit_tables()) all.push_back(make_posted_fields(info.id));
    return all;
  }();
  return fields[static_cast<size_t>(table == HcTable::kApplicationTrain ? HcTable::kApplicationTest : table)];
}

// ---------------------------------------------------------------------------------------------
// Messages.

// Where a value is: "application.AMT_CREDIT", "history.bureau[3].AMT_CREDIT_SUM".
struct PostedPath {
  std::string_view table;  // "application" or "history.bureau"
  long row = -1;           // -1 for the application
  std::string_view field;
  std::string text() const {
    std::string out(table);
    if (row >= 0) out += "[" + std::to_string(row) + "]";
    if (!field.empty()) out += "." + std::string(field);
    return out;
  }
};

// A JSON value in a message: numbers and short text as written, long text cut, containers named.
std::string describe_posted(const Json& value) {
  switch (value.type()) {
    case Json::value_t::null: return "null";
    case Json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: {
      const auto& text = value.get_ref<const std::string&>();
      constexpr size_t kShown = 40;
      if (text.size() <= kShown) return Json(text).dump(-1, ' ', false, Json::error_handler_t::replace);
      std::string cut = Json(text.substr(0, kShown)).dump(-1, ' ', false, Json::error_handler_t::replace);
      return cut.insert(cut.size() - 1, "...");
    }
    case Json::value_t::number_float: {
      double v = value.get<double>();
      if (std::isnan(v)) return "NaN";
      if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
      return value.dump();
    }
    default: return value.dump();
  }
}

Status posted_error(const PostedPath& path, const std::string& problem) {
  return Status::InvalidArgument(path.text() + ": " + problem);
}

// `application.AMT_CREDITT is not an application field (did you mean AMT_CREDIT?)`
Status posted_unknown_field(const PostedPath& path, const PostedFields& fields) {
  std::string message = path.text() + " is not " + (is_posted_application(fields.table) ? "an " : "a ") +
                        std::string(fields.name) + " field";
  if (const std::string* near = closest_name(path.field, fields.names)) message += " (did you mean " + *near + "?)";
  return Status::InvalidArgument(message);
}

// The known levels of a text column for "expected text" hints (" such as "N", "Y""), when few.
std::string posted_levels_hint(const std::vector<std::string>* levels) {
  if (!levels || levels->size() > 6) return "";
  std::string hint = " such as";
  for (const auto& level : *levels) hint += " " + Json(level).dump() + ",";
  hint.pop_back();
  return hint;
}

// `application.NAME_INCOME_TYPE: "Spaceship" is not a level the data knows (did you mean ...?);
// known: Working, ...`: every level when there are few, else the nearest and a count.
Status posted_unknown_level(const PostedPath& path, std::string_view text, const std::vector<std::string>& levels) {
  std::string message = describe_posted(Json(std::string(text))) + " is not a level the data knows";
  if (const std::string* near = closest_name(text, levels)) message += " (did you mean " + Json(*near).dump() + "?)";
  constexpr size_t kAllListed = 12, kSomeListed = 5;  // levels come most frequent first
  const size_t listed = levels.size() <= kAllListed ? levels.size() : kSomeListed;
  message += listed == levels.size() ? "; known:" : "; " + std::to_string(levels.size()) + " known, such as";
  for (size_t i = 0; i < listed; ++i) message += (i ? ", " : " ") + Json(levels[i]).dump();
  return posted_error(path, message);
}

// ---------------------------------------------------------------------------------------------
// Column buffers of a posted table, filled value by value, then moved into Columns.

class PostedTableBuilder {
 public:
  PostedTableBuilder(const PostedFields& fields, size_t rows) : fields_(fields), rows_(rows) {
    slots_.resize(fields.schema->size());
    int_missing_.assign(slots_.size() * rows, 1);
    for (size_t c = 0; c < slots_.size(); ++c) {
      Slot& s = slots_[c];
      switch (fields.schema->columns[c].type) {
        case ColumnType::kInt64:
          s.ints.assign(rows, 0);
          break;
        case ColumnType::kDouble: s.doubles.assign(rows, kPostedNaN); break;
        case ColumnType::kCategorical: s.codes.assign(rows, -1); break;
      }
    }
  }

  // Checks `value` against column `c`'s type and range and stores it at `row` (null: missing).
  Status set(size_t c, size_t row, const Json& value, const PostedPath& path) {
    const ColumnSpec& spec = fields_.schema->columns[c];
    Slot& s = slots_[c];
    if (value.is_null()) {
      set_missing(c, row);
      return Status::Ok();
    }
    if (spec.type == ColumnType::kCategorical) {
      if (!value.is_string())
        return posted_error(path, "expected text" + posted_levels_hint(fields_.hints[c]) + ", got " +
                                      describe_posted(value));
      const auto& text = value.get_ref<const std::string&>();
      if (text.size() > kMaxPostedTextLength)
        return posted_error(path, "text longer than " + std::to_string(kMaxPostedTextLength) + " characters (" +
                                      std::to_string(text.size()) + ")");
      const std::vector<std::string>* levels = fields_.levels[c];
      if (levels && !text.empty() && !is_homecredit_text_code(text) &&
          std::find(levels->begin(), levels->end(), text) == levels->end())
        return posted_unknown_level(path, text, *levels);
      set_text(c, row, text);
      return Status::Ok();
    }
    if (!value.is_number()) {
      return posted_error(path, std::string(spec.type == ColumnType::kInt64 ? "expected a whole number" : "expected a number") +
                                    ", got " + describe_posted(value));
    }
    double number = value.get<double>();
    if (!std::isfinite(number)) return posted_error(path, "expected a finite number, got " + describe_posted(value));
    const HcValueRange* range = fields_.ranges[c];
    bool whole = value.is_number_integer() || number == std::trunc(number);
    if (spec.type == ColumnType::kInt64 || (range && range->whole)) {
      if (!whole) return posted_error(path, "expected a whole number, got " + describe_posted(value));
      // Beyond 2^63 an int64 cannot hold it; 9.2e18 is far beyond any column's values anyway.
      if (value.is_number_unsigned() ? value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())
                                     : std::fabs(number) >= 9.2e18)
        return posted_error(path, "expected a whole number that fits 64 bits, got " + describe_posted(value));
    }
    if (range && !range->meaning_allows(number))
      return posted_error(path, "expected " + range->expected + ", got " + describe_posted(value));
    // Beyond what the data knows the features would lose the value (1e39 overflows a float
    // feature and reads as missing), so it is refused rather than scored as something else.
    if (range && !range->data_allows(number))
      return posted_error(path, describe_posted(value) + " is outside the range the data knows: " + range->data_words());
    if (spec.type == ColumnType::kInt64) {
      s.ints[row] = value.is_number_float() ? static_cast<int64_t>(number) : value.get<int64_t>();
      missing_flag(c, row) = 0;
    } else {
      s.doubles[row] = number;
    }
    return Status::Ok();
  }

  void set_missing(size_t c, size_t row) {
    Slot& s = slots_[c];
    switch (fields_.schema->columns[c].type) {
      case ColumnType::kInt64: s.ints[row] = 0, missing_flag(c, row) = 1; break;
      case ColumnType::kDouble: s.doubles[row] = kPostedNaN; break;
      case ColumnType::kCategorical: s.codes[row] = -1; break;
    }
  }
  void set_int(size_t c, size_t row, int64_t value) { slots_[c].ints[row] = value, missing_flag(c, row) = 0; }
  void set_double(size_t c, size_t row, double value) { slots_[c].doubles[row] = value; }
  // Text as the CSV reader reads it: an empty value is missing.
  void set_text(size_t c, size_t row, std::string_view text) {
    Slot& s = slots_[c];
    if (text.empty()) {
      s.codes[row] = -1;
      return;
    }
    size_t code = 0;
    while (code < s.dictionary.size() && s.dictionary[code] != text) ++code;
    if (code == s.dictionary.size()) s.dictionary.emplace_back(text);
    s.codes[row] = static_cast<int32_t>(code);
  }

  // The value of column `c` at `row`, or nullopt when missing (keys are int64 columns).
  std::optional<int64_t> key(size_t c, size_t row) const {
    if (int_missing_[c * rows_ + row]) return std::nullopt;
    return slots_[c].ints[row];
  }

  Table finish(std::string source) {
    Table t;
    t.reserve(slots_.size());
    for (size_t c = 0; c < slots_.size(); ++c) {
      const ColumnSpec& spec = fields_.schema->columns[c];
      Slot& s = slots_[c];
      Column column;
      switch (spec.type) {
        case ColumnType::kInt64: {
          const uint8_t* flags = int_missing_.data() + c * rows_;
          LargeVector<uint8_t> missing;  // empty: nothing missing, the usual case
          if (std::find(flags, flags + rows_, 1) != flags + rows_) missing.assign(flags, flags + rows_);
          column = Column::Int64(spec.name, std::move(s.ints), std::move(missing));
          break;
        }
        case ColumnType::kDouble: column = Column::Double(spec.name, std::move(s.doubles)); break;
        case ColumnType::kCategorical:
          column = Column::Categorical(spec.name, std::move(s.codes), std::move(s.dictionary));
          break;
      }
      Status added = t.add_column(std::move(column));
      assert(added.ok() && "schema columns are unique and of one length");
      (void)added;
    }
    t.set_source(std::move(source));
    return t;
  }

 private:
  struct Slot {
    LargeVector<int64_t> ints;
    LargeVector<double> doubles;
    LargeVector<int32_t> codes;
    std::vector<std::string> dictionary;
  };
  uint8_t& missing_flag(size_t c, size_t row) { return int_missing_[c * rows_ + row]; }

  const PostedFields& fields_;
  size_t rows_;
  std::vector<Slot> slots_;
  // Missing flags of the int64 columns, column after column, in one buffer: a buffer per
  // column was allocated for every posted application only to be dropped when nothing was
  // missing, as is usual.
  std::vector<uint8_t> int_missing_;
};

// Reads one posted row object into `row` of the builder. Application rows refuse TARGET.
Status read_posted_row(const Json& object, const PostedPath& row_path, PostedTableBuilder& builder, size_t row,
                       const PostedFields& fields) {
  if (!object.is_object()) {
    return posted_error(row_path, std::string("expected an object of ") + std::string(fields.name) + " fields, got " +
                                      describe_posted(object));
  }
  for (const auto& [name, value] : object.items()) {
    PostedPath path = row_path;
    path.field = name;
    auto it = fields.index.find(name);
    if (it == fields.index.end()) {
      if (is_posted_application(fields.table) && name == "TARGET")
        return Status::InvalidArgument(path.text() + " is the outcome, not an input");
      return posted_unknown_field(path, fields);
    }
    CREDO_RETURN_IF_ERROR(builder.set(it->second, row, value, path));
  }
  return Status::Ok();
}

// Copies a known client's application row (either file's columns) into row 0 of the builder.
void copy_posted_base_row(const Table& base, const PostedFields& fields, PostedTableBuilder& builder) {
  for (size_t c = 0; c < fields.schema->size(); ++c) {
    const ColumnSpec& spec = fields.schema->columns[c];
    const Column* from = base.find(spec.name);
    if (!from || from->size() == 0 || from->is_missing(0)) continue;  // missing already
    if (spec.type == ColumnType::kCategorical) {
      if (from->type() == ColumnType::kCategorical) builder.set_text(c, 0, from->category(0));
    } else if (spec.type == ColumnType::kInt64) {
      builder.set_int(c, 0, from->type() == ColumnType::kInt64 ? from->int64s()[0] : static_cast<int64_t>(from->as_double(0)));
    } else {
      builder.set_double(c, 0, from->as_double(0));
    }
  }
}

// The application's SK_ID_CURR (0 when not given).
int64_t posted_application_id(const Table& application) {
  const Column* id = application.find("SK_ID_CURR");
  return id && !id->is_missing(0) ? id->int64s()[0] : 0;
}

// ---------------------------------------------------------------------------------------------
// History tables.

struct PostedHistoryKeys {
  std::string_view key;        // required in every row ("" if none)
  bool unique = false;         // the table's own id
  HcTable parent;              // rows must name one of the parent's posted ids...
  bool only_if_posted = false; // ...or any id when the parent table is not posted
  bool references_parent = false;
  std::string_view why;
};

PostedHistoryKeys posted_history_keys(HcTable table) {
  switch (table) {
    case HcTable::kBureau: return {"SK_ID_BUREAU", true, HcTable::kBureau, false, false, "the credit's id"};
    case HcTable::kBureauBalance:
      return {"SK_ID_BUREAU", false, HcTable::kBureau, false, true, "the posted bureau credit the month belongs to"};
    case HcTable::kPreviousApplication:
      return {"SK_ID_PREV", true, HcTable::kPreviousApplication, false, false, "the previous application's id"};
    default:
      return {"SK_ID_PREV", false, HcTable::kPreviousApplication, true, true, "the previous credit the row belongs to"};
  }
}

// Reads history.<table> (an array of row objects) into a Table, checking ids against the
// application and against the ids of the tables posted before (`posted_ids`, per table).
StatusOr<Table> read_posted_history(HcTable table, const Json& rows, int64_t client_id,
                                   std::array<std::unordered_set<int64_t>, kHcTableCount>& posted_ids,
                                   const std::array<bool, kHcTableCount>& posted) {
  const PostedFields& fields = posted_fields(table);
  std::string table_path = "history." + std::string(fields.name);
  PostedTableBuilder builder(fields, rows.size());
  const PostedHistoryKeys keys = posted_history_keys(table);
  const size_t key_column = fields.index.at(keys.key);
  auto client_column = fields.index.find("SK_ID_CURR");
  const bool check_parent = keys.references_parent && (!keys.only_if_posted || posted[static_cast<size_t>(keys.parent)]);
  auto& own_ids = posted_ids[static_cast<size_t>(table)];
  for (size_t r = 0; r < rows.size(); ++r) {
    PostedPath row_path{table_path, static_cast<long>(r), ""};
    CREDO_RETURN_IF_ERROR(read_posted_row(rows[r], row_path, builder, r, fields));
    if (client_column != fields.index.end()) {
      std::optional<int64_t> id = builder.key(client_column->second, r);
      if (!id) {
        builder.set_int(client_column->second, r, client_id);
      } else if (*id != client_id) {
        return posted_error({table_path, static_cast<long>(r), "SK_ID_CURR"},
                            "expected the application's SK_ID_CURR " + std::to_string(client_id) +
                                " (or none), got " + std::to_string(*id));
      }
    }
    PostedPath key_path{table_path, static_cast<long>(r), keys.key};
    std::optional<int64_t> key = builder.key(key_column, r);
    if (!key) return posted_error(key_path, "required: " + std::string(keys.why));
    if (keys.unique && !own_ids.insert(*key).second)
      return posted_error(key_path, std::to_string(*key) + " is the id of an earlier row too; ids are unique");
    if (check_parent && !posted_ids[static_cast<size_t>(keys.parent)].count(*key)) {
      return posted_error(key_path, std::to_string(*key) + " is not the " + std::string(keys.key) + " of a posted " +
                                        std::string(homecredit_table(keys.parent).name) + " row");
    }
  }
  return builder.finish(table_path);
}

std::vector<std::string> posted_history_names() {
  std::vector<std::string> names;
  for (const auto& info : homecredit_tables())
    if (!is_posted_application(info.id)) names.emplace_back(info.name);
  return names;
}

Json posted_value_json(const Column* column) {
  if (!column || column->size() == 0 || column->is_missing(0)) return nullptr;
  switch (column->type()) {
    case ColumnType::kInt64: return column->int64s()[0];
    case ColumnType::kDouble: return column->doubles()[0];
    case ColumnType::kCategorical: return std::string(column->category(0));
  }
  return nullptr;
}

}  // namespace

StatusOr<Table> application_row_from_json(const nlohmann::json& fields, const Table* base_row) {
  const PostedFields& app = posted_fields(HcTable::kApplicationTest);
  if (!fields.is_object())
    return Status::InvalidArgument("application: expected an object of application fields, got " + describe_posted(fields));
  PostedTableBuilder builder(app, 1);
  if (base_row) {
    if (base_row->num_rows() != 1)
      return Status::InvalidArgument("the known application has " + std::to_string(base_row->num_rows()) +
                                     " rows; expected one");
    copy_posted_base_row(*base_row, app, builder);
  } else {
    builder.set_int(app.index.at("SK_ID_CURR"), 0, 0);  // a new client's id, unless given
  }
  CREDO_RETURN_IF_ERROR(read_posted_row(fields, {"application", -1, ""}, builder, 0, app));
  Table row = builder.finish("application");
  if (base_row) {
    int64_t known = posted_application_id(*base_row);
    auto posted = fields.find("SK_ID_CURR");
    if (posted != fields.end() && (posted->is_null() || posted_application_id(row) != known))
      return Status::InvalidArgument("application.SK_ID_CURR: expected the client's own id " + std::to_string(known) +
                                     " (or none), got " + describe_posted(*posted));
  }
  return row;
}

StatusOr<ClientRows> client_rows_from_json(const nlohmann::json& body, const Table* base_row) {
  if (!body.is_object())
    return Status::InvalidArgument("body: expected an object with \"application\" and \"history\", got " +
                                   describe_posted(body));
  static const std::vector<std::string> kBodyKeys = {"application", "history", "client_id"};
  for (const auto& [key, value] : body.items()) {
    if (key == "application" || key == "history" || key == "client_id") continue;
    std::string message = "body." + key + " is not a key of the body";
    if (const std::string* near = closest_name(key, kBodyKeys)) message += " (did you mean " + *near + "?)";
    return Status::InvalidArgument(message + "; accepted: application, history, client_id");
  }
  ClientRows rows;
  auto application = body.find("application");
  if (application == body.end() && !base_row)
    return Status::InvalidArgument("body.application is required (an object of application fields)");
  static const Json kNoFields = Json::object();
  // A reference either way: `cond ? Json::object() : *application` would copy the posted object.
  const Json& fields = application == body.end() ? kNoFields : *application;
  CREDO_ASSIGN_OR_RETURN(rows.application, application_row_from_json(fields, base_row));
  auto history = body.find("history");
  if (history == body.end() || history->is_null()) return rows;
  if (!history->is_object())
    return Status::InvalidArgument("history: expected an object of history tables (bureau, previous_application...), got " +
                                   describe_posted(*history));
  std::array<const Json*, kHcTableCount> posted_rows{};
  std::array<bool, kHcTableCount> posted{};
  size_t total = 0;
  for (const auto& [name, value] : history->items()) {
    const HcTableInfo* info = find_homecredit_table(name);
    if (!info || is_posted_application(info->id) || info->name != name) {
      static const std::vector<std::string> kHistoryNames = posted_history_names();
      std::string message = "history." + name + " is not a history table";
      if (const std::string* near = closest_name(name, kHistoryNames)) message += " (did you mean " + *near + "?)";
      message += "; accepted:";
      for (const auto& n : kHistoryNames) message += " " + n + (&n == &kHistoryNames.back() ? "" : ",");
      return Status::InvalidArgument(message);
    }
    if (value.is_null()) continue;
    if (!value.is_array())
      return Status::InvalidArgument("history." + name + ": expected an array of row objects, got " + describe_posted(value));
    total += value.size();
    if (total > kMaxPostedHistoryRows)
      return Status::InvalidArgument("history: more than " + std::to_string(kMaxPostedHistoryRows) +
                                     " rows in all; post at most that many");
    posted_rows[static_cast<size_t>(info->id)] = &value;
    posted[static_cast<size_t>(info->id)] = true;
  }
  const int64_t client_id = posted_application_id(rows.application);
  std::array<std::unordered_set<int64_t>, kHcTableCount> posted_ids;
  // In the tables' order, so parents (bureau, previous_application) come before their rows.
  for (const auto& info : homecredit_tables()) {
    const Json* table_rows = posted_rows[static_cast<size_t>(info.id)];
    if (!table_rows) continue;
    CREDO_ASSIGN_OR_RETURN(Table t, read_posted_history(info.id, *table_rows, client_id, posted_ids, posted));
    rows.history[static_cast<size_t>(info.id)] = std::move(t);
  }
  return rows;
}

std::vector<ApplicationChange> application_changes(const Table& before, const Table& after) {
  std::vector<ApplicationChange> changes;
  for (const auto& spec : homecredit_schema(HcTable::kApplicationTest).columns) {
    Json was = posted_value_json(before.find(spec.name)), now = posted_value_json(after.find(spec.name));
    // 5 and 5.0 are the same value whichever column type carried them.
    bool same = was.is_number() && now.is_number() ? was.get<double>() == now.get<double>() : was == now;
    if (!same) changes.push_back({spec.name, std::move(was), std::move(now)});
  }
  return changes;
}

nlohmann::json application_row_to_json(const Table& row) {
  Json out = Json::object();
  for (const auto& spec : homecredit_schema(HcTable::kApplicationTest).columns)
    out[spec.name] = posted_value_json(row.find(spec.name));
  return out;
}

}  // namespace credo::serve
