// A hand-written scanner and recursive-descent parser for MLflow's run search language, so
// every error can say at which character it stopped and what it expected there. Only
// syntax and MLflow's type rules live here; what a clause means is left to each backend.
#include "credo/store/run_filter.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <optional>

#include "credo/store/entities.h"

namespace credo::store {
namespace {

constexpr std::array<std::string_view, 8> kStringAttributes = {
    "run_id", "run_name", "status", "user", "source", "git_commit", "data_fingerprint", "parent_run_id"};
constexpr std::array<std::string_view, 2> kNumericAttributes = {"start_time", "end_time"};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word_char(char c) { return is_letter(c) || is_digit(c) || c == '_'; }
bool is_bare_key_char(char c) { return is_word_char(c) || c == '.' || c == '-' || c == '/'; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::optional<FilterEntity> entity_from_prefix(std::string_view prefix) {
  for (std::string_view p : {"metric", "metrics"})
    if (equals_ignoring_case(prefix, p)) return FilterEntity::kMetric;
  for (std::string_view p : {"param", "params", "parameter", "parameters"})
    if (equals_ignoring_case(prefix, p)) return FilterEntity::kParam;
  for (std::string_view p : {"tag", "tags"})
    if (equals_ignoring_case(prefix, p)) return FilterEntity::kTag;
  for (std::string_view p : {"attribute", "attributes", "attr", "run"})
    if (equals_ignoring_case(prefix, p)) return FilterEntity::kAttribute;
  return std::nullopt;
}

// The spellings MLflow's UI and clients use for the same attributes.
std::string_view canonical_attribute(std::string_view key) {
  if (key == "created" || key == "Created") return "start_time";
  if (key == "user_id") return "user";
  if (key == "run name" || key == "Run name" || key == "Run Name") return "run_name";
  return key;
}

std::string valid_attribute_list() {
  std::string list;
  for (std::string_view a : kStringAttributes) list += (list.empty() ? "" : ", ") + std::string(a);
  for (std::string_view a : kNumericAttributes) list += ", " + std::string(a);
  return list;
}

std::string valid_status_list() {
  std::string list;
  for (RunStatus s : {RunStatus::kRunning, RunStatus::kScheduled, RunStatus::kFinished, RunStatus::kFailed,
                      RunStatus::kKilled})
    list += (list.empty() ? "" : ", ") + std::string(run_status_name(s));
  return list;
}

struct Identifier {
  FilterEntity entity;
  std::string key;
  std::string text;  // as written, for messages
};

// One pass over the text; `what` ("filter", "order by") starts every message.
class Parser {
 public:
  Parser(std::string_view text, const char* what, const char* end_name)
      : text_(text), what_(what), end_name_(end_name) {}

  void skip_spaces() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }
  bool at_end() const { return pos_ >= text_.size(); }

  Status error_at(size_t pos, const std::string& message) const {
    return Status::ParseError(std::string(what_) + ": at " + std::to_string(pos + 1) + ": " + message);
  }
  Status error(const std::string& message) const { return error_at(pos_, message); }

  // What stands at the cursor, for "found ..." in messages: a string or number as written, a
  // word or symbol in quotes, or the end of the text.
  std::string found() const {
    size_t pos = pos_;
    if (pos >= text_.size()) return end_name_;
    if (is_space(text_[pos])) return "a space";
    size_t end = pos + 1;
    char c = text_[pos];
    bool raw = false;
    if (c == '\'' || c == '"' || c == '`') {
      while (end < text_.size() && text_[end] != c) end += text_[end] == '\\' ? 2 : 1;
      end = std::min(end + 1, text_.size());
      raw = true;
    } else if (is_bare_key_char(c) || c == '+') {
      while (end < text_.size() && (is_bare_key_char(text_[end]) || text_[end] == '+')) ++end;
      raw = is_digit(c) || ((c == '-' || c == '+' || c == '.') && end > pos + 1 && is_digit(text_[pos + 1]));
    } else if (c == '=' || c == '!' || c == '<' || c == '>') {
      while (end < text_.size() && std::string_view("=!<>").find(text_[end]) != std::string_view::npos) ++end;
    }
    std::string token(text_.substr(pos, std::min<size_t>(end - pos, 40)));
    if (end - pos > 40) token += "...";
    return raw ? token : "'" + token + "'";
  }

  // Consumes a keyword (case-insensitive) when it stands whole at the cursor.
  bool accept_word(std::string_view word) {
    size_t end = pos_;
    while (end < text_.size() && is_word_char(text_[end])) ++end;
    if (!equals_ignoring_case(text_.substr(pos_, end - pos_), word)) return false;
    pos_ = end;
    return true;
  }
  bool peek_char(char c) const { return pos_ < text_.size() && text_[pos_] == c; }
  bool peek_word(std::string_view word) {
    size_t saved = pos_;
    bool yes = accept_word(word);
    pos_ = saved;
    return yes;
  }

  Status parentheses_error() const {
    return error("parentheses are not supported: clauses can only be joined by AND, found " + found());
  }

  // A quoted string starting at the cursor: '...', "..." or `...`; a backslash escapes the
  // next character and a doubled quote stands for one.
  StatusOr<std::string> quoted() {
    size_t start = pos_;
    char quote = text_[pos_++];
    std::string value;
    while (pos_ < text_.size()) {
      char c = text_[pos_++];
      if (c == '\\' && pos_ < text_.size()) {
        value += text_[pos_++];
      } else if (c == quote && pos_ < text_.size() && text_[pos_] == quote) {
        value += quote;
        ++pos_;
      } else if (c == quote) {
        return value;
      } else {
        value += c;
      }
    }
    return error_at(start, std::string("unterminated string: no closing ") + quote);
  }

  // ENTITY "." KEY, with the attribute key checked and its alias normalised.
  StatusOr<Identifier> identifier(const std::string& context) {
    size_t start = pos_;
    if (peek_char('(')) return parentheses_error();
    size_t end = pos_;
    while (end < text_.size() && is_word_char(text_[end])) ++end;
    if (end == pos_ || end >= text_.size() || text_[end] != '.')
      return error("expected an identifier such as metrics.auc (prefixes: metrics., params., tags., attributes.)" +
                   context + ", found " + found());
    std::string_view prefix = text_.substr(pos_, end - pos_);
    std::optional<FilterEntity> entity = entity_from_prefix(prefix);
    if (!entity)
      return error("unknown prefix '" + std::string(prefix) +
                   ".'; expected metrics., params., tags. or attributes. (or metric., param., tag., attr., run.)");
    pos_ = end + 1;
    size_t key_start = pos_;
    std::string key;
    if (!at_end() && (text_[pos_] == '`' || text_[pos_] == '"')) {
      CREDO_ASSIGN_OR_RETURN(key, quoted());
      if (key.empty()) return error_at(key_start, "empty key after '" + std::string(prefix) + ".'");
    } else {
      while (pos_ < text_.size() && is_bare_key_char(text_[pos_])) ++pos_;
      key = std::string(text_.substr(key_start, pos_ - key_start));
      if (key.empty())
        return error("expected a key after '" + std::string(prefix) +
                     ".' (quote it with `...` if it has spaces), found " + found());
    }
    if (*entity == FilterEntity::kAttribute) {
      key = std::string(canonical_attribute(key));
      if (!is_run_attribute(key))
        return error_at(key_start, "unknown attribute '" + key + "'; valid attributes: " + valid_attribute_list());
    }
    return Identifier{*entity, std::move(key), std::string(text_.substr(start, pos_ - start))};
  }

  StatusOr<Comparator> comparator(const Identifier& id) {
    for (auto [symbol, op] : std::initializer_list<std::pair<std::string_view, Comparator>>{
             {"==", Comparator::kEq}, {"!=", Comparator::kNe}, {"<>", Comparator::kNe}, {"<=", Comparator::kLe},
             {">=", Comparator::kGe}, {"=", Comparator::kEq}, {"<", Comparator::kLt}, {">", Comparator::kGt}}) {
      if (text_.substr(pos_, symbol.size()) == symbol) {
        pos_ += symbol.size();
        return op;
      }
    }
    if (accept_word("like")) return Comparator::kLike;
    if (accept_word("ilike")) return Comparator::kILike;
    if (accept_word("in")) return Comparator::kIn;
    if (accept_word("not")) {
      skip_spaces();
      if (accept_word("in")) return Comparator::kNotIn;
      return error("expected IN after NOT, found " + found());
    }
    return error("expected a comparator (=, !=, <, <=, >, >=, LIKE, ILIKE, IN, NOT IN) after '" + id.text +
                 "', found " + found());
  }

  // A number as MLflow takes it: optional sign, digits with an optional fraction, exponent.
  StatusOr<double> number(const std::string& context) {
    size_t start = pos_, end = pos_;
    if (end < text_.size() && (text_[end] == '+' || text_[end] == '-')) ++end;
    size_t digits_start = end;
    while (end < text_.size() && (is_digit(text_[end]) || text_[end] == '.')) ++end;
    if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
      ++end;
      if (end < text_.size() && (text_[end] == '+' || text_[end] == '-')) ++end;
      while (end < text_.size() && is_digit(text_[end])) ++end;
    }
    size_t parse_from = start < text_.size() && text_[start] == '+' ? start + 1 : start;
    double value = 0;
    auto [stop, err] = std::from_chars(text_.data() + parse_from, text_.data() + end, value);
    bool whole = end > digits_start && stop == text_.data() + end &&
                 (end >= text_.size() || !is_bare_key_char(text_[end]));
    if (err == std::errc::result_out_of_range || (whole && !std::isfinite(value)))
      return error(context + ": number out of range: " + found());
    if (err != std::errc() || !whole) return error(context + ": expected a number, got " + found());
    pos_ = end;
    return value;
  }

