// `credo inspect PATH`: describe a CSV file, or the Home Credit folder or zip (tables, columns,
// missing rates, key relations, default rate).
#include <filesystem>
#include <iostream>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "credo/data/homecredit_loader.h"
#include "credo/data/inspect.h"
#include "credo/data/zip_archive.h"

namespace credo::cli {
namespace {

struct InspectFlags {
  std::string path;
  bool columns = false;
  bool json = false;
  bool quiet = false;
  int threads = 0;
};

Status run_inspect(const InspectFlags& flags) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::exists(flags.path, ec)) return Status::NotFound(flags.path + ": no such file or folder");
  FILE* progress = flags.quiet ? nullptr : stderr;
  bool dataset = fs::is_directory(flags.path, ec) || looks_like_zip(flags.path);
  if (dataset) {
    HomeCreditLoadOptions options;
    options.require_all = false;
    options.threads = flags.threads;
    options.progress = progress;
    CREDO_ASSIGN_OR_RETURN(HomeCreditData data, load_homecredit(flags.path, options));
    DatasetSummary summary = summarize_homecredit(data, flags.path);
    if (summary.tables.empty())
      return Status::NotFound(flags.path + ": none of the eight Home Credit CSV files is there");
    if (flags.json) std::cout << to_json(summary).dump(2) << "\n";
    else std::cout << render_dataset_summary(summary, flags.columns);
    return Status::Ok();
  }
  // One CSV file: its Home Credit schema if the name is one of the eight, else inferred types.
  std::string file_name = fs::path(flags.path).filename().string();
  const HcTableInfo* info = find_homecredit_table(file_name);
  CsvReadOptions options;
  options.threads = flags.threads;
  if (info) {
    options.schema = &homecredit_schema(info->id);
    options.unique_key = std::string(info->unique_key);
  }
  CREDO_ASSIGN_OR_RETURN(auto source, open_file_source(flags.path));
  std::optional<ProgressBar> bar;
  if (progress && bytes_worth_a_bar(source->size_hint())) bar.emplace("reading " + file_name, source->size_hint(), "B", progress);
  options.progress = bar ? &*bar : nullptr;
  CREDO_ASSIGN_OR_RETURN(Table table, read_csv(*source, options));
  TableSummary summary = summarize_table(table, file_name);
  if (flags.json) std::cout << to_json(summary).dump(2) << "\n";
  else std::cout << render_table_summary(summary);
  return Status::Ok();
}

}  // namespace

void add_inspect_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<InspectFlags>();
  auto* cmd = app.add_subcommand("inspect", "Describe a CSV file or the Home Credit folder / zip");
  cmd->add_option("path", flags->path, "A CSV file, the Home Credit folder, or its zip archive")->required();
  cmd->add_flag("--columns", flags->columns, "Also list every column of every table");
  add_json_flag(cmd, flags->json);
  add_quiet_flag(cmd, flags->quiet);
  cmd->add_option("--threads", flags->threads, "Worker threads (default: all cores)");
  cmd->callback([flags, &exit_code] { exit_code = report(run_inspect(*flags)); });
}

}  // namespace credo::cli
