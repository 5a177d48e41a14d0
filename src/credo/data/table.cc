// Column constructors and table bookkeeping.
#include "credo/data/table.h"

#include <algorithm>
#include <cassert>

namespace credo {

Column Column::Int64(std::string name, LargeVector<int64_t> values, LargeVector<uint8_t> missing) {
  Column c;
  c.name_ = std::move(name);
  c.type_ = ColumnType::kInt64;
  c.ints_ = std::move(values);
  assert(missing.empty() || missing.size() == c.ints_.size());
  size_t count = 0;
  for (uint8_t m : missing) count += m != 0;
  c.missing_count_ = count;
  if (count > 0) c.missing_ = std::move(missing);
  return c;
}

Column Column::Double(std::string name, LargeVector<double> values) {
  Column c;
  c.name_ = std::move(name);
  c.type_ = ColumnType::kDouble;
  c.doubles_ = std::move(values);
  size_t count = 0;
  for (double v : c.doubles_) count += std::isnan(v);
  c.missing_count_ = count;
  return c;
}

Column Column::Categorical(std::string name, LargeVector<int32_t> codes, std::vector<std::string> dictionary) {
  Column c;
  c.name_ = std::move(name);
  c.type_ = ColumnType::kCategorical;
  c.codes_ = std::move(codes);
  c.dictionary_ = std::move(dictionary);
  size_t count = 0;
  for (int32_t code : c.codes_) {
    assert(code < static_cast<int32_t>(c.dictionary_.size()));
    count += code < 0;
  }
  c.missing_count_ = count;
  return c;
}

size_t Column::size() const {
  switch (type_) {
    case ColumnType::kInt64: return ints_.size();
    case ColumnType::kDouble: return doubles_.size();
    case ColumnType::kCategorical: return codes_.size();
  }
  return 0;
}

size_t Column::memory_bytes() const {
  size_t bytes = ints_.capacity() * sizeof(int64_t) + doubles_.capacity() * sizeof(double) +
                 codes_.capacity() * sizeof(int32_t) + missing_.capacity();
  for (const auto& level : dictionary_) bytes += sizeof(std::string) + level.capacity();
  return bytes;
}

const Column* Table::find(std::string_view name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &columns_[it->second];
}

StatusOr<const Column*> Table::get(std::string_view name) const {
  const Column* c = find(name);
  if (c == nullptr) {
    return Status::NotFound("no column '" + std::string(name) + "'" +
                            (source_.empty() ? std::string() : " in " + source_));
  }
  return c;
}

void Table::reserve(size_t columns) {
  columns_.reserve(columns);
  index_.reserve(columns);
}

Status Table::add_column(Column column) {
  if (!columns_.empty() && column.size() != num_rows_ && !index_.count(column.name())) {
    return Status::InvalidArgument("column '" + column.name() + "' has " + std::to_string(column.size()) +
                                   " values, the table has " + std::to_string(num_rows_) + " rows");
  }
  // One hash of the name, not two: a posted application's table is built column by column.
  if (!index_.try_emplace(column.name(), columns_.size()).second) {
    return Status::InvalidArgument("duplicate column '" + column.name() + "'" +
                                   (source_.empty() ? std::string() : " in " + source_));
  }
  num_rows_ = column.size();
  columns_.push_back(std::move(column));
  return Status::Ok();
}

Status Table::set_column(Column column) {
  auto it = index_.find(column.name());
  if (it == index_.end()) return add_column(std::move(column));
  if (column.size() != num_rows_) {
    return Status::InvalidArgument("column '" + column.name() + "' has " + std::to_string(column.size()) +
                                   " values, the table has " + std::to_string(num_rows_) + " rows");
  }
  columns_[it->second] = std::move(column);
  return Status::Ok();
}

Schema Table::schema() const {
  Schema s;
  for (const auto& c : columns_) s.columns.push_back({c.name(), c.type()});
  return s;
}

StatusOr<Table> concat_rows(const Table& a, const Table& b, const std::vector<std::string>& names) {
  Table out;
  out.set_source(a.source());
  for (const auto& name : names) {
    CREDO_ASSIGN_OR_RETURN(const Column* x, a.get(name));
    CREDO_ASSIGN_OR_RETURN(const Column* y, b.get(name));
    bool x_text = x->type() == ColumnType::kCategorical, y_text = y->type() == ColumnType::kCategorical;
    if (x_text != y_text) return Status::InvalidArgument("column '" + name + "' is text in one table only");
    if (x_text) {
      std::vector<std::string> dictionary = x->dictionary();
      std::unordered_map<std::string, int32_t> index;
      for (size_t i = 0; i < dictionary.size(); ++i) index.emplace(dictionary[i], static_cast<int32_t>(i));
      std::vector<int32_t> remap(y->dictionary().size());
      for (size_t i = 0; i < remap.size(); ++i) {
        auto [it, added] = index.emplace(y->dictionary()[i], static_cast<int32_t>(dictionary.size()));
        if (added) dictionary.push_back(y->dictionary()[i]);
        remap[i] = it->second;
      }
      LargeVector<int32_t> codes(x->codes().begin(), x->codes().end());
      for (int32_t c : y->codes()) codes.push_back(c < 0 ? -1 : remap[static_cast<size_t>(c)]);
      CREDO_RETURN_IF_ERROR(out.add_column(Column::Categorical(name, std::move(codes), std::move(dictionary))));
    } else if (x->type() == ColumnType::kInt64 && y->type() == ColumnType::kInt64) {
      LargeVector<int64_t> values(x->int64s().begin(), x->int64s().end());
      values.insert(values.end(), y->int64s().begin(), y->int64s().end());
      LargeVector<uint8_t> missing;
      if (x->missing_count() + y->missing_count() > 0) {
        for (size_t r = 0; r < x->size(); ++r) missing.push_back(x->is_missing(r));
        for (size_t r = 0; r < y->size(); ++r) missing.push_back(y->is_missing(r));
      }
      CREDO_RETURN_IF_ERROR(out.add_column(Column::Int64(name, std::move(values), std::move(missing))));
    } else {
      LargeVector<double> values;
      values.reserve(x->size() + y->size());
      for (size_t r = 0; r < x->size(); ++r) values.push_back(x->as_double(r));
      for (size_t r = 0; r < y->size(); ++r) values.push_back(y->as_double(r));
      CREDO_RETURN_IF_ERROR(out.add_column(Column::Double(name, std::move(values))));
    }
  }
  return out;
}

Table take_rows(const Table& t, const std::vector<size_t>& rows) {
  Table out;
  out.set_source(t.source());
  for (const auto& c : t.columns()) {
    Column column;
    if (c.type() == ColumnType::kCategorical) {
      LargeVector<int32_t> codes;
      for (size_t r : rows) codes.push_back(c.codes()[r]);
      column = Column::Categorical(c.name(), std::move(codes), c.dictionary());
    } else if (c.type() == ColumnType::kDouble) {
      LargeVector<double> values;
      for (size_t r : rows) values.push_back(c.doubles()[r]);
      column = Column::Double(c.name(), std::move(values));
    } else {
      LargeVector<int64_t> values;
      LargeVector<uint8_t> missing;
      for (size_t r : rows) {
        values.push_back(c.int64s()[r]);
        if (c.missing_count()) missing.push_back(c.is_missing(r));
      }
      column = Column::Int64(c.name(), std::move(values), std::move(missing));
    }
    (void)out.add_column(std::move(column));
  }
  return out;
}

Table empty_table(const Schema& schema) {
  Table t;
  for (const auto& c : schema.columns) {
    Column column = c.type == ColumnType::kInt64    ? Column::Int64(c.name, {})
                    : c.type == ColumnType::kDouble ? Column::Double(c.name, {})
                                                    : Column::Categorical(c.name, {}, {});
    (void)t.add_column(std::move(column));
  }
  return t;
}

size_t Table::memory_bytes() const {
  size_t bytes = 0;
  for (const auto& c : columns_) bytes += c.memory_bytes();
  return bytes;
}

}  // namespace credo
