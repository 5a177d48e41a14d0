// The feature spec parser: one statement per line, errors name the line.
#include "credo/features/spec.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <set>

#include "credo/base/resources.h"
#include "credo/base/text.h"
#include "credo/data/homecredit_ranges.h"

namespace credo {

const char* aggregation_name(Aggregation a) {
  switch (a) {
    case Aggregation::kMin: return "min";
    case Aggregation::kMax: return "max";
    case Aggregation::kMean: return "mean";
    case Aggregation::kSum: return "sum";
    case Aggregation::kVar: return "var";
    case Aggregation::kCount: return "count";
    case Aggregation::kNunique: return "nunique";
    case Aggregation::kShare: return "share";
  }
  return "?";
}

std::string_view default_feature_spec_text() { return default_feature_spec_resource(); }

namespace {


// Removes a trailing `# comment` that is not inside quotes.
std::string_view strip_comment(std::string_view line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else if (c == '#') {
      return line.substr(0, i);
    }
  }
  return line;
}

bool is_name(std::string_view s, bool allow_star = false) {
  if (s.empty()) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool ok = std::isalnum(static_cast<unsigned char>(c)) || c == '_' || (allow_star && c == '*');
    if (!ok) return false;
  }
  if (allow_star && std::count(s.begin(), s.end(), '*') > 1) return false;  // one * at most
  return !std::isdigit(static_cast<unsigned char>(s[0]));
}

// Splits on spaces, keeping "quoted text" as one token (with its quotes).
std::vector<std::string> words_of(std::string_view s) {
  std::vector<std::string> words;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    if (i >= s.size()) break;
    size_t start = i;
    if (s[i] == '"' || s[i] == '\'') {
      char q = s[i++];
      while (i < s.size() && s[i] != q) ++i;
      if (i < s.size()) ++i;
    } else {
      while (i < s.size() && !std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    }
    words.emplace_back(s.substr(start, i - start));
  }
  return words;
}

bool is_quoted(const std::string& w) {
  return w.size() >= 2 && (w.front() == '"' || w.front() == '\'') && w.back() == w.front();
}
std::string unquote(const std::string& w) { return w.substr(1, w.size() - 2); }

class Parser {
 public:
  explicit Parser(const std::string& source) { spec_.source = source; }
  void set_text(std::string_view text) { spec_.text = std::string(text); }

  Status line(int number, std::string_view raw) {
    line_ = number;
    std::string_view text = trim(strip_comment(raw));
    if (text.empty()) return Status::Ok();
    size_t space = text.find_first_of(" \t");
    std::string_view keyword = text.substr(0, space);
    std::string_view rest = space == std::string_view::npos ? std::string_view() : trim(text.substr(space));
    if (keyword == "table") return table(rest);
    if (spec_.tables.empty())
      return error("'" + std::string(keyword) + "' outside a table: start with a 'table NAME' line");
    if (keyword == "missing") return missing(rest);
    if (keyword == "derive") return derive(rest);
    if (keyword == "join") return join(rest);
    if (keyword == "encode") return encode(rest);
    if (keyword == "aggregate") return aggregate(rest);
    if (keyword == "count") return count(rest);
    if (keyword == "filter") return filter(rest);
    return error("unknown statement '" + std::string(keyword) +
                 "' (expected table, missing, derive, join, encode, aggregate, count or filter)");
  }

  StatusOr<FeatureSpec> finish() {
    if (spec_.tables.empty()) return Status::ParseError(spec_.source + ": the spec declares no table");
    return std::move(spec_);
  }

 private:
  Status error(const std::string& what) const {
    return Status::ParseError(spec_.source + ":" + std::to_string(line_) + ": " + what);
  }
  TableStatement& current() { return spec_.tables.back(); }

