// libFuzzer harness for the CSV reader: any bytes must give a table or a clean error,
// never a crash, a leak or undefined behaviour; a table that was read must survive a
// write/read round trip with the same shape.
#include <cstdint>
#include <string>

#include "credo/data/csv_reader.h"
#include "credo/data/csv_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the chunk size and thread count, so chunk boundaries get fuzzed too.
  uint8_t knobs = data[0];
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  credo::CsvReadOptions options;
  options.chunk_bytes = 16u << (knobs & 7);
  options.infer_bytes = options.chunk_bytes;
  options.threads = 1 + ((knobs >> 3) & 1);
  static const credo::Schema schema{{{"a", credo::ColumnType::kInt64}, {"b", credo::ColumnType::kCategorical}}};
  if (knobs & 0x10) options.schema = &schema;
  if (knobs & 0x20) options.unique_key = "a";
  auto table = credo::read_csv_string(text, "fuzz.csv", options);
  if (!table.ok()) return 0;
  std::string written = credo::to_csv_string(*table);
  credo::CsvReadOptions again;
  again.schema = options.schema;
  auto reread = credo::read_csv_string(written, "fuzz2.csv", again);
  if (table->num_columns() > 0 && reread.ok() && reread->num_rows() != table->num_rows()) {
    // Rows of only empty fields are written as blank lines for one-column tables; otherwise
    // the row count must survive.
    if (table->num_columns() > 1) __builtin_trap();
  }
  return 0;
}
