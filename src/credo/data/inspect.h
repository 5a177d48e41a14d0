// What `credo inspect` reports: per table its size and per column its type, missing rate and
// range or levels; for the Home Credit folder, how the tables join (keys found, orphans,
// clients with history) and the default rate.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "credo/data/homecredit_loader.h"
#include "credo/data/table.h"

namespace credo {

struct ColumnSummary {
  std::string name;
  ColumnType type;
  size_t missing = 0;
  double missing_rate = 0;
  double min = 0, max = 0, mean = 0;                        // numeric columns, over non-missing
  size_t levels = 0;                                         // categorical columns
  std::vector<std::pair<std::string, double>> top_levels;   // up to 3 levels with their share
};

struct TableSummary {
  std::string name;
  size_t rows = 0;
  size_t memory_bytes = 0;
  std::vector<ColumnSummary> columns;
};

struct KeyRelation {
  std::string child;          // "bureau.SK_ID_CURR"
  std::string parent;         // "application_train+application_test.SK_ID_CURR"
  size_t child_rows = 0;
  size_t distinct_keys = 0;   // distinct key values in the child
  size_t orphan_rows = 0;     // child rows whose key is not in the parent
  size_t parents = 0;         // rows of the parent
  size_t parents_with_rows = 0;
};

struct DatasetSummary {
  std::string path;
  std::vector<TableSummary> tables;
  std::vector<std::string> absent_tables;
  std::vector<KeyRelation> relations;
  double default_rate = -1;  // TARGET mean in application_train, -1 if absent
};

TableSummary summarize_table(const Table& table, std::string name);
DatasetSummary summarize_homecredit(const HomeCreditData& data, std::string path);

// Plain-text renderings for a terminal; `with_columns` adds one line per column.
std::string render_table_summary(const TableSummary& summary);
std::string render_dataset_summary(const DatasetSummary& summary, bool with_columns);
nlohmann::json to_json(const TableSummary& summary);
nlohmann::json to_json(const DatasetSummary& summary);

}  // namespace credo
