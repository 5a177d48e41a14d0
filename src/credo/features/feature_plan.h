// Internal to the feature pipeline: a feature spec compiled against the Home Credit schemas,
// one plan per table (the columns to read, compiled expressions, which tables it joins), which
// the batch build and the online path both run.
#pragma once

#include <string>
#include <vector>

#include "credo/base/status.h"
#include "credo/data/homecredit.h"
#include "credo/features/expression.h"
#include "credo/features/spec.h"

namespace credo::features_internal {

struct TablePlan {
  TableStatement statement;
  bool is_application = false;
  bool is_child = false;            // joined by another table
  HcTable table = HcTable::kApplicationTest;
  std::vector<size_t> children;     // indices of the tables it joins
  std::vector<std::string> load_columns;
  std::vector<Expression> derived;  // parallel to statement.derived
  std::vector<Expression> filters;  // parallel to statement.filters
};

// Checks a spec against the Home Credit schemas and plans each table (columns to read,
// compiled expressions, joins). Errors name the spec line.
StatusOr<std::vector<TablePlan>> plan_tables(const FeatureSpec& spec);

}  // namespace credo::features_internal
