// The in-memory columnar table every stage works on: typed, named columns of equal length
// with missing values marked explicitly. Columns are contiguous vectors so that a scan or a
// group-by over a 27M-row key column is a tight loop over one array.
#pragma once

#include <cmath>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "credo/base/large_vector.h"
#include "credo/base/status.h"
#include "credo/data/schema.h"

namespace credo {

class Column {
 public:
  Column() = default;
  // `missing` is empty (nothing missing) or one flag per value (1 = missing).
  static Column Int64(std::string name, LargeVector<int64_t> values, LargeVector<uint8_t> missing = {});
  // NaN is a missing value (one explicit mark, no separate flags).
  static Column Double(std::string name, LargeVector<double> values);
  // codes index `dictionary`; code -1 is missing.
  static Column Categorical(std::string name, LargeVector<int32_t> codes, std::vector<std::string> dictionary);

  const std::string& name() const { return name_; }
  ColumnType type() const { return type_; }
  size_t size() const;
  size_t missing_count() const { return missing_count_; }
  bool is_missing(size_t row) const {
    switch (type_) {
      case ColumnType::kInt64: return !missing_.empty() && missing_[row] != 0;
      case ColumnType::kDouble: return std::isnan(doubles_[row]);
      case ColumnType::kCategorical: return codes_[row] < 0;
    }
    return false;
  }

  // Typed access; calling the accessor of another type is a programming error.
  std::span<const int64_t> int64s() const { return ints_; }
  std::span<const double> doubles() const { return doubles_; }
  std::span<const int32_t> codes() const { return codes_; }
  // Int64 columns: one flag per value (1 = missing); empty when nothing is missing.
  std::span<const uint8_t> missing_flags() const { return missing_; }
  const std::vector<std::string>& dictionary() const { return dictionary_; }
  // Level of a categorical value ("" when missing).
  std::string_view category(size_t row) const {
    int32_t c = codes_[row];
    return c < 0 ? std::string_view() : std::string_view(dictionary_[static_cast<size_t>(c)]);
  }
  // Numeric value as double, NaN when missing or categorical.
  double as_double(size_t row) const {
    if (type_ == ColumnType::kDouble) return doubles_[row];
    if (type_ == ColumnType::kInt64 && !is_missing(row)) return static_cast<double>(ints_[row]);
    return NAN;
  }
  // Bytes held by the column's buffers.
  size_t memory_bytes() const;

 private:
  std::string name_;
  ColumnType type_ = ColumnType::kInt64;
  LargeVector<int64_t> ints_;
  LargeVector<double> doubles_;  // NaN = missing
  LargeVector<int32_t> codes_;   // -1 = missing
  std::vector<std::string> dictionary_;
  LargeVector<uint8_t> missing_;  // int64 only; empty when nothing is missing
  size_t missing_count_ = 0;
};

class Table {
 public:
  Table() = default;

  size_t num_rows() const { return num_rows_; }
  size_t num_columns() const { return columns_.size(); }
  const Column& column(size_t i) const { return columns_[i]; }
  const std::vector<Column>& columns() const { return columns_; }
  // The column called `name`, or nullptr.
  const Column* find(std::string_view name) const;
  // The column called `name`, or NotFound naming the column and the table.
  StatusOr<const Column*> get(std::string_view name) const;

  // Room for `columns` columns, for a table built column by column (no regrowth on the way).
  void reserve(size_t columns);
  // Appends a column; fails on a duplicate name or a length different from the others.
  Status add_column(Column column);
  // Replaces the column of the same name, or appends it; fails on a length mismatch.
  Status set_column(Column column);
  Schema schema() const;
  size_t memory_bytes() const;

  // Name used in error messages ("bureau.csv").
  const std::string& source() const { return source_; }
  void set_source(std::string source) { source_ = std::move(source); }

 private:
  std::vector<Column> columns_;
  // Looked up by string_view without building a std::string: find() runs per column per
  // request online, and names longer than 15 characters cost an allocation each.
  struct NameHash {
    using is_transparent = void;
    size_t operator()(std::string_view name) const { return std::hash<std::string_view>{}(name); }
  };
  std::unordered_map<std::string, size_t, NameHash, std::equal_to<>> index_;
  size_t num_rows_ = 0;
  std::string source_;
};

// The rows of `a` followed by the rows of `b`, for the columns `names` (each in both tables).
// Text dictionaries are merged; a whole-number column meeting a decimal one becomes decimal.
StatusOr<Table> concat_rows(const Table& a, const Table& b, const std::vector<std::string>& names);

// The rows `rows` of `t` (in that order), every column kept with its type and dictionary.
Table take_rows(const Table& t, const std::vector<size_t>& rows);

// An empty table with the columns of `schema`.
Table empty_table(const Schema& schema);

}  // namespace credo
