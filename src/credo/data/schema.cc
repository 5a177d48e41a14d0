// Schema lookups.
#include "credo/data/schema.h"

namespace credo {

const char* column_type_name(ColumnType type) {
  switch (type) {
    case ColumnType::kInt64: return "int";
    case ColumnType::kDouble: return "float";
    case ColumnType::kCategorical: return "categorical";
  }
  return "?";
}

int Schema::index_of(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return static_cast<int>(i);
  return -1;
}

const ColumnSpec* Schema::find(std::string_view name) const {
  int i = index_of(name);
  return i < 0 ? nullptr : &columns[static_cast<size_t>(i)];
}

}  // namespace credo
