// Pins the run search language: the data-driven cases of testdata/run_filters.txt (parsed
// forms, MLflow's type rules, errors with positions), then what the cases cannot say: blank
// text, the name tables and that every parsed form reads back as itself.
#include "credo/store/run_filter.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cmath>
#include <cstdint>

#include "credo/base/case_file_testing.h"

namespace credo::store {
namespace {

// A case of run_filters.txt: its title is the input ("filter: TEXT" or "order: TEXT"), its one
// expectation the parsed form or "error: TEXT".
struct FilterCase {
  bool is_order = false;
  std::string input;
  std::string expected;  // the parsed form, or an error substring
  bool expect_error = false;
};

FilterCase filter_case(const TestCase& test_case) {
  FilterCase c;
  const std::string& title = test_case.title;
  c.is_order = title.rfind("order:", 0) == 0;
  EXPECT_TRUE(c.is_order || title.rfind("filter:", 0) == 0) << "a title is 'filter: TEXT' or 'order: TEXT'";
  size_t colon = title.find(':');
  if (colon != std::string::npos)
    c.input = title.substr(std::min(title.size(), colon + (title.size() > colon + 1 && title[colon + 1] == ' ' ? 2 : 1)));
  EXPECT_EQ(test_case.expectations.size(), 1u) << "one '>>>' per case";
  EXPECT_TRUE(test_case.body.empty() && test_case.fields.empty()) << "a case is its title and one '>>>'";
  if (test_case.expectations.empty()) return c;
  const std::string& text = test_case.expectations[0].head.text;
  c.expect_error = text.rfind("error: ", 0) == 0;
  c.expected = c.expect_error ? text.substr(7) : text;
  return c;
}

// A key as the parser reads it back: bare when it can be, else in backticks.
std::string render_key(const std::string& key) {
  bool bare = !key.empty();
  for (char c : key)
    bare = bare && (isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-' || c == '/');
  if (bare) return key;
  std::string out = "`";
  for (char c : key) {
    if (c == '`' || c == '\\') out += '\\';
    out += c;
  }
  out += '`';
  return out;
}

std::string render_string(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

std::string render_number(double value) {
  if (value == std::floor(value) && std::fabs(value) < 1e15 && !std::signbit(value))
    return std::to_string(static_cast<int64_t>(value));  // times in ms read as written
  char buffer[64];
  auto [end, err] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

std::string render(const RunFilter& filter) {
  if (filter.clauses.empty()) return "(all runs)";
  std::string out;
  for (const FilterClause& c : filter.clauses) {
    if (!out.empty()) out += " and ";
    out.append(filter_entity_name(c.entity)).append(".").append(render_key(c.key));
    out.append(" ").append(comparator_name(c.op)).append(" ");
    if (c.numeric) {
      out += render_number(c.number);
    } else if (c.op == Comparator::kIn || c.op == Comparator::kNotIn) {
      out += "(";
      for (size_t i = 0; i < c.strings.size(); ++i) {
        if (i > 0) out += ", ";
        out += render_string(c.strings[i]);
      }
      out += ")";
    } else {
      EXPECT_EQ(c.strings.size(), 1u) << "one value for " << comparator_name(c.op);
      if (!c.strings.empty()) out += render_string(c.strings[0]);
    }
  }
  return out;
}

std::string render(const RunOrder& order) {
  std::string out = std::string(filter_entity_name(order.entity)) + "." + render_key(order.key);
  return out + (order.ascending ? " ASC" : " DESC");
}

// Parses a case's input and gives its rendered form, or the error.
template <typename Parse>
StatusOr<std::string> parse_and_render(Parse parse, const std::string& input) {
  auto parsed = parse(input);
  if (!parsed.ok()) return parsed.status();
  return render(*parsed);
}

StatusOr<std::string> run_case(const FilterCase& c, const std::string& input) {
  return c.is_order ? parse_and_render(parse_run_order, input) : parse_and_render(parse_run_filter, input);
}

TEST(RunFilter, DataDrivenCases) {
  std::vector<TestCase> cases = load_case_file("src/credo/store/testdata/run_filters.txt");
  ASSERT_GT(cases.size(), 50u) << "run_filters.txt not found or nearly empty";
  for (const TestCase& test_case : cases) {
    SCOPED_TRACE(test_case.where());
    const FilterCase c = filter_case(test_case);
    ASSERT_FALSE(c.expected.empty()) << "case without '=> ' or 'error: '";
    StatusOr<std::string> got = run_case(c, c.input);
    if (c.expect_error) {
      ASSERT_FALSE(got.ok()) << "parsed as " << *got;
      EXPECT_EQ(got.status().code(), StatusCode::kParseError);
      EXPECT_NE(got.status().message().find(c.expected), std::string::npos) << got.status().message();
      EXPECT_EQ(got.status().message().rfind(c.is_order ? "order by: at " : "filter: at ", 0), 0u)
          << got.status().message();
      continue;
    }
    ASSERT_TRUE(got.ok()) << got.status().to_string();
    EXPECT_EQ(*got, c.expected);
    if (*got == "(all runs)") continue;
    // The parsed form is itself valid input and means the same.
    StatusOr<std::string> again = run_case(c, *got);
    ASSERT_TRUE(again.ok()) << "rendered form does not parse: " << again.status().to_string();
    EXPECT_EQ(*again, *got);
  }
}

TEST(RunFilter, BlankTextMatchesEveryRun) {
  for (std::string_view blank : {"", " ", "\t\n  \r\n"}) {
    StatusOr<RunFilter> filter = parse_run_filter(blank);
    ASSERT_TRUE(filter.ok()) << filter.status().to_string();
    EXPECT_TRUE(filter->clauses.empty());
  }
}

TEST(RunFilter, WhitespaceOfAnyKindSeparatesTokens) {
  StatusOr<RunFilter> filter = parse_run_filter("\tmetrics.auc\n>\r\n0.5\tAND\nparams.a\t=\t'x'  ");
  ASSERT_TRUE(filter.ok()) << filter.status().to_string();
  EXPECT_EQ(render(*filter), "metrics.auc > 0.5 and params.a = 'x'");
}

TEST(RunFilter, NamesAndAttributeTables) {
  EXPECT_STREQ(filter_entity_name(FilterEntity::kMetric), "metrics");
  EXPECT_STREQ(filter_entity_name(FilterEntity::kParam), "params");
  EXPECT_STREQ(filter_entity_name(FilterEntity::kTag), "tags");
  EXPECT_STREQ(filter_entity_name(FilterEntity::kAttribute), "attributes");
  const std::pair<Comparator, const char*> names[] = {
      {Comparator::kEq, "="},     {Comparator::kNe, "!="},     {Comparator::kLt, "<"},   {Comparator::kLe, "<="},
      {Comparator::kGt, ">"},     {Comparator::kGe, ">="},     {Comparator::kLike, "LIKE"},
      {Comparator::kILike, "ILIKE"}, {Comparator::kIn, "IN"}, {Comparator::kNotIn, "NOT IN"}};
  for (auto [op, name] : names) EXPECT_STREQ(comparator_name(op), name);

  for (const char* key : {"run_id", "run_name", "status", "user", "source", "git_commit", "data_fingerprint",
                          "parent_run_id"}) {
    EXPECT_TRUE(is_run_attribute(key)) << key;
    EXPECT_FALSE(is_numeric_run_attribute(key)) << key;
  }
  for (const char* key : {"start_time", "end_time"}) {
    EXPECT_TRUE(is_run_attribute(key)) << key;
    EXPECT_TRUE(is_numeric_run_attribute(key)) << key;
  }
  // Aliases are normalised by the parser, not accepted as keys of their own.
  for (const char* key : {"created", "user_id", "", "Status", "artifact_uri"})
    EXPECT_FALSE(is_run_attribute(key)) << key;
}

TEST(RunFilter, OrderWithoutDirectionIsAscendingUnlikeTheDefaultOrder) {
  StatusOr<RunOrder> order = parse_run_order("metrics.business_cost");
  ASSERT_TRUE(order.ok()) << order.status().to_string();
  EXPECT_TRUE(order->ascending);
  EXPECT_FALSE(RunOrder{}.ascending);  // the store's default: newest first
}

}  // namespace
}  // namespace credo::store