  Status table(std::string_view rest) {
    auto w = words_of(rest);
    if (w.empty() || !is_name(w[0])) return error("expected 'table NAME [by KEY] [prefix PREFIX] [\"words\"]'");
    for (const auto& t : spec_.tables)
      if (t.name == w[0]) return error("table '" + w[0] + "' is declared twice (first on line " + std::to_string(t.line) + ")");
    TableStatement t;
    t.name = w[0];
    t.line = line_;
    for (size_t i = 1; i < w.size(); ++i) {
      if ((w[i] == "by" || w[i] == "prefix") && i + 1 < w.size() && is_name(w[i + 1])) {
        (w[i] == "by" ? t.key : t.prefix) = w[i + 1];
        ++i;
      } else if (is_quoted(w[i])) {
        t.words = unquote(w[i]);
      } else {
        return error("unexpected '" + w[i] + "' in the table line (expected by KEY, prefix PREFIX or \"words\")");
      }
    }
    spec_.tables.push_back(std::move(t));
    return Status::Ok();
  }

  Status missing(std::string_view rest) {
    size_t eq = rest.find("==");
    if (eq == std::string_view::npos) return error("expected 'missing COLUMN == VALUE'");
    std::string column(trim(rest.substr(0, eq)));
    std::string value(trim(rest.substr(eq + 2)));
    if (column != "*" && !is_name(column)) return error("'" + column + "' is not a column name");
    if (value.empty()) return error("expected a value after '=='");
    MissingStatement m{column, value, false, line_};
    if (is_quoted(value)) {
      m.value = unquote(value);
      m.text = true;
    } else if (std::optional<double> code = homecredit_code(value)) {
      // A code the data stage defines, by name (NO_DATE): the number lives there only.
      char number[32];
      std::snprintf(number, sizeof number, "%.17g", *code);
      m.value = number;
    } else {
      char* end = nullptr;
      std::strtod(value.c_str(), &end);
      if (end == nullptr || *end != '\0')
        return error("'" + value + "' is neither a number, a quoted text nor a code of the data (" +
                     std::string(kHcNoDateName) + ")");
    }
    if (column == "*" && !m.text) return error("'missing * == ...' takes a quoted text level");
    current().missing.push_back(std::move(m));
    return Status::Ok();
  }

  // A `NAME ["words"] SEPARATOR EXPRESSION` statement (derive and filter).
  struct NamedExpression {
    std::string name, words, expression;
  };
  StatusOr<NamedExpression> named_expression(std::string_view rest, char separator, const std::string& usage,
                                             const std::string& name_error) {
    size_t at = rest.find(separator);
    if (at == std::string_view::npos) return error(usage);
    auto head = words_of(rest.substr(0, at));
    NamedExpression n{"", "", std::string(trim(rest.substr(at + 1)))};
    if (head.empty() || !is_name(head[0])) return error(name_error);
    if (n.expression.empty()) return error(std::string("expected an expression after '") + separator + "'");
    n.name = head[0];
    if (head.size() > 1) {
      if (head.size() > 2 || !is_quoted(head[1])) return error(usage);
      n.words = unquote(head[1]);
    }
    return n;
  }

  Status derive(std::string_view rest) {
    CREDO_ASSIGN_OR_RETURN(NamedExpression n, named_expression(rest, '=', "expected 'derive NAME \"description\" = EXPRESSION'",
                                                               "expected a column name after 'derive'"));
    current().derived.push_back({n.name, n.words, n.expression, line_});
    return Status::Ok();
  }

  Status join(std::string_view rest) {
    auto w = words_of(rest);
    if (w.size() != 1 || !is_name(w[0])) return error("expected 'join TABLE'");
    bool declared = false;
    for (const auto& t : spec_.tables) declared |= t.name == w[0] && &t != &current();
    if (!declared) return error("join " + w[0] + ": declare table " + w[0] + " before the table that joins it");
    current().joins.push_back(w[0]);
    return Status::Ok();
  }

