// Parsing the population filter: a small grammar, checked strictly, since it comes from a URL.
#include "credo/serve/population_filter.h"


#include <cctype>
#include <charconv>
#include <cmath>

#include "credo/base/text.h"

namespace credo::serve {
namespace {

// Filter text is trimmed of spaces and tabs only.
std::string_view trim_filter_text(std::string_view s) { return trim(s, " \t"); }

bool is_field_name(std::string_view s) {
  if (s.empty() || s.size() > 100) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  return true;
}

// A whole finite number, or nullopt.
std::optional<double> parse_filter_number(std::string_view s) {
  s = trim_filter_text(s);
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.remove_prefix(1);
  double value = 0;
  auto [end, error] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (error != std::errc() || end != s.data() + s.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

// "a..b", "a..", "..b" -> range; nullopt when either side is not a number.
std::optional<NumberRange> split_range(std::string_view from, std::string_view to) {
  NumberRange range;
  if (!trim_filter_text(from).empty()) {
    auto x = parse_filter_number(from);
    if (!x) return std::nullopt;
    range.from = *x;
  }
  if (!trim_filter_text(to).empty()) {
    auto x = parse_filter_number(to);
    if (!x) return std::nullopt;
    range.to = *x;
  }
  if (range.from == -HUGE_VAL && range.to == HUGE_VAL) return std::nullopt;
  return range;
}

}  // namespace

std::vector<std::string> FilterClause::levels() const {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t bar = value.find('|', start);
    out.emplace_back(trim_filter_text(std::string_view(value).substr(start, bar - start)));
    if (bar == std::string::npos) return out;
    start = bar + 1;
  }
}

std::optional<NumberRange> parse_number_range(std::string_view value) {
  value = trim_filter_text(value);
  if (auto x = parse_filter_number(value)) return NumberRange{*x, *x, true};
  if (size_t dots = value.find(".."); dots != std::string_view::npos)
    return split_range(value.substr(0, dots), value.substr(dots + 2));
  // "30-40", "-5--3", "30-", "-40" is a number (above); the first '-' that splits two numbers wins.
  for (size_t dash = 1; dash < value.size(); ++dash) {
    if (value[dash] != '-' || value[dash - 1] == 'e' || value[dash - 1] == 'E') continue;
    if (auto range = split_range(value.substr(0, dash), value.substr(dash + 1))) return range;
  }
  return std::nullopt;
}

StatusOr<std::vector<FilterClause>> parse_population_filter(std::string_view text) {
  std::vector<FilterClause> clauses;
  if (trim_filter_text(text).empty()) return clauses;
  if (text.size() > kMaxFilterLength)
    return Status::InvalidArgument("filter: longer than " + std::to_string(kMaxFilterLength) + " characters");
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    std::string_view piece = text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    start = comma == std::string_view::npos ? text.size() + 1 : comma + 1;
    size_t colon = piece.find(':');
    if (colon == std::string_view::npos) {
      if (clauses.empty() || trim_filter_text(piece).empty())
        return Status::InvalidArgument("filter: '" + std::string(piece) + "' is not FIELD:VALUE (e.g. CODE_GENDER:F)");
      clauses.back().value += "," + std::string(piece);  // a level with a comma in it
      continue;
    }
    std::string_view field = trim_filter_text(piece.substr(0, colon));
    std::string_view value = trim_filter_text(piece.substr(colon + 1));
    if (!is_field_name(field))
      return Status::InvalidArgument("filter: '" + std::string(field) + "' is not a field name (in '" +
                                     std::string(piece) + "')");
    if (value.empty()) return Status::InvalidArgument("filter: " + std::string(field) + " has no value");
    if (clauses.size() == kMaxFilterClauses)
      return Status::InvalidArgument("filter: more than " + std::to_string(kMaxFilterClauses) + " clauses");
    clauses.push_back({std::string(field), std::string(value)});
  }
  for (auto& clause : clauses) clause.value = std::string(trim_filter_text(clause.value));
  return clauses;
}

}  // namespace credo::serve
