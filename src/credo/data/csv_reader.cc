// The CSV reading pipeline: one thread cuts the byte stream into chunks of whole records
// (quote-aware), worker threads parse chunks into column pieces, and the pieces are merged
// in order into contiguous columns, freeing each piece as it is copied so that peak memory
// stays close to the size of the final table.
#include "credo/data/csv_reader.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "credo/base/large_vector.h"
#include "credo/base/parallel.h"
#include "credo/data/column_builder.h"
#include "credo/data/csv_chunk.h"

namespace credo {

using csv_internal::ChunkResult;
using csv_internal::ColumnPiece;
using csv_internal::ColumnPlan;

namespace {

struct ChunkPosition {
  size_t first_row = 0;
  size_t first_line = 0;  // 1-based line number of the chunk's first byte
  size_t rows = 0;
  bool multiline = false;
};

// Line of a row for messages; exact unless records span lines in that chunk.
std::string describe_row(const std::vector<ChunkPosition>& chunks, size_t row) {
  for (const auto& c : chunks) {
    if (row >= c.first_row && row < c.first_row + c.rows) {
      if (!c.multiline) return "line " + std::to_string(c.first_line + (row - c.first_row));
      break;
    }
  }
  return "record " + std::to_string(row + 1);
}

// Reads the header record; `buffer` holds the bytes read so far and `consumed` is set past it.
Status read_header(ByteSource& source, std::string& buffer, size_t block, std::vector<std::string>& names,
                   size_t& consumed, size_t& header_newlines, ProgressBar* progress) {
  while (true) {
    std::string_view text(buffer);
    // The header ends at the first newline outside quotes.
    bool in_quotes = false;
    size_t end = std::string::npos;
    for (size_t i = 0; i < text.size(); ++i) {
      char c = text[i];
      if (c == '"') in_quotes = !in_quotes;
      else if (c == '\n' && !in_quotes) { end = i + 1; break; }
    }
    bool eof = false;
    if (end == std::string::npos) {
      size_t old = buffer.size();
      buffer.resize(old + block);
      CREDO_ASSIGN_OR_RETURN(size_t n, source.read(buffer.data() + old, block));
      buffer.resize(old + n);
      if (progress) progress->add(n);
      if (n > 0) continue;
      eof = true;
      end = buffer.size();
    }
    if (end == 0 || (eof && buffer.find_first_not_of(" \t\r\n") == std::string::npos)) {
      return Status::ParseError(source.name() + ": empty file (a header row is required)");
    }
    std::string_view header(buffer.data(), end);
    size_t skip = 0;
    if (header.substr(0, 3) == "\xEF\xBB\xBF") skip = 3;  // UTF-8 byte order mark
    const char* p = header.data() + skip;
    const char* hend = header.data() + header.size();
    std::string scratch;
    header_newlines = 0;
    while (true) {
      auto f = csv_internal::read_field(p, hend, scratch);
      if (f.error != csv_internal::FieldError::kNone)
        return Status::ParseError(source.name() + ":1: malformed header (unterminated or misplaced quote)");
      header_newlines += f.newlines;
      names.emplace_back(f.value);
      if (f.end != csv_internal::FieldEnd::kComma) break;
      if (p >= hend) { names.emplace_back(); break; }
    }
    header_newlines += 1;
    consumed = end;
    std::unordered_set<std::string> seen;
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i].empty()) names[i] = "Unnamed: " + std::to_string(i);  // pandas' name for it
      if (!seen.insert(names[i]).second)
        return Status::ParseError(source.name() + ":1: duplicate column '" + names[i] + "' in the header");
    }
    return Status::Ok();
  }
}

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

// Bounded queue of chunks between the cutting thread and the parsers.
struct ChunkQueue {
  std::mutex mu;
  std::condition_variable not_empty, not_full;
  std::deque<std::pair<size_t, TextBuffer>> items;
  size_t capacity = 4;
  bool closed = false;

