// Reading a CSV, in three steps: the start of the file (a binary file refused, the header read),
// each column's plan (schema or inferred type, read or skipped), then the records, cut into
// chunks parsed in parallel and merged in file order (csv_chunk_pipeline.h).
#include "credo/data/csv_reader.h"

#include <algorithm>
#include <unordered_set>

#include "credo/base/parallel.h"
#include "credo/base/text.h"
#include "credo/data/csv_chunk.h"
#include "credo/data/csv_chunk_pipeline.h"

namespace credo {

using csv_internal::ChunkPipeline;
using csv_internal::ChunkPosition;
using csv_internal::ColumnPlan;

namespace {

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
        return Status::ParseError(source.name() + ":1: duplicate column '" + printable_text(names[i], 60) +
                                  "' in the header");
    }
    return Status::Ok();
  }
}

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

// ---------------------------------------------------------------------------------------------
// Step 1: the start of the file. A binary file is refused before its bytes reach a message.

struct BinarySignature {
  std::string_view magic;
  const char* what;
};
// Each holds bytes no text starts with (plain-letter signatures such as bzip2's "BZh" could
// be a header's first name); other binary files are caught by their NUL bytes.
constexpr BinarySignature kBinarySignatures[] = {
    {"\x1f\x8b", "a gzip file"},          {"PK\x03\x04", "a zip archive"},
    {"PK\x05\x06", "a zip archive"},      {"\xFD" "7zXZ", "an xz file"},
    {"\x28\xB5\x2F\xFD", "a zstd file"}, {"7z\xBC\xAF\x27\x1C", "a 7-zip archive"},
};

// Refuses `first_bytes` (the start of the file) when they are a compressed file or an archive,
// or hold a NUL byte, which no text file does.
Status check_not_binary(std::string_view first_bytes, const std::string& name) {
  for (const auto& signature : kBinarySignatures) {
    if (first_bytes.substr(0, signature.magic.size()) != signature.magic) continue;
    const bool zip = signature.magic[0] == 'P';
    return Status::ParseError(name + ": this is " + signature.what + ", not a CSV" +
                              (zip ? " (unzip it, or give the Kaggle zip itself as --data)" : ""));
  }
  if (size_t nul = first_bytes.find('\0'); nul != std::string_view::npos)
    return Status::ParseError(name + ": this is a binary file, not a CSV (a NUL byte at offset " + std::to_string(nul) +
                              ")");
  return Status::Ok();
}

// The header's column names and what follows it in the first block.
struct CsvStart {
  std::vector<std::string> names;
  size_t header_newlines = 0;  // newlines inside the header record, its own included
  std::string carry;           // the bytes read past the header
};

// Reads the first block (at least `first_block` bytes when there are that many), refuses a
// binary file, and reads the header record.
StatusOr<CsvStart> read_start(ByteSource& source, size_t block, size_t first_block, ProgressBar* progress) {
  std::string buffer;
  buffer.resize(first_block);
  CREDO_ASSIGN_OR_RETURN(size_t first_n, source.read(buffer.data(), first_block));
  buffer.resize(first_n);
  if (progress) progress->add(first_n);
  CREDO_RETURN_IF_ERROR(check_not_binary(buffer, source.name()));
  CsvStart start;
  size_t consumed = 0;
  CREDO_RETURN_IF_ERROR(read_header(source, buffer, block, start.names, consumed, start.header_newlines, progress));
  start.carry = buffer.substr(consumed);
  return start;
}

// ---------------------------------------------------------------------------------------------
// Step 2: each column's type (the schema's or inferred from the first block) and whether it
// is read at all, after checking the header against the schema and the columns asked for.

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + printable_text(name, 60);
  return out;
}

StatusOr<std::vector<ColumnPlan>> plan_columns(const std::vector<std::string>& names, const CsvReadOptions& options,
                                               std::string_view first_records, const std::string& source_name) {
  auto in_header = [&](const std::string& name) { return std::find(names.begin(), names.end(), name) != names.end(); };
  if (options.schema) {
    std::vector<std::string> missing, unknown;
    for (const auto& spec : options.schema->columns)
      if (!in_header(spec.name)) missing.push_back(spec.name);
    if (!missing.empty()) return Status::ParseError(source_name + ":1: missing required column(s): " + joined(missing));
    for (const auto& name : names)
      if (options.reject_unknown_columns && options.schema->find(name) == nullptr) unknown.push_back(name);
    if (!unknown.empty())
      return Status::ParseError(source_name + ":1: unexpected column(s) " + joined(unknown) +
                                " (not in the expected header)");
  }
  std::vector<std::string> absent;
  for (const auto& wanted : options.columns)
    if (!in_header(wanted)) absent.push_back(wanted);
  if (!absent.empty()) return Status::ParseError(source_name + ":1: no column(s) " + joined(absent) + " in the header");

  std::vector<ColumnPlan> plan(names.size());
  bool needs_inference = false;
  for (size_t i = 0; i < names.size(); ++i) {
    plan[i].name = names[i];
    const ColumnSpec* spec = options.schema ? options.schema->find(names[i]) : nullptr;
    plan[i].inferred = spec == nullptr;
    if (spec) plan[i].type = spec->type;
    needs_inference |= plan[i].inferred;
    plan[i].skip = !options.columns.empty() &&
                   std::find(options.columns.begin(), options.columns.end(), names[i]) == options.columns.end();
  }
  if (needs_inference) {
    size_t cut = csv_internal::last_record_boundary(first_records);
    std::string_view sample = cut == std::string_view::npos ? first_records : first_records.substr(0, cut);
    auto types = csv_internal::infer_types(sample, names.size(), 100000);
    for (size_t i = 0; i < plan.size(); ++i)
      if (plan[i].inferred) plan[i].type = types[i];
  }
  return plan;
}

}  // namespace

StatusOr<Table> read_csv(ByteSource& source, const CsvReadOptions& options) {
  const size_t block = std::max<size_t>(options.chunk_bytes, 16);
  ProgressBar* progress = options.progress;
  if (progress && source.size_hint() > 0) progress->set_total(source.size_hint());

  CREDO_ASSIGN_OR_RETURN(CsvStart start, read_start(source, block, std::max(block, options.infer_bytes), progress));
  CREDO_ASSIGN_OR_RETURN(std::vector<ColumnPlan> plan, plan_columns(start.names, options, start.carry, source.name()));

  int threads = options.threads > 0 ? options.threads : default_thread_count();
  // One block or less: parsing it on the calling thread beats starting threads.
  if (source.size_hint() > 0 && source.size_hint() <= block) threads = 1;
  ChunkPipeline chunks(source, plan, block, 1 + start.header_newlines, std::move(start.carry), progress);
  CREDO_RETURN_IF_ERROR(chunks.run(threads));
  if (progress) progress->finish();

  Table table;
  table.set_source(source.name());
  for (auto& col : chunks.finish_columns()) CREDO_RETURN_IF_ERROR(table.add_column(std::move(col)));
  if (!options.unique_key.empty()) CREDO_RETURN_IF_ERROR(check_unique(table, options.unique_key, chunks.positions()));
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