  StatusOr<std::string> string_value(const std::string& context) {
    if (at_end() || (text_[pos_] != '\'' && text_[pos_] != '"'))
      return error(context + ": expected a quoted string, got " + found());
    return quoted();
  }

  // "('a', 'b', ...)" after IN / NOT IN.
  StatusOr<std::vector<std::string>> string_list(const std::string& context) {
    if (!peek_char('('))
      return error(context + ": expected a parenthesised list of strings such as ('a', 'b'), got " + found());
    ++pos_;
    std::vector<std::string> values;
    while (true) {
      skip_spaces();
      CREDO_ASSIGN_OR_RETURN(std::string value, string_value(context));
      values.push_back(std::move(value));
      skip_spaces();
      if (peek_char(',')) {
        ++pos_;
      } else if (peek_char(')')) {
        ++pos_;
        return values;
      } else {
        return error(context + ": expected ',' or ')' in the list, found " + found());
      }
    }
  }

  StatusOr<FilterClause> clause(const std::string& context) {
    CREDO_ASSIGN_OR_RETURN(Identifier id, identifier(context));
    skip_spaces();
    size_t op_pos = pos_;
    CREDO_ASSIGN_OR_RETURN(Comparator op, comparator(id));
    bool numeric = id.entity == FilterEntity::kMetric ||
                   (id.entity == FilterEntity::kAttribute && is_numeric_run_attribute(id.key));
    bool numeric_op = op == Comparator::kEq || op == Comparator::kNe || op == Comparator::kLt ||
                      op == Comparator::kLe || op == Comparator::kGt || op == Comparator::kGe;
    bool string_op = op == Comparator::kEq || op == Comparator::kNe || op == Comparator::kLike ||
                     op == Comparator::kILike || op == Comparator::kIn || op == Comparator::kNotIn;
    if (numeric && !numeric_op)
      return error_at(op_pos, id.text + ": " + comparator_name(op) +
                                  " does not compare numbers; use =, !=, <, <=, > or >=");
    if (!numeric && !string_op)
      return error_at(op_pos, id.text + ": " + comparator_name(op) +
                                  " does not compare strings; use =, !=, LIKE, ILIKE, IN or NOT IN");
    skip_spaces();
    FilterClause clause{id.entity, id.key, op, numeric, 0, {}};
    size_t value_pos = pos_;
    if (numeric) {
      CREDO_ASSIGN_OR_RETURN(clause.number, number(id.text));
    } else if (op == Comparator::kIn || op == Comparator::kNotIn) {
      CREDO_ASSIGN_OR_RETURN(clause.strings, string_list(id.text));
    } else {
      CREDO_ASSIGN_OR_RETURN(std::string value, string_value(id.text));
      clause.strings.push_back(std::move(value));
    }
    if (id.entity == FilterEntity::kAttribute && id.key == "status" && op != Comparator::kLike &&
        op != Comparator::kILike) {
      for (std::string& value : clause.strings) {
        std::optional<RunStatus> status = parse_run_status(value);
        if (!status)
          return error_at(value_pos, id.text + ": '" + value + "' is not a run status; expected one of " +
                                         valid_status_list());
        value = run_status_name(*status);
      }
    }
    return clause;
  }

