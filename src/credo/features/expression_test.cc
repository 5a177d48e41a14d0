// Pins the expression language: the data-driven cases of testdata/expression_cases.txt (values,
// canonical text, columns, errors with positions), then what the cases cannot say: blocks of
// rows across a large table, copies, empty tables and schemas.
#include "credo/features/expression.h"

#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "credo/base/case_file_testing.h"
#include "credo/base/random.h"
#include "credo/data/csv_reader.h"

namespace credo {
namespace {

// A case of expression_cases.txt: "= EXPRESSION", the table's lines, then the expectations.
struct ExpressionCase {
  std::string expression;
  std::vector<std::string> table_lines;   // "name:type,..." header then CSV rows
  std::vector<std::string> expectations;  // the text after ">>> "
};

ExpressionCase expression_case(const TestCase& test_case) {
  ExpressionCase c;
  for (const auto& line : test_case.body) {
    if (line.text[0] == '=') c.expression = line.text.size() > 1 ? line.text.substr(2) : "";
    else c.table_lines.push_back(line.text);
  }
  for (const auto& expectation : test_case.expectations) {
    c.expectations.push_back(expectation.head.text);
    EXPECT_TRUE(expectation.block.empty()) << "line " << expectation.head.line << ": lines under a '>>>'";
  }
  return c;
}

// The case's table, read by the CSV reader with the types of its header.
StatusOr<Table> case_table(const ExpressionCase& c) {
  std::vector<std::string> lines = c.table_lines;
  if (lines.empty()) lines = {"X:int", "0"};
  Schema schema;
  std::string csv;
  std::stringstream header(lines[0]);
  std::string field;
  while (std::getline(header, field, ',')) {
    size_t colon = field.rfind(':');
    std::string name = field.substr(0, colon), type = field.substr(colon + 1);
    ColumnType column_type = type == "int" ? ColumnType::kInt64 : type == "float" ? ColumnType::kDouble
                                                                                   : ColumnType::kCategorical;
    EXPECT_TRUE(type == "int" || type == "float" || type == "categorical") << "bad type in " << field;
    schema.columns.push_back({name, column_type});
    csv += (csv.empty() ? "" : ",") + name;
  }
  csv += "\n";
  for (size_t i = 1; i < lines.size(); ++i) csv += lines[i] + "\n";
  CsvReadOptions options;
  options.schema = &schema;
  options.threads = 1;
  return read_csv_string(csv, "case.csv", options);
}

std::string join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : " ") + n;
  return out;
}

bool same_values(const LargeVector<double>& a, const LargeVector<double>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  }
  return true;
}

void run_case(const ExpressionCase& c) {
  auto table = case_table(c);
  ASSERT_TRUE(table.ok()) << table.status().to_string();
  auto expression = Expression::parse(c.expression);
  std::optional<StatusOr<LargeVector<double>>> values;
  if (expression.ok()) {
    values.emplace(expression->evaluate(*table));
    // check() and evaluate() reject exactly the same tables, with the same message.
    Status checked = expression->check(table->schema());
    EXPECT_EQ(checked.ok(), values->ok());
    if (!checked.ok() && !values->ok()) {
      EXPECT_EQ(checked.to_string(), values->status().to_string());
    }
    // The canonical text parses back to the same expression.
    auto again = Expression::parse(expression->to_string());
    ASSERT_TRUE(again.ok()) << expression->to_string() << ": " << again.status().to_string();
    EXPECT_EQ(again->to_string(), expression->to_string());
    EXPECT_EQ(again->columns(), expression->columns());
    auto again_values = again->evaluate(*table);
    if (values->ok() && again_values.ok()) {
      EXPECT_TRUE(same_values(**values, *again_values));
    }
  }
  for (const std::string& want : c.expectations) {
    if (want.rfind("error: ", 0) == 0) {
      std::string text = want.substr(7);
      const Status& error = !expression.ok() ? expression.status() : values->status();
      ASSERT_FALSE(error.ok()) << "expected an error containing: " << text;
      EXPECT_NE(error.to_string().find(text), std::string::npos)
          << "message: " << error.to_string() << "\nwanted:  " << text;
      continue;
    }
    ASSERT_TRUE(expression.ok()) << expression.status().to_string();
    if (want.rfind("text: ", 0) == 0) {
      EXPECT_EQ(expression->to_string(), want.substr(6));
    } else if (want.rfind("columns: ", 0) == 0) {
      EXPECT_EQ(join(expression->columns()), want.substr(9));
    } else {
      ASSERT_TRUE(values->ok()) << values->status().to_string();
      std::stringstream stream(want);
      std::vector<double> expected;
      std::string token;
      while (stream >> token) expected.push_back(token == "nan" ? NAN : std::stod(token));
      const LargeVector<double>& got = **values;
      ASSERT_EQ(got.size(), expected.size());
      for (size_t i = 0; i < got.size(); ++i) {
        if (std::isnan(expected[i])) {
          EXPECT_TRUE(std::isnan(got[i])) << "row " << i << ": got " << got[i] << ", expected missing";
        } else {
          EXPECT_NEAR(got[i], expected[i], 1e-9 * std::max(1.0, std::fabs(expected[i]))) << "row " << i;
        }
      }
    }
  }
}