  void push(size_t index, TextBuffer text) {
    std::unique_lock lock(mu);
    not_full.wait(lock, [&] { return items.size() < capacity; });
    items.emplace_back(index, std::move(text));
    not_empty.notify_one();
  }
  bool pop(std::pair<size_t, TextBuffer>& out) {
    std::unique_lock lock(mu);
    not_empty.wait(lock, [&] { return !items.empty() || closed; });
    if (items.empty()) return false;
    out = std::move(items.front());
    items.pop_front();
    not_full.notify_one();
    return true;
  }
  void close() {
    std::lock_guard lock(mu);
    closed = true;
    not_empty.notify_all();
  }
};

Status check_unique(const Table& table, const std::string& key, const std::vector<ChunkPosition>& positions) {
  const Column* col = table.find(key);
  if (col == nullptr) return Status::Ok();  // a missing required column was reported earlier
  if (col->type() != ColumnType::kInt64) {
    return Status::ParseError(table.source() + ": key column '" + key + "' must hold whole numbers");
  }
  auto values = col->int64s();
  std::vector<uint32_t> order(values.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
    return values[a] != values[b] ? values[a] < values[b] : a < b;
  });
  for (size_t i = 0; i < order.size(); ++i) {
    if (col->is_missing(order[i])) {
      return Status::ParseError(table.source() + ":" + describe_row(positions, order[i]).substr(5) + ": key column '" +
                                key + "' is empty");
    }
    if (i > 0 && values[order[i]] == values[order[i - 1]]) {
      return Status::ParseError(table.source() + ": duplicate " + key + " " + std::to_string(values[order[i]]) +
                                " (" + describe_row(positions, order[i - 1]) + " and " +
                                describe_row(positions, order[i]) + "); " + key + " must be unique");
    }
  }
  return Status::Ok();
}

}  // namespace

