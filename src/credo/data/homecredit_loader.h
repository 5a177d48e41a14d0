// Loads the Home Credit tables from the Kaggle folder or straight from its zip archive,
// each with its exact schema and key checks.
#pragma once

#include <array>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "credo/base/status.h"
#include "credo/data/csv_reader.h"
#include "credo/data/homecredit.h"
#include "credo/data/table.h"

namespace credo {

class ZipArchive;

// Where the eight files are: a folder or a zip archive.
class HomeCreditSource {
 public:
  // Fails with NotFound if `path` does not exist, InvalidArgument if it is neither a folder nor a zip.
  static StatusOr<HomeCreditSource> open(const std::string& path);

  bool has(HcTable table) const;
  StatusOr<std::unique_ptr<ByteSource>> open_table(HcTable table) const;
  const std::string& path() const { return path_; }
  bool is_zip() const { return zip_ != nullptr; }

 private:
  std::string path_;
  std::shared_ptr<ZipArchive> zip_;
};

struct HomeCreditLoadOptions {
  std::vector<HcTable> tables;  // empty = all eight
  bool require_all = true;      // a listed table whose file is absent is an error
  int threads = 0;
  FILE* progress = stderr;      // nullptr = quiet
};

struct HomeCreditData {
  std::array<std::optional<Table>, kHcTableCount> tables;
  const Table* get(HcTable t) const {
    auto& slot = tables[static_cast<size_t>(t)];
    return slot ? &*slot : nullptr;
  }
};

// Reads the tables with their Home Credit schemas; ids that must be unique are checked.
StatusOr<HomeCreditData> load_homecredit(const std::string& path, const HomeCreditLoadOptions& options = {});
// Reads one table with its schema and key check; `columns` (if not empty) are the only ones kept.
// Columns the Kaggle file does not have are an error naming them.
StatusOr<Table> load_homecredit_table(const HomeCreditSource& source, HcTable table, int threads, FILE* progress,
                                      const std::vector<std::string>& columns = {});

}  // namespace credo
