// The feature spec: a readable text file, shipped with credo and editable without recompiling,
// that declares every feature built from the Home Credit tables. This header is its syntax tree
// and parser; pipeline.h compiles and runs it.
//
// Syntax (one statement per line; `#` starts a comment; indentation is free except that
// `aggregate` and `count` lines after a `filter` line belong to that filter until the next
// `filter` or `table` line):
//
//   table NAME [by KEY] [prefix PREFIX] ["words for the rows, e.g. credits at other institutions"]
//       NAME is a Home Credit table (bureau, previous_application, ...) or `application`
//       (application_train + application_test, one row per client, no `by`).
//   missing COLUMN == VALUE        the value means missing; VALUE is a number or a code of the
//                                  data named in data/homecredit_ranges.h (DAYS_EMPLOYED == NO_DATE)
//   missing * == 'TEXT'            in every text column ('XNA')
//   derive NAME "description" = EXPRESSION     a new column (see expression.h for the language)
//   join TABLE                     TABLE (declared earlier, `by` a key of this table) is aggregated
//                                  per key and its features become columns of this table
//   encode binary COLUMN...        application: a two-level text column as 0/1
//   encode onehot COLUMN... | *    application: one 0/1 column per level (* = every text column
//                                  not otherwise encoded)
//   encode target COLUMN...        application: out-of-fold mean default rate of the level
//   aggregate COLUMN... : AGG...   per group of KEY: min max mean sum var count nunique share
//                                  (share: for a text column, the share of rows at each level);
//                                  a COLUMN may hold one * to match several (STATUS_*_SHARE)
//   count                          the number of rows per group
//   filter NAME "words" : EXPRESSION    the following aggregate/count lines see only the rows
//                                  where EXPRESSION is true (CREDIT_ACTIVE == 'Active')
//
// Feature names follow one pattern: PREFIX_[FILTER_]COLUMN_AGG (BURO_ACTIVE_AMT_CREDIT_SUM_MEAN),
// PREFIX_[FILTER_]COLUMN_LEVEL_SHARE for shares and PREFIX_[FILTER_]COUNT for counts.
#pragma once

#include <string>
#include <vector>

#include "credo/base/status.h"

namespace credo {

enum class Aggregation { kMin, kMax, kMean, kSum, kVar, kCount, kNunique, kShare };

// "min", "max", ... as written in specs and feature names (upper case in names).
const char* aggregation_name(Aggregation a);

struct AggregateStatement {
  std::vector<std::string> columns;  // names or patterns ending in *
  std::vector<Aggregation> aggregations;
  int line = 0;
};

struct FilterStatement {
  std::string name;         // "ACTIVE"
  std::string words;        // "active"
  std::string expression;   // "CREDIT_ACTIVE == 'Active'"
  std::vector<AggregateStatement> aggregates;
  bool count = false;
  int line = 0;
};

struct DeriveStatement {
  std::string name;
  std::string description;
  std::string expression;
  int line = 0;
};

struct MissingStatement {
  std::string column;     // "*" = every text column
  std::string value;      // a number (a named code as its number) or a text literal without quotes
  bool text = false;      // the value was quoted
  int line = 0;
};

struct EncodeStatement {
  enum Kind { kBinary, kOneHot, kTarget } kind;
  std::vector<std::string> columns;  // "*" allowed for onehot
  int line = 0;
};

struct TableStatement {
  std::string name;     // "application" or a Home Credit table name
  std::string key;      // group-by column ("" for application)
  std::string prefix;   // feature name prefix ("" for none)
  std::string words;    // "credits at other institutions"
  std::vector<MissingStatement> missing;
  std::vector<DeriveStatement> derived;
  std::vector<std::string> joins;
  std::vector<EncodeStatement> encodings;
  std::vector<AggregateStatement> aggregates;  // over all rows
  bool count = false;                           // PREFIX_COUNT over all rows
  std::vector<FilterStatement> filters;
  int line = 0;
};

struct FeatureSpec {
  std::string source;  // file name, for messages
  std::string text;    // the spec as written (saved with the features)
  std::vector<TableStatement> tables;
};

// Parses spec text. Errors are ParseError "SOURCE:LINE: what is wrong" (unknown statement,
// missing ':', unknown aggregation, statement outside a table, duplicate table...). Table and
// column names are checked later, against the data's schemas, by the pipeline.
StatusOr<FeatureSpec> parse_feature_spec(std::string_view text, const std::string& source);

// The default spec shipped with credo (resources/features/default.spec, compiled in).
std::string_view default_feature_spec_text();

}  // namespace credo