  Status encode(std::string_view rest) {
    auto w = words_of(rest);
    if (w.size() < 2) return error("expected 'encode binary|onehot|target COLUMN...'");
    EncodeStatement e;
    if (w[0] == "binary") e.kind = EncodeStatement::kBinary;
    else if (w[0] == "onehot") e.kind = EncodeStatement::kOneHot;
    else if (w[0] == "target") e.kind = EncodeStatement::kTarget;
    else return error("unknown encoding '" + w[0] + "' (expected binary, onehot or target)");
    for (size_t i = 1; i < w.size(); ++i) {
      bool star = w[i] == "*" && e.kind == EncodeStatement::kOneHot;
      if (!star && !is_name(w[i])) return error("'" + w[i] + "' is not a column name");
      e.columns.push_back(w[i]);
    }
    e.line = line_;
    current().encodings.push_back(std::move(e));
    return Status::Ok();
  }

  StatusOr<AggregateStatement> aggregate_statement(std::string_view rest) {
    size_t colon = rest.find(':');
    if (colon == std::string_view::npos) return error("expected 'aggregate COLUMN... : AGGREGATION...'");
    AggregateStatement a;
    a.line = line_;
    for (const auto& c : words_of(rest.substr(0, colon))) {
      if (!is_name(c, true)) return error("'" + c + "' is not a column name or pattern");
      a.columns.push_back(c);
    }
    if (a.columns.empty()) return error("expected column names before ':'");
    for (const auto& name : words_of(rest.substr(colon + 1))) {
      bool found = false;
      for (Aggregation g : {Aggregation::kMin, Aggregation::kMax, Aggregation::kMean, Aggregation::kSum,
                            Aggregation::kVar, Aggregation::kCount, Aggregation::kNunique, Aggregation::kShare}) {
        if (name == aggregation_name(g)) {
          a.aggregations.push_back(g);
          found = true;
        }
      }
      if (!found)
        return error("unknown aggregation '" + name + "' (expected min, max, mean, sum, var, count, nunique or share)");
    }
    if (a.aggregations.empty()) return error("expected aggregations after ':'");
    return a;
  }

  Status aggregate(std::string_view rest) {
    CREDO_ASSIGN_OR_RETURN(AggregateStatement a, aggregate_statement(rest));
    if (current().key.empty()) return error("aggregate needs a grouping key: 'table " + current().name + " by KEY'");
    if (current().filters.empty()) current().aggregates.push_back(std::move(a));
    else current().filters.back().aggregates.push_back(std::move(a));
    return Status::Ok();
  }

  Status count(std::string_view rest) {
    if (!rest.empty()) return error("'count' takes nothing after it");
    if (current().key.empty()) return error("count needs a grouping key: 'table " + current().name + " by KEY'");
    if (current().filters.empty()) current().count = true;
    else current().filters.back().count = true;
    return Status::Ok();
  }

  Status filter(std::string_view rest) {
    CREDO_ASSIGN_OR_RETURN(NamedExpression n, named_expression(rest, ':', "expected 'filter NAME \"words\" : EXPRESSION'",
                                                               "expected a filter name after 'filter'"));
    if (current().key.empty()) return error("filter needs a grouping key: 'table " + current().name + " by KEY'");
    for (const auto& f : current().filters)
      if (f.name == n.name) return error("filter '" + n.name + "' is declared twice in table " + current().name);
    FilterStatement f;
    f.name = n.name;
    f.words = n.words;
    f.expression = n.expression;
    f.line = line_;
    current().filters.push_back(std::move(f));
    return Status::Ok();
  }

  FeatureSpec spec_;
  int line_ = 0;
};

}  // namespace

StatusOr<FeatureSpec> parse_feature_spec(std::string_view text, const std::string& source) {
  Parser parser(source);
  parser.set_text(text);
  int number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++number;
    CREDO_RETURN_IF_ERROR(parser.line(number, text.substr(start, end - start)));
    start = end + 1;
  }
  return parser.finish();
}

}  // namespace credo
