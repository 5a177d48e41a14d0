// The run search language of MLflow (`mlflow runs search --filter`, `search_runs`), so the same
// strings work in both: clauses joined by AND, such as
//   metrics.auc > 0.75 and params.algo = 'xgboost' and tags.stage != 'dev'
// and an order such as "metrics.business_cost ASC". Parsed here into a backend-neutral form;
// each storage backend turns it into its own query.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "credo/base/status.h"

namespace credo::store {

enum class FilterEntity { kMetric, kParam, kTag, kAttribute };
enum class Comparator { kEq, kNe, kLt, kLe, kGt, kGe, kLike, kILike, kIn, kNotIn };

// "metrics", "params", "tags", "attributes".
const char* filter_entity_name(FilterEntity entity);
// "=", "!=", "<", "<=", ">", ">=", "LIKE", "ILIKE", "IN", "NOT IN".
const char* comparator_name(Comparator op);

// Run attributes that can be searched and ordered by. Numeric ones compare with numbers.
//   strings: run_id, run_name, status, user, source, git_commit, data_fingerprint, parent_run_id
//   numbers: start_time, end_time (milliseconds since the epoch)
bool is_run_attribute(std::string_view key);
bool is_numeric_run_attribute(std::string_view key);

struct FilterClause {
  FilterEntity entity = FilterEntity::kMetric;
  std::string key;        // "auc", "algo", "status" (aliases such as "created" normalised)
  Comparator op = Comparator::kEq;
  bool numeric = false;   // true: compare `number`; false: compare `strings`
  double number = 0;
  std::vector<std::string> strings;  // one value, or the list of IN / NOT IN
};

struct RunFilter {
  std::vector<FilterClause> clauses;  // all must hold; empty matches every run
};

struct RunOrder {
  FilterEntity entity = FilterEntity::kAttribute;
  std::string key = "start_time";
  bool ascending = false;  // runs without the key come last either way
};

// Parses a filter; an empty or blank text gives an empty filter. Errors name the character
// position and what was expected ("filter: at 17: expected a comparator after 'metrics.auc'").
StatusOr<RunFilter> parse_run_filter(std::string_view text);

// Parses "metrics.business_cost", "metrics.auc DESC", "attributes.start_time ASC"...
// An absent direction means ascending, as in MLflow.
StatusOr<RunOrder> parse_run_order(std::string_view text);

}  // namespace credo::store