TEST(ExpressionTest, DataDrivenCases) {
  auto cases = load_case_file("src/credo/features/testdata/expression_cases.txt");
  ASSERT_GE(cases.size(), 80u);
  for (const auto& test_case : cases) {
    ExpressionCase c = expression_case(test_case);
    SCOPED_TRACE(test_case.where() + ": " + c.expression);
    run_case(c);
  }
}

// A table of `rows` rows over several evaluation blocks: A float, B int, both sometimes missing,
// C categorical.
Table random_table(size_t rows, uint64_t seed) {
  Rng rng(seed);
  LargeVector<double> a(rows);
  LargeVector<int64_t> b(rows);
  LargeVector<uint8_t> b_missing(rows);
  LargeVector<int32_t> c(rows);
  for (size_t r = 0; r < rows; ++r) {
    a[r] = rng.uniform() < 0.1 ? NAN : rng.uniform() * 200 - 100;
    b[r] = static_cast<int64_t>(rng.uniform() * 21) - 10;
    b_missing[r] = rng.uniform() < 0.1;
    c[r] = static_cast<int32_t>(rng.uniform() * 4) - 1;
  }
  Table table;
  EXPECT_TRUE(table.add_column(Column::Double("A", std::move(a))).ok());
  EXPECT_TRUE(table.add_column(Column::Int64("B", std::move(b), std::move(b_missing))).ok());
  EXPECT_TRUE(table.add_column(Column::Categorical("C", std::move(c), {"x", "y", "z"})).ok());
  return table;
}

TEST(ExpressionTest, LargeTableMatchesRowByRowDefinition) {
  // 5000 rows: four full blocks and a partial one.
  Table table = random_table(5000, 7);
  auto expression = Expression::parse(
      "if(C == 'y' or is_missing(B), max(A / B, -1), std(A, B, 2 * A) + sum(A, B)) + (A > B) - log1p(abs(B))");
  ASSERT_TRUE(expression.ok()) << expression.status().to_string();
  auto values = expression->evaluate(table);
  ASSERT_TRUE(values.ok()) << values.status().to_string();
  ASSERT_EQ(values->size(), 5000u);
  const Column& a_col = *table.find("A");
  const Column& b_col = *table.find("B");
  const Column& c_col = *table.find("C");
  for (size_t r = 0; r < 5000; ++r) {
    double a = a_col.as_double(r), b = b_col.as_double(r);
    double chosen;
    if (c_col.category(r) == "y" || std::isnan(b)) {
      double ratio = b == 0 ? NAN : a / b;
      chosen = std::isnan(ratio) ? NAN : std::max(ratio, -1.0);
    } else {
      std::vector<double> present;
      for (double v : {a, b, 2 * a}) if (!std::isnan(v)) present.push_back(v);
      double mean = 0, squares = 0;
      for (double v : present) mean += v / static_cast<double>(present.size());
      for (double v : present) squares += (v - mean) * (v - mean);
      double deviation = present.size() < 2 ? NAN : std::sqrt(squares / static_cast<double>(present.size() - 1));
      chosen = deviation + ((std::isnan(a) ? 0 : a) + (std::isnan(b) ? 0 : b));
    }
    double expected = chosen + (a > b ? 1 : 0) - std::log1p(std::fabs(b));
    if (std::isnan(expected)) {
      EXPECT_TRUE(std::isnan((*values)[r])) << "row " << r;
    } else {
      EXPECT_NEAR((*values)[r], expected, 1e-9 * std::max(1.0, std::fabs(expected))) << "row " << r;
    }
  }
}

