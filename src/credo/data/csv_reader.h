// A fast RFC 4180 CSV reader into typed columnar tables, parsing chunks on all cores.
// Types come from a schema (the Home Credit files) or are inferred (any other file).
// Every malformed input gives a Status naming the file, line, column and value (binary bytes
// escaped); a binary file (NUL bytes, a zip, gzip or other compressed stream) is refused as such.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "credo/base/progress.h"
#include "credo/base/status.h"
#include "credo/data/byte_source.h"
#include "credo/data/schema.h"
#include "credo/data/table.h"

namespace credo {

struct CsvReadOptions {
  // Types by column name. Every schema column must be in the header (else an error naming it);
  // header columns not in the schema are read with inferred types.
  const Schema* schema = nullptr;
  // With a schema: a header column the schema does not know is an error naming it (the Home
  // Credit files must be exactly the Kaggle ones), instead of a column of inferred type.
  bool reject_unknown_columns = false;
  // Columns to keep (others are scanned over, costing neither memory nor parsing); empty = all.
  // A listed column absent from the header is an error naming it.
  std::vector<std::string> columns;
  // A column whose values must be unique (e.g. SK_ID_CURR in application_train); "" = none.
  std::string unique_key;
  int threads = 0;                   // 0 = all cores
  size_t chunk_bytes = 8u << 20;     // bytes per parallel chunk
  size_t infer_bytes = 4u << 20;     // types of unknown columns are inferred from the first bytes
  ProgressBar* progress = nullptr;   // advanced by bytes read
};

StatusOr<Table> read_csv(ByteSource& source, const CsvReadOptions& options = {});
StatusOr<Table> read_csv_file(const std::string& path, const CsvReadOptions& options = {});
StatusOr<Table> read_csv_string(std::string text, std::string name, const CsvReadOptions& options = {});

}  // namespace credo
