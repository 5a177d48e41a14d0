// Internal to the CSV reader: the parallel part of reading a file, after its header. Chunks of
// whole records are cut from the byte stream, parsed on several threads and merged in file
// order into contiguous columns (csv_chunk.h parses one chunk).
#pragma once

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "credo/base/large_vector.h"
#include "credo/base/progress.h"
#include "credo/base/status.h"
#include "credo/data/byte_source.h"
#include "credo/data/column_builder.h"
#include "credo/data/csv_chunk.h"
#include "credo/data/table.h"

namespace credo::csv_internal {

// Where a chunk's rows are in the file, for messages that name a row's line.
struct ChunkPosition {
  size_t first_row = 0;
  size_t first_line = 0;  // 1-based line number of the chunk's first byte
  size_t rows = 0;
  bool multiline = false;
};

// A byte buffer that is not zero-filled when it grows: chunks are overwritten by read() at
// once, and zero-filling 8 MB per chunk cost 15% of the reading time.
struct TextBuffer {
  LargeBuffer buffer;
  size_t size = 0;
  size_t capacity = 0;
  char* data() const { return reinterpret_cast<char*>(buffer.data()); }
  void reserve(size_t n) {
    if (n <= capacity) return;
    LargeBuffer bigger(n);
    if (size) std::memcpy(bigger.data(), buffer.data(), size);
    buffer = std::move(bigger);
    capacity = n;
  }
  std::string_view view() const { return {data(), size}; }
};

// Recycles chunk buffers between the cutting thread and the parsers, so that the pages of a
// buffer are faulted in once rather than once per chunk.
class BufferPool {
 public:
  TextBuffer take() {
    std::lock_guard lock(mu_);
    if (free_.empty()) return {};
    TextBuffer b = std::move(free_.back());
    free_.pop_back();
    b.size = 0;
    return b;
  }
  void give(TextBuffer b) {
    std::lock_guard lock(mu_);
    free_.push_back(std::move(b));
  }

 private:
  std::mutex mu_;
  std::vector<TextBuffer> free_;
};

// Reads a CSV's records after its header: one thread cuts the stream into chunks of whole
// records (quote-aware), worker threads parse chunks into column pieces, and whichever worker
// finds the next chunk in file order merges it into the columns, freeing each piece as it is
// copied so that peak memory stays close to the size of the final table.
class ChunkPipeline {
 public:
  // `plan` (outliving the pipeline) says each column's type and whether it is read; `carry` is
  // the bytes read past the header, whose first line is `first_line`.
  ChunkPipeline(ByteSource& source, const std::vector<ColumnPlan>& plan, size_t block, size_t first_line,
                std::string carry, ProgressBar* progress);

  // Reads and parses everything, on `threads` threads (1: on the calling thread only). The
  // first error in file order is a ParseError naming the source and line.
  Status run(int threads);

  // The columns read (after a successful run), and where each chunk's rows are in the file.
  std::vector<Column> finish_columns();
  const std::vector<ChunkPosition>& positions() const { return positions_; }

 private:
  void cut_chunks(const std::function<void(size_t, TextBuffer)>& emit);
  void note_error_chunk(size_t index);
  void merge_chunk(ChunkResult& r, size_t index);
  void parse_one(size_t index, TextBuffer text);

  ByteSource& source_;
  const std::vector<ColumnPlan>& plan_;
  const size_t block_;
  std::string carry_;  // the bytes read past the header, the first chunk's start
  ProgressBar* progress_;
  BufferPool pool_;
  std::atomic<size_t> first_error_chunk_{SIZE_MAX};
  Status producer_status_;
  // Merging state, under merge_mu_ (the columns themselves only by the merging thread).
  std::mutex merge_mu_;
  std::vector<std::unique_ptr<ChunkResult>> pending_;
  size_t next_to_merge_ = 0;
  bool merging_ = false;
  Status parse_status_;
  std::mutex spare_mu_;
  std::vector<std::unique_ptr<ChunkResult>> spare_results_;  // arenas to recycle
  std::vector<ColumnBuilder> builders_;
  std::vector<size_t> kept_;  // plan index of each builder
  std::vector<ChunkPosition> positions_;
  size_t line_, rows_ = 0;
  const size_t total_bytes_;
};

}  // namespace credo::csv_internal