 private:
  std::string_view text_;
  const char* what_;
  const char* end_name_;
  size_t pos_ = 0;
};

}  // namespace

const char* filter_entity_name(FilterEntity entity) {
  switch (entity) {
    case FilterEntity::kMetric: return "metrics";
    case FilterEntity::kParam: return "params";
    case FilterEntity::kTag: return "tags";
    case FilterEntity::kAttribute: return "attributes";
  }
  return "?";
}

const char* comparator_name(Comparator op) {
  switch (op) {
    case Comparator::kEq: return "=";
    case Comparator::kNe: return "!=";
    case Comparator::kLt: return "<";
    case Comparator::kLe: return "<=";
    case Comparator::kGt: return ">";
    case Comparator::kGe: return ">=";
    case Comparator::kLike: return "LIKE";
    case Comparator::kILike: return "ILIKE";
    case Comparator::kIn: return "IN";
    case Comparator::kNotIn: return "NOT IN";
  }
  return "?";
}

bool is_run_attribute(std::string_view key) {
  for (std::string_view a : kStringAttributes)
    if (a == key) return true;
  return is_numeric_run_attribute(key);
}

bool is_numeric_run_attribute(std::string_view key) {
  for (std::string_view a : kNumericAttributes)
    if (a == key) return true;
  return false;
}

