// For tests: writes small Home Credit files by hand, each with its full Kaggle header, so a test
// states only the fields it is about and reads them back through the real loader.
#pragma once

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "credo/data/csv_writer.h"
#include "credo/data/homecredit.h"

namespace credo {

// One row of a file: column name -> text as it would be in the CSV (absent = empty field).
using HcRow = std::map<std::string, std::string>;

// Writes `rows` as `table`'s Kaggle file in `dir`, every column of its header in order.
inline void write_homecredit_rows(const std::filesystem::path& dir, HcTable table, const std::vector<HcRow>& rows) {
  const Schema& schema = homecredit_schema(table);
  std::string text;
  for (size_t c = 0; c < schema.size(); ++c) text += (c ? "," : "") + schema.columns[c].name;
  text += "\n";
  for (const auto& row : rows) {
    for (size_t c = 0; c < schema.size(); ++c) {
      if (c) text += ",";
      auto it = row.find(schema.columns[c].name);
      if (it != row.end()) append_csv_text(text, it->second);
    }
    text += "\n";
  }
  std::ofstream(dir / homecredit_table(table).file_name) << text;
}

}  // namespace credo
