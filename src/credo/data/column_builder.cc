// Appending chunk pieces to a column.
#include "credo/data/column_builder.h"

#include <cmath>

namespace credo::csv_internal {

void ColumnBuilder::reserve(size_t rows) {
  switch (type_) {
    case ColumnType::kInt64: ints_.reserve(rows); break;
    case ColumnType::kDouble: doubles_.reserve(rows); break;
    case ColumnType::kCategorical: codes_.reserve(rows); break;
  }
}

void ColumnBuilder::promote_to_double() {
  LargeVector<double> values;
  values.reserve(std::max(ints_.capacity(), size_));
  for (size_t i = 0; i < size_; ++i)
    values.push_back(!int_missing_.empty() && int_missing_[i] ? NAN : static_cast<double>(ints_[i]));
  doubles_ = std::move(values);
  ints_ = {};
  int_missing_ = {};
  tracks_missing_ = false;
  type_ = ColumnType::kDouble;
}

void ColumnBuilder::append(const ColumnPiece& piece) {
  if (type_ == ColumnType::kInt64 && piece.type == ColumnType::kDouble) promote_to_double();
  switch (type_) {
    case ColumnType::kInt64:
      ints_.insert(ints_.end(), piece.ints, piece.ints + piece.size);
      if (piece.missing > 0 && !tracks_missing_) {
        tracks_missing_ = true;
        int_missing_.reserve(ints_.capacity());
        int_missing_.assign(size_, 0);
      }
      if (tracks_missing_) int_missing_.insert(int_missing_.end(), piece.int_missing, piece.int_missing + piece.size);
      break;
    case ColumnType::kDouble:
      if (piece.type == ColumnType::kDouble) {
        doubles_.insert(doubles_.end(), piece.doubles, piece.doubles + piece.size);
      } else {
        for (size_t i = 0; i < piece.size; ++i)
          doubles_.push_back(piece.int_missing[i] ? NAN : static_cast<double>(piece.ints[i]));
      }
      break;
    case ColumnType::kCategorical: {
      const auto& levels = piece.levels.levels();
      remap_.resize(levels.size());
      bool identity = true;
      for (size_t l = 0; l < levels.size(); ++l) {
        remap_[l] = dictionary_.code_of(levels[l]);
        identity &= remap_[l] == static_cast<int32_t>(l);
      }
      if (identity) {
        codes_.insert(codes_.end(), piece.codes, piece.codes + piece.size);
      } else {
        for (size_t i = 0; i < piece.size; ++i) {
          int32_t code = piece.codes[i];
          codes_.push_back(code < 0 ? -1 : remap_[static_cast<size_t>(code)]);
        }
      }
      break;
    }
  }
  size_ += piece.size;
}

Column ColumnBuilder::finish() {
  switch (type_) {
    case ColumnType::kInt64: return Column::Int64(std::move(name_), std::move(ints_), std::move(int_missing_));
    case ColumnType::kDouble: return Column::Double(std::move(name_), std::move(doubles_));
    case ColumnType::kCategorical: return Column::Categorical(std::move(name_), std::move(codes_), dictionary_.take_levels());
  }
  return {};
}

}  // namespace credo::csv_internal
