// The small expression language of the feature spec: derived columns ("PAYMENT_RATE =
// AMT_ANNUITY / AMT_CREDIT") and row filters ("CREDIT_ACTIVE == 'Active'") are parsed once
// and evaluated over whole tables, a block of rows at a time, with pandas' missing-value rules.
//
// The language
//   Values      every value is a double; missing is NaN. int64 columns are read as doubles
//               (a missing int is NaN); double columns as they are.
//   Numbers     0  -1.5  365243  1e-3  .5  2.5E+3  (a leading '-' is the unary minus).
//   Columns     names matching [A-Za-z_][A-Za-z0-9_]*, case-sensitive. The words and, or, not
//               are reserved; a name followed by '(' is a function call.
//   Text        'Active' or "Spouse, partner": no escapes, a literal cannot hold its own quote.
//               Text is allowed only as one side of == or != whose other side is a
//               categorical column: CREDIT_ACTIVE == 'Active'. A level absent from the column's
//               dictionary is simply never equal.
//   Categorical columns are allowed only in such a comparison and as the argument of
//               is_missing(); anywhere else (arithmetic, compared with a number) is an error.
//   Operators, loosest first (all binary ones associate to the left):
//               or
//               and
//               not                     (prefix)
//               == != < <= > >=         (do not chain: write a < b and b < c)
//               + -
//               * /
//               - +                     (prefix)
//   Arithmetic  a missing operand gives missing; x / 0 gives missing (pandas gives inf, which
//               the feature kernels would replace by NaN anyway).
//   Comparisons give 1 or 0. A comparison with a missing value is 0, except != which is 1:
//               a != b is exactly not (a == b), as in pandas (NaN != 'x' is True).
//   Conditions  the operands of and / or / not and the first argument of if() are true when
//               they are a non-zero number; zero and missing are false. and / or / not give 1/0.
//   Functions   min(a, b, ...)  max(a, b, ...)  at least 2 arguments; missing if any is missing
//               abs(x)
//               log1p(x)        missing for x <= -1
//               sqrt(x)         missing for x < 0
//               sum(a, ...)     over the non-missing arguments; 0 when all are missing (pandas)
//               mean(a, ...)    over the non-missing arguments; missing when all are missing
//               std(a, ...)     sample deviation (ddof = 1) of the non-missing arguments;
//                               missing with fewer than 2 of them
//               is_missing(x)   1 if x is missing, else 0 (x may be a categorical column)
//               if(c, a, b)     a where c is true, else b (c missing counts as false)
// Errors name the 1-based character position: "at character 14: expected a column name,
// a number or '(' but found ')'".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "credo/base/large_vector.h"
#include "credo/base/status.h"
#include "credo/data/schema.h"
#include "credo/data/table.h"

namespace credo {

class Expression {
 public:
  // Parses `text`, or a ParseError naming the character position and what was expected.
  static StatusOr<Expression> parse(std::string_view text);

  // The column names the expression reads, each once, in order of first appearance.
  const std::vector<std::string>& columns() const { return columns_; }

  // Checks the expression against a schema without data: an unknown column is NotFound naming it;
  // a categorical column in arithmetic or compared with a number, or a numeric column compared
  // with text, is InvalidArgument naming the column and what was expected.
  Status check(const Schema& schema) const;

  // One value per row of `table` (NaN = missing; comparisons and logic give 1.0 / 0.0), or the
  // errors of check() when the table does not fit. Runs a block of rows at a time through each
  // operator, so the cost is per block, never a tree walk per row.
  StatusOr<LargeVector<double>> evaluate(const Table& table) const;

  // Canonical text: the same spelling for the same tree, parenthesised only where precedence
  // needs it; parse(to_string()) gives the same expression.
  std::string to_string() const;

  // An empty expression, to be assigned a parsed one; evaluating it is a FailedPrecondition.
  Expression();
  ~Expression();
  Expression(const Expression&);
  Expression(Expression&&) noexcept;
  Expression& operator=(const Expression&);
  Expression& operator=(Expression&&) noexcept;

  // One operation of the tree; defined in expression_node.h (expression_parser.cc builds it,
  // expression_eval.cc runs it), opaque elsewhere.
  struct Node;

 private:
  friend class ExpressionParser;
  friend class ExpressionEvaluator;

  std::vector<Node> nodes_;  // children before parents; the root is last
  std::vector<std::string> columns_;
};

}  // namespace credo
