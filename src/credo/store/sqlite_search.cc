// Run search on SQLite: a RunFilter and RunOrders become one SELECT over `runs` in which each
// clause on a metric, param or tag is an indexed EXISTS lookup, and each order on one a scalar
// subquery, with every value bound (never spliced into the SQL text).
#include <variant>

#include "credo/store/sqlite_store.h"

namespace credo::store {
namespace {

using Binding = std::variant<int64_t, double, std::string>;

const char* attribute_column(const std::string& key) {
  if (key == "run_id") return "r.run_uuid";
  if (key == "run_name") return "r.name";
  if (key == "user") return "r.user_id";
  if (key == "status") return "r.status";
  if (key == "source") return "r.source";
  if (key == "git_commit") return "r.git_commit";
  if (key == "data_fingerprint") return "r.data_fingerprint";
  if (key == "parent_run_id") return "r.parent_run_id";
  if (key == "start_time") return "r.start_time";
  if (key == "end_time") return "r.end_time";
  return nullptr;
}

// SQL spells the comparators as the filter language does, but for ILIKE (lower() on both sides, then LIKE).
const char* sql_operator(Comparator op) { return op == Comparator::kILike ? "LIKE" : comparator_name(op); }

// "<lhs> <op> <placeholders>" for one clause, its values appended to `bindings`.
std::string comparison(const std::string& lhs, const FilterClause& clause, std::vector<Binding>& bindings) {
  if (clause.numeric) {
    bindings.emplace_back(clause.number);
    return lhs + " " + sql_operator(clause.op) + " ?";
  }
  if (clause.op == Comparator::kIn || clause.op == Comparator::kNotIn) {
    std::string list;
    for (const std::string& s : clause.strings) {
      list += list.empty() ? "?" : ", ?";
      bindings.emplace_back(s);
    }
    return lhs + " " + sql_operator(clause.op) + " (" + list + ")";
  }
  bindings.emplace_back(clause.strings.empty() ? std::string() : clause.strings[0]);
  if (clause.op == Comparator::kILike) return "lower(" + lhs + ") LIKE lower(?)";
  return lhs + " " + sql_operator(clause.op) + " ?";
}

StatusOr<std::string> clause_sql(const FilterClause& clause, std::vector<Binding>& bindings) {
  switch (clause.entity) {
    case FilterEntity::kAttribute: {
      const char* column = attribute_column(clause.key);
      if (!column) return Status::InvalidArgument("filter: unknown attribute '" + clause.key + "'");
      return comparison(column, clause, bindings);
    }
    case FilterEntity::kMetric: {
      bindings.emplace_back(clause.key);
      return "EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_uuid = r.run_uuid AND m.key = ? AND m.is_nan = 0 AND " +
             comparison("m.value", clause, bindings) + ")";
    }
    case FilterEntity::kParam:
    case FilterEntity::kTag: {
      const char* table = clause.entity == FilterEntity::kParam ? "params" : "tags";
      bindings.emplace_back(clause.key);
      return std::string("EXISTS (SELECT 1 FROM ") + table + " p WHERE p.run_uuid = r.run_uuid AND p.key = ? AND " +
             comparison("p.value", clause, bindings) + ")";
    }
  }
  return Status::Internal("filter: unknown entity");
}

StatusOr<std::string> order_sql(const RunOrder& order, std::vector<Binding>& bindings) {
  std::string expression;
  switch (order.entity) {
    case FilterEntity::kAttribute: {
      const char* column = attribute_column(order.key);
      if (!column) return Status::InvalidArgument("order by: unknown attribute '" + order.key + "'");
      expression = column;
      break;
    }
    case FilterEntity::kMetric:
      expression = "(SELECT m.value FROM latest_metrics m WHERE m.run_uuid = r.run_uuid AND m.key = ?)";
      bindings.emplace_back(order.key);
      break;
    case FilterEntity::kParam:
    case FilterEntity::kTag:
      expression = std::string("(SELECT p.value FROM ") + (order.entity == FilterEntity::kParam ? "params" : "tags") +
                   " p WHERE p.run_uuid = r.run_uuid AND p.key = ?)";
      bindings.emplace_back(order.key);
      break;
  }
  return expression + (order.ascending ? " ASC" : " DESC") + " NULLS LAST";
}

}  // namespace

StatusOr<std::vector<Run>> SqliteStore::search_runs(const RunSearch& search) {
  std::vector<Binding> bindings;
  std::string sql = std::string("SELECT ") + kRunColumns + " FROM runs r WHERE 1";
  if (!search.include_deleted) sql += " AND r.lifecycle_stage = 'active'";
  if (!search.experiment_ids.empty()) {
    sql += " AND r.experiment_id IN (";
    for (size_t i = 0; i < search.experiment_ids.size(); ++i) {
      sql += i ? ", ?" : "?";
      bindings.emplace_back(search.experiment_ids[i]);
    }
    sql += ")";
  }
  for (const FilterClause& clause : search.filter.clauses) {
    CREDO_ASSIGN_OR_RETURN(std::string condition, clause_sql(clause, bindings));
    sql += " AND " + condition;
  }
  sql += " ORDER BY ";
  for (const RunOrder& order : search.order_by) {
    CREDO_ASSIGN_OR_RETURN(std::string term, order_sql(order, bindings));
    sql += term + ", ";
  }
  sql += "r.start_time DESC, r.run_uuid";
  if (search.max_results > 0) {
    sql += " LIMIT ?";
    bindings.emplace_back(search.max_results);
  }

  std::lock_guard lock(mutex_);
  CREDO_ASSIGN_OR_RETURN(sql::ReadTransaction snapshot, sql::ReadTransaction::begin(db_));
  CREDO_ASSIGN_OR_RETURN(sql::Statement stmt, db_.prepare(sql));
  for (size_t i = 0; i < bindings.size(); ++i) {
    int index = static_cast<int>(i + 1);
    std::visit([&](const auto& value) { stmt.bind(index, value); }, bindings[i]);
  }
  std::vector<Run> runs;
  CREDO_RETURN_IF_ERROR(stmt.for_each_row([&] {
    runs.push_back(Run{read_run_columns(stmt, root_), {}, {}, {}});
  }));
  if (search.with_data)
    for (Run& run : runs) CREDO_RETURN_IF_ERROR(fill_run_data(run));
  return runs;
}

}  // namespace credo::store