StatusOr<RunFilter> parse_run_filter(std::string_view text) {
  Parser parser(text, "filter", "the end of the filter");
  RunFilter filter;
  parser.skip_spaces();
  if (parser.at_end()) return filter;
  std::string context;
  while (true) {
    CREDO_ASSIGN_OR_RETURN(FilterClause clause, parser.clause(context));
    filter.clauses.push_back(std::move(clause));
    parser.skip_spaces();
    if (parser.at_end()) return filter;
    if (parser.peek_word("or")) return parser.error("only AND is supported between clauses, found " + parser.found());
    if (parser.peek_char(')')) return parser.parentheses_error();
    if (!parser.accept_word("and"))
      return parser.error("expected AND or the end of the filter, found " + parser.found());
    parser.skip_spaces();
    context = " after AND";
  }
}

StatusOr<RunOrder> parse_run_order(std::string_view text) {
  Parser parser(text, "order by", "the end of the order");
  parser.skip_spaces();
  CREDO_ASSIGN_OR_RETURN(Identifier id, parser.identifier(""));
  RunOrder order{id.entity, id.key, true};
  parser.skip_spaces();
  if (parser.accept_word("desc")) {
    order.ascending = false;
  } else if (!parser.accept_word("asc") && !parser.at_end()) {
    return parser.error("expected ASC, DESC or the end of the order, found " + parser.found());
  }
  parser.skip_spaces();
  if (!parser.at_end()) return parser.error("expected the end of the order, found " + parser.found());
  return order;
}

}  // namespace credo::store
