// The parallel chunk pipeline of the CSV reader (see csv_chunk_pipeline.h).
#include "credo/data/csv_chunk_pipeline.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <thread>

namespace credo::csv_internal {
namespace {

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

}  // namespace

ChunkPipeline::ChunkPipeline(ByteSource& source, const std::vector<ColumnPlan>& plan, size_t block,
                             size_t first_line, std::string carry, ProgressBar* progress)
    : source_(source), plan_(plan), block_(block), carry_(std::move(carry)), progress_(progress),
      line_(first_line), total_bytes_(source.size_hint()) {
  for (size_t i = 0; i < plan.size(); ++i) {
    if (plan[i].skip) continue;
    builders_.emplace_back(plan[i].name, plan[i].type);
    kept_.push_back(i);
  }
}

Status ChunkPipeline::run(int threads) {
  if (threads <= 1) {
    cut_chunks([&](size_t index, TextBuffer text) { parse_one(index, std::move(text)); });
  } else {
    ChunkQueue queue;
    queue.capacity = static_cast<size_t>(threads) * 2;
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
  CREDO_RETURN_IF_ERROR(producer_status_);
  CREDO_RETURN_IF_ERROR(parse_status_);
  pending_.clear();
  spare_results_.clear();
  return Status::Ok();
}

std::vector<Column> ChunkPipeline::finish_columns() {
  std::vector<Column> columns;
  for (auto& b : builders_) columns.push_back(b.finish());
  return columns;
}

// Cuts the stream into chunks of whole records and hands each to `emit(index, text)`.
void ChunkPipeline::cut_chunks(const std::function<void(size_t, TextBuffer)>& emit) {
  size_t index = 0;
  TextBuffer chunk = pool_.take();
  chunk.reserve(carry_.size() + block_);
  std::memcpy(chunk.data(), carry_.data(), carry_.size());
  chunk.size = carry_.size();
  carry_ = std::string();
  while (first_error_chunk_.load() == SIZE_MAX) {
    chunk.reserve(chunk.size + block_);
    auto n = source_.read(chunk.data() + chunk.size, block_);
    if (!n.ok()) {
      producer_status_ = n.status();
      break;
    }
    chunk.size += *n;
    if (progress_) progress_->add(*n);
    if (*n == 0) {
      if (chunk.view().find_first_not_of("\r\n") != std::string::npos) emit(index++, std::move(chunk));
      break;
    }
    size_t cut = last_record_boundary(chunk.view());
    if (cut == std::string_view::npos) continue;  // a record longer than a block: read more
    TextBuffer next = pool_.take();
    size_t rest = chunk.size - cut;
    next.reserve(std::max(rest + block_, chunk.capacity));
    std::memcpy(next.data(), chunk.data() + cut, rest);
    next.size = rest;
    chunk.size = cut;
    emit(index++, std::move(chunk));
    chunk = std::move(next);
  }
}

void ChunkPipeline::note_error_chunk(size_t index) {
  size_t cur = first_error_chunk_.load();
  while (index < cur && !first_error_chunk_.compare_exchange_weak(cur, index)) {}
}

// Appends a parsed chunk to the columns (called in file order, under merge_mu_).
void ChunkPipeline::merge_chunk(ChunkResult& r, size_t index) {
  if (r.error.set) {
    parse_status_ = Status::ParseError(source_.name() + ":" + std::to_string(line_ + r.error.line_in_chunk) + ": " +
                                       r.error.message);
    note_error_chunk(index);
    return;
  }
  if (index == 0 && total_bytes_ > 0 && r.text_bytes > 0) {
    // Reserve for the whole file from the first chunk's bytes per row.
    double rows_per_byte = static_cast<double>(r.rows) / static_cast<double>(r.text_bytes);
    size_t estimate = static_cast<size_t>(rows_per_byte * static_cast<double>(total_bytes_) * 1.02) + 1024;
    for (auto& b : builders_) b.reserve(estimate);
  }
  for (size_t c = 0; c < builders_.size(); ++c) builders_[c].append(r.columns[kept_[c]]);
  positions_.push_back({rows_, line_, r.rows, r.multiline});
  rows_ += r.rows;
  line_ += r.newlines;
}

// Parses one chunk, then merges every chunk that is next in order unless another thread is
// merging (parsed chunks that arrive early wait in pending_).
void ChunkPipeline::parse_one(size_t index, TextBuffer text) {
  if (index > first_error_chunk_.load()) return;
  std::unique_ptr<ChunkResult> result;
  {
    std::lock_guard lock(spare_mu_);
    if (!spare_results_.empty()) {
      result = std::move(spare_results_.back());
      spare_results_.pop_back();
    }
  }
  if (!result) result = std::make_unique<ChunkResult>();
  parse_chunk(text.view(), plan_, *result);
  result->text_bytes = text.size;
  pool_.give(std::move(text));
  if (result->error.set) note_error_chunk(index);
  {
    std::lock_guard lock(merge_mu_);
    if (pending_.size() <= index) pending_.resize(index + 1);
    pending_[index] = std::move(result);
    if (merging_) return;  // the thread that is merging will take this chunk in turn
    merging_ = true;
  }
  while (true) {
    std::unique_ptr<ChunkResult> next;
    size_t next_index;
    {
      std::lock_guard lock(merge_mu_);
      if (next_to_merge_ >= pending_.size() || !pending_[next_to_merge_] || !parse_status_.ok()) {
        merging_ = false;
        return;
      }
      next = std::move(pending_[next_to_merge_]);
      next_index = next_to_merge_;
    }
    merge_chunk(*next, next_index);
    {
      std::lock_guard lock(merge_mu_);
      ++next_to_merge_;
    }
    std::lock_guard spare_lock(spare_mu_);
    spare_results_.push_back(std::move(next));
  }
}

}  // namespace credo::csv_internal
