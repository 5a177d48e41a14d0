// Compiling a feature spec against the Home Credit schemas: which tables and keys, which
// columns to read, compiled expressions, joins; and the checks that keep TARGET out of features.
#include "credo/features/feature_plan.h"

#include <set>

#include "credo/base/text.h"

namespace credo::features_internal {
namespace {

Status spec_error(const FeatureSpec& spec, int line, const std::string& what) {
  return Status::InvalidArgument(spec.source + ":" + std::to_string(line) + ": " + what);
}

}  // namespace

StatusOr<std::vector<TablePlan>> plan_tables(const FeatureSpec& spec) {
  std::vector<TablePlan> plans;
  for (const auto& st : spec.tables) {
    TablePlan plan;
    plan.statement = st;
    Schema schema;
    if (st.name == "application") {
      plan.is_application = true;
      if (!st.key.empty()) return spec_error(spec, st.line, "table application has one row per client: no 'by'");
      schema = homecredit_schema(HcTable::kApplicationTest);
    } else {
      const HcTableInfo* info = find_homecredit_table(st.name);
      if (info == nullptr || info->id == HcTable::kApplicationTrain || info->id == HcTable::kApplicationTest)
        return spec_error(spec, st.line,
                          "unknown table '" + st.name +
                              "' (expected application, bureau, bureau_balance, previous_application, "
                              "POS_CASH_balance, installments_payments or credit_card_balance)");
      plan.table = info->id;
      schema = homecredit_schema(info->id);
      if (st.key.empty()) return spec_error(spec, st.line, "table " + st.name + " needs 'by KEY' to group its rows");
      const ColumnSpec* key = schema.find(st.key);
      if (key == nullptr || key->type != ColumnType::kInt64)
        return spec_error(spec, st.line, "'" + st.key + "' is not an id column of " + st.name);
    }
    std::set<std::string> load;
    if (plan.is_application) {
      for (const auto& c : schema.columns) load.insert(c.name);
    } else {
      load.insert(st.key);
    }
    // Joined tables: declared before, grouped by a column of this table.
    std::set<std::string> joined_names;  // columns that joins may add (known once fitted)
    for (const auto& child_name : st.joins) {
      size_t j = 0;
      while (j < plans.size() && plans[j].statement.name != child_name) ++j;
      TablePlan& child = plans[j];
      if (child.is_application) return spec_error(spec, st.line, "the application table cannot be joined");
      if (child.is_child)
        return spec_error(spec, st.line, "table " + child_name + " is already joined by another table");
      if (schema.find(child.statement.key) == nullptr)
        return spec_error(spec, st.line,
                          "join " + child_name + ": " + st.name + " has no column " + child.statement.key);
      child.is_child = true;
      plan.children.push_back(j);
      load.insert(child.statement.key);
    }
    std::set<std::string> known;  // columns available to expressions, in order of definition
    for (const auto& c : schema.columns) known.insert(c.name);
    auto need = [&](const std::string& column, int line) -> Status {
      if (schema.find(column)) {
        load.insert(column);
        return Status::Ok();
      }
      if (known.count(column) || !plan.children.empty()) return Status::Ok();
      return spec_error(spec, line, "table " + st.name + " has no column '" + column + "'");
    };
    for (const auto& m : st.missing)
      if (m.column != "*" && schema.find(m.column) == nullptr)
        return spec_error(spec, m.line, "table " + st.name + " has no column '" + m.column + "'");
    for (const auto& d : st.derived) {
      auto e = Expression::parse(d.expression);
      if (!e.ok()) return spec_error(spec, d.line, "derive " + d.name + ": " + e.status().message());
      for (const auto& c : e->columns()) CREDO_RETURN_IF_ERROR(need(c, d.line));
      if (known.count(d.name)) return spec_error(spec, d.line, "column '" + d.name + "' already exists in " + st.name);
      known.insert(d.name);
      plan.derived.push_back(std::move(*e));
    }
    auto check_aggregates = [&](const std::vector<AggregateStatement>& aggregates) -> Status {
      for (const auto& a : aggregates) {
        for (const auto& column : a.columns) {
          if (column.find('*') != std::string::npos) {
            for (const auto& c : schema.columns)
              if (name_matches(column, c.name)) load.insert(c.name);
            continue;
          }
          CREDO_RETURN_IF_ERROR(need(column, a.line));
          const ColumnSpec* c = schema.find(column);
          if (c == nullptr) continue;
          for (Aggregation g : a.aggregations) {
            bool text = c->type == ColumnType::kCategorical;
            if (text && g != Aggregation::kShare && g != Aggregation::kCount && g != Aggregation::kNunique)
              return spec_error(spec, a.line, "'" + column + "' is text: only share, count and nunique apply to it");
            if (!text && g == Aggregation::kShare)
              return spec_error(spec, a.line, "'" + column + "' is a number: share applies to text columns");
          }
        }
      }
      return Status::Ok();
    };
    CREDO_RETURN_IF_ERROR(check_aggregates(st.aggregates));
    for (const auto& f : st.filters) {
      auto e = Expression::parse(f.expression);
      if (!e.ok()) return spec_error(spec, f.line, "filter " + f.name + ": " + e.status().message());
      for (const auto& c : e->columns()) CREDO_RETURN_IF_ERROR(need(c, f.line));
      plan.filters.push_back(std::move(*e));
      CREDO_RETURN_IF_ERROR(check_aggregates(f.aggregates));
    }
    for (const auto& enc : st.encodings) {
      if (!plan.is_application) return spec_error(spec, enc.line, "encode applies to the application table only");
      for (const auto& c : enc.columns) {
        if (c == "*") continue;
        const ColumnSpec* col = schema.find(c);
        if (col == nullptr) return spec_error(spec, enc.line, "table application has no column '" + c + "'");
        if (col->type != ColumnType::kCategorical)
          return spec_error(spec, enc.line, "'" + c + "' is a number: encode applies to text columns");
      }
    }
    // Keep the file's column order for the reader.
    for (const auto& c : schema.columns)
      if (load.count(c.name)) plan.load_columns.push_back(c.name);
    if (load.count("TARGET") || std::find(st.joins.begin(), st.joins.end(), "TARGET") != st.joins.end())
      return spec_error(spec, st.line, "TARGET cannot be an input of features");
    plans.push_back(std::move(plan));
  }
  // TARGET must never flow into a feature except through out-of-fold target encoding.
  for (const auto& p : plans) {
    for (const auto& e : p.derived)
      for (const auto& c : e.columns())
        if (c == "TARGET") return spec_error(spec, p.statement.line, "a derived column reads TARGET: that is leakage");
    for (const auto& e : p.filters)
      for (const auto& c : e.columns())
        if (c == "TARGET") return spec_error(spec, p.statement.line, "a filter reads TARGET: that is leakage");
  }
  return plans;
}

}  // namespace credo::features_internal
