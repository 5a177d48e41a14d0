// Assembles one column from the pieces parsed chunk by chunk, in file order: appends values,
// keeps a growing dictionary for text levels, and promotes a whole-number column to double when
// a later piece holds decimals. The CSV reader merges each chunk as soon as the chunks before it
// are in, so a chunk's scratch memory is recycled at once and peak memory stays near the table.
#pragma once

#include <string>
#include <vector>

#include "credo/base/large_vector.h"
#include "credo/data/csv_chunk.h"
#include "credo/data/table.h"

namespace credo::csv_internal {

class ColumnBuilder {
 public:
  ColumnBuilder(std::string name, ColumnType type) : name_(std::move(name)), type_(type) {}

  // Reserves room for `rows` values (an estimate; appending past it still works).
  void reserve(size_t rows);
  // Appends the values of `piece` (which stays valid: its memory belongs to the chunk).
  void append(const ColumnPiece& piece);
  size_t size() const { return size_; }
  // The finished column; the builder is left empty.
  Column finish();

 private:
  void promote_to_double();

  std::string name_;
  ColumnType type_;
  size_t size_ = 0;
  LargeVector<int64_t> ints_;
  LargeVector<uint8_t> int_missing_;  // filled from the first missing int on
  bool tracks_missing_ = false;
  LargeVector<double> doubles_;
  LargeVector<int32_t> codes_;
  LevelIndex dictionary_;
  std::vector<int32_t> remap_;
};

}  // namespace credo::csv_internal
