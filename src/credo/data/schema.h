// The logical types of a table's columns and their order: the one description of a file's
// layout that the CSV reader, the writer, the generator and later the features all read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace credo {

enum class ColumnType {
  kInt64,        // whole numbers (ids, counts, days); missing marked explicitly
  kDouble,       // real numbers; missing marked explicitly (and stored as NaN)
  kCategorical,  // text levels, dictionary-encoded; missing marked explicitly
};

// "int", "float", "categorical": the names used by profile.json and by `credo inspect`.
const char* column_type_name(ColumnType type);

struct ColumnSpec {
  std::string name;
  ColumnType type;
};

struct Schema {
  std::vector<ColumnSpec> columns;

  // Position of the column called `name`, or -1.
  int index_of(std::string_view name) const;
  const ColumnSpec* find(std::string_view name) const;
  size_t size() const { return columns.size(); }
};

}  // namespace credo