StatusOr<Table> read_csv(ByteSource& source, const CsvReadOptions& options) {
  const size_t block = std::max<size_t>(options.chunk_bytes, 16);
  ProgressBar* progress = options.progress;
  if (progress && source.size_hint() > 0) progress->set_total(source.size_hint());

  // 1. Header, then a first block to infer the types of columns the schema does not give.
  std::string buffer;
  const size_t first_block = std::max(block, options.infer_bytes);
  buffer.resize(first_block);
  CREDO_ASSIGN_OR_RETURN(size_t first_n, source.read(buffer.data(), first_block));
  buffer.resize(first_n);
  if (progress) progress->add(first_n);
  std::vector<std::string> names;
  size_t consumed = 0, header_newlines = 0;
  CREDO_RETURN_IF_ERROR(read_header(source, buffer, block, names, consumed, header_newlines, progress));
  std::string carry = buffer.substr(consumed);
  buffer = {};

  std::vector<ColumnPlan> plan(names.size());
  std::vector<size_t> needs_inference;
  for (size_t i = 0; i < names.size(); ++i) {
    plan[i].name = names[i];
    const ColumnSpec* spec = options.schema ? options.schema->find(names[i]) : nullptr;
    if (spec) {
      plan[i].type = spec->type;
      plan[i].inferred = false;
    } else {
      plan[i].inferred = true;
      needs_inference.push_back(i);
    }
  }
  if (options.schema) {
    std::string missing;
    for (const auto& spec : options.schema->columns) {
      if (std::find(names.begin(), names.end(), spec.name) == names.end())
        missing += (missing.empty() ? "" : ", ") + spec.name;
    }
    if (!missing.empty()) return Status::ParseError(source.name() + ":1: missing required column(s): " + missing);
    if (options.reject_unknown_columns) {
      std::string unknown;
      for (const auto& name : names)
        if (options.schema->find(name) == nullptr) unknown += (unknown.empty() ? "" : ", ") + name;
      if (!unknown.empty())
        return Status::ParseError(source.name() + ":1: unexpected column(s) " + unknown + " (not in the expected header)");
    }
  }
  if (!options.columns.empty()) {
    std::string absent;
    for (const auto& wanted : options.columns)
      if (std::find(names.begin(), names.end(), wanted) == names.end()) absent += (absent.empty() ? "" : ", ") + wanted;
    if (!absent.empty()) return Status::ParseError(source.name() + ":1: no column(s) " + absent + " in the header");
    for (auto& p : plan)
      p.skip = std::find(options.columns.begin(), options.columns.end(), p.name) == options.columns.end();
  }
  if (!needs_inference.empty()) {
    size_t cut = csv_internal::last_record_boundary(carry);
    std::string_view sample = cut == std::string_view::npos ? std::string_view(carry) : std::string_view(carry).substr(0, cut);
    auto types = csv_internal::infer_types(sample, names.size(), 100000);
    for (size_t i : needs_inference) plan[i].type = types[i];
  }

  // 2. Cut and parse in parallel.
  int threads = options.threads > 0 ? options.threads : default_thread_count();
  // One block or less: parsing it on the calling thread beats starting threads.
  if (source.size_hint() > 0 && source.size_hint() <= block) threads = 1;
  ChunkQueue queue;
  queue.capacity = static_cast<size_t>(threads) * 2;
  std::atomic<size_t> first_error_chunk{SIZE_MAX};
  // Chunks are merged into the columns in file order as soon as the chunks before them are in;
  // parsed chunks that arrive early wait in `pending`.
  std::mutex merge_mu;
  std::vector<std::unique_ptr<ChunkResult>> pending;
  std::mutex spare_mu;
  std::vector<std::unique_ptr<ChunkResult>> spare_results;  // arenas to recycle
  size_t next_to_merge = 0;
  bool merging = false;
  std::vector<csv_internal::ColumnBuilder> builders;
  std::vector<size_t> kept;  // plan index of each builder
  for (size_t i = 0; i < plan.size(); ++i) {
    if (plan[i].skip) continue;
    builders.emplace_back(plan[i].name, plan[i].type);
    kept.push_back(i);
  }
  std::vector<ChunkPosition> positions;
  size_t line = 1 + header_newlines, rows = 0;
  Status parse_status;
  const size_t total_bytes = source.size_hint();
  Status producer_status;

  // Cuts the stream into chunks of whole records and hands each to `emit(index, text)`.
  BufferPool pool;
  auto cut_chunks = [&](const std::function<void(size_t, TextBuffer)>& emit) {
    size_t index = 0;
    TextBuffer chunk = pool.take();
    chunk.reserve(carry.size() + block);
    std::memcpy(chunk.data(), carry.data(), carry.size());
    chunk.size = carry.size();
    carry = std::string();
    while (first_error_chunk.load() == SIZE_MAX) {
      chunk.reserve(chunk.size + block);
      auto n = source.read(chunk.data() + chunk.size, block);
      if (!n.ok()) { producer_status = n.status(); break; }
      chunk.size += *n;
      if (progress) progress->add(*n);
      if (*n == 0) {
        if (chunk.view().find_first_not_of("\r\n") != std::string::npos) emit(index++, std::move(chunk));
        break;
      }
      size_t cut = csv_internal::last_record_boundary(chunk.view());
      if (cut == std::string_view::npos) continue;  // a record longer than a block: read more
      TextBuffer next = pool.take();
      size_t rest = chunk.size - cut;
      next.reserve(std::max(rest + block, chunk.capacity));
      std::memcpy(next.data(), chunk.data() + cut, rest);
      next.size = rest;
      chunk.size = cut;
      emit(index++, std::move(chunk));
      chunk = std::move(next);
    }
  };
  // Appends a parsed chunk to the columns (called in file order, under merge_mu).
  auto merge_chunk = [&](ChunkResult& r, size_t index) {
    if (r.error.set) {
      parse_status = Status::ParseError(source.name() + ":" + std::to_string(line + r.error.line_in_chunk) + ": " +
                                        r.error.message);
      size_t cur = first_error_chunk.load();
      while (index < cur && !first_error_chunk.compare_exchange_weak(cur, index)) {}
      return;
    }
    if (index == 0 && total_bytes > 0 && r.text_bytes > 0) {
      // Reserve for the whole file from the first chunk's bytes per row.
      double rows_per_byte = static_cast<double>(r.rows) / static_cast<double>(r.text_bytes);
      size_t estimate = static_cast<size_t>(rows_per_byte * static_cast<double>(total_bytes) * 1.02) + 1024;
      for (auto& b : builders) b.reserve(estimate);
    }
    for (size_t c = 0; c < builders.size(); ++c) builders[c].append(r.columns[kept[c]]);
    positions.push_back({rows, line, r.rows, r.multiline});
    rows += r.rows;
    line += r.newlines;
  };
  auto parse_one = [&](size_t index, TextBuffer text) {
    if (index > first_error_chunk.load()) return;
    std::unique_ptr<ChunkResult> result;
    {
      std::lock_guard lock(spare_mu);
      if (!spare_results.empty()) {
        result = std::move(spare_results.back());
        spare_results.pop_back();
      }
    }
    if (!result) result = std::make_unique<ChunkResult>();
    csv_internal::parse_chunk(text.view(), plan, *result);
    result->text_bytes = text.size;
    pool.give(std::move(text));
    if (result->error.set) {
      size_t cur = first_error_chunk.load();
      while (index < cur && !first_error_chunk.compare_exchange_weak(cur, index)) {}
    }
    {
      std::lock_guard lock(merge_mu);
      if (pending.size() <= index) pending.resize(index + 1);
      pending[index] = std::move(result);
      if (merging) return;  // the thread that is merging will take this chunk in turn
      merging = true;
    }
    // This thread merges every chunk that is next in order; the others go on parsing.
    while (true) {
      std::unique_ptr<ChunkResult> next;
      size_t next_index;
      {
        std::lock_guard lock(merge_mu);
        if (next_to_merge >= pending.size() || !pending[next_to_merge] || !parse_status.ok()) {
          merging = false;
          return;
        }
        next = std::move(pending[next_to_merge]);
        next_index = next_to_merge;
      }
      merge_chunk(*next, next_index);
      {
        std::lock_guard lock(merge_mu);
        ++next_to_merge;
      }
      std::lock_guard spare_lock(spare_mu);
      spare_results.push_back(std::move(next));
    }
  };

  if (threads <= 1) {
    cut_chunks(parse_one);  // small inputs and single-thread callers: no threads started
  } else {
    std::thread producer([&] {
      cut_chunks([&](size_t index, TextBuffer text) { queue.push(index, std::move(text)); });
      queue.close();
    });
    auto worker = [&] {
      std::pair<size_t, TextBuffer> item;
      while (queue.pop(item)) parse_one(item.first, std::move(item.second));
    };
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) workers.emplace_back(worker);
    producer.join();
    for (auto& w : workers) w.join();
  }
  CREDO_RETURN_IF_ERROR(producer_status);

  CREDO_RETURN_IF_ERROR(parse_status);
  if (progress) progress->finish();
  pending.clear();
  spare_results.clear();

  std::vector<Column> columns;
  for (auto& b : builders) columns.push_back(b.finish());
  Table table;
  table.set_source(source.name());
  for (auto& col : columns) CREDO_RETURN_IF_ERROR(table.add_column(std::move(col)));
  if (!options.unique_key.empty()) CREDO_RETURN_IF_ERROR(check_unique(table, options.unique_key, positions));
  return table;
}

StatusOr<Table> read_csv_file(const std::string& path, const CsvReadOptions& options) {
  CREDO_ASSIGN_OR_RETURN(auto source, open_file_source(path));
  return read_csv(*source, options);
}

StatusOr<Table> read_csv_string(std::string text, std::string name, const CsvReadOptions& options) {
  auto source = make_string_source(std::move(text), std::move(name));
  return read_csv(*source, options);
}

}  // namespace credo