TEST(ExpressionTest, RootThatIsAColumnOrANumberFillsEveryRow) {
  Table table = random_table(3000, 1);
  auto column = Expression::parse("A");
  auto number = Expression::parse("-2");
  ASSERT_TRUE(column.ok() && number.ok());
  auto a = column->evaluate(table);
  auto n = number->evaluate(table);
  ASSERT_TRUE(a.ok() && n.ok());
  ASSERT_EQ(a->size(), 3000u);
  ASSERT_EQ(n->size(), 3000u);
  for (size_t r = 0; r < 3000; ++r) {
    double want = table.find("A")->as_double(r);
    EXPECT_TRUE((*a)[r] == want || (std::isnan(want) && std::isnan((*a)[r])));
    EXPECT_EQ((*n)[r], -2.0);
  }
}

TEST(ExpressionTest, EmptyTableGivesNoValues) {
  Table table = random_table(0, 1);
  auto expression = Expression::parse("A + B");
  ASSERT_TRUE(expression.ok());
  auto values = expression->evaluate(table);
  ASSERT_TRUE(values.ok());
  EXPECT_TRUE(values->empty());
}

TEST(ExpressionTest, CopiesOutliveTheOriginal) {
  Table table = random_table(10, 3);
  std::optional<Expression> copy;
  {
    auto parsed = Expression::parse("mean(A, B) * (C != 'x')");
    ASSERT_TRUE(parsed.ok());
    copy = *parsed;
  }
  auto values = copy->evaluate(table);
  ASSERT_TRUE(values.ok()) << values.status().to_string();
  EXPECT_EQ(copy->to_string(), "mean(A, B) * (C != 'x')");
  EXPECT_EQ(copy->columns(), (std::vector<std::string>{"A", "B", "C"}));
}

TEST(ExpressionTest, DefaultExpressionIsNotEvaluated) {
  Expression empty;
  EXPECT_EQ(empty.to_string(), "");
  EXPECT_EQ(empty.evaluate(random_table(2, 1)).status().code(), StatusCode::kFailedPrecondition);
}

TEST(ExpressionTest, CheckNeedsOnlyASchema) {
  Schema schema{{{"AMT_CREDIT", ColumnType::kDouble}, {"CNT_CHILDREN", ColumnType::kInt64},
                 {"CODE_GENDER", ColumnType::kCategorical}}};
  auto ok = Expression::parse("AMT_CREDIT / (CNT_CHILDREN + 1) * (CODE_GENDER == 'F')");
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(ok->check(schema).ok());

  auto unknown = Expression::parse("AMT_CREDIT / AMT_INCOME_TOTAL");
  ASSERT_TRUE(unknown.ok());
  Status status = unknown->check(schema);
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "at character 14: unknown column 'AMT_INCOME_TOTAL'");

  auto numeric_text = Expression::parse("CNT_CHILDREN != 'two'");
  ASSERT_TRUE(numeric_text.ok());
  status = numeric_text->check(schema);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("column 'CNT_CHILDREN' is numeric (int)"), std::string::npos);

  auto arithmetic = Expression::parse("sqrt(CODE_GENDER)");
  ASSERT_TRUE(arithmetic.ok());
  status = arithmetic->check(schema);
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(status.message().find("column 'CODE_GENDER' is categorical"), std::string::npos);
}

}  // namespace
}  // namespace credo
