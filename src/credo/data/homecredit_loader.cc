// Finding the eight files in a folder or a zip and reading them with their schemas.
#include "credo/data/homecredit_loader.h"

#include <filesystem>

#include "credo/data/zip_archive.h"

namespace credo {

namespace fs = std::filesystem;

StatusOr<HomeCreditSource> HomeCreditSource::open(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return Status::NotFound(path + ": no such file or folder");
  HomeCreditSource source;
  source.path_ = path;
  if (fs::is_directory(path, ec)) return source;
  if (!looks_like_zip(path))
    return Status::InvalidArgument(path + ": expected the Home Credit folder or its zip archive");
  CREDO_ASSIGN_OR_RETURN(source.zip_, ZipArchive::open(path));
  return source;
}

bool HomeCreditSource::has(HcTable table) const {
  const auto& info = homecredit_table(table);
  if (zip_) return zip_->find(std::string(info.file_name)) >= 0;
  std::error_code ec;
  return fs::is_regular_file(fs::path(path_) / info.file_name, ec);
}

StatusOr<std::unique_ptr<ByteSource>> HomeCreditSource::open_table(HcTable table) const {
  const auto& info = homecredit_table(table);
  if (zip_) {
    int index = zip_->find(std::string(info.file_name));
    if (index < 0) return Status::NotFound(path_ + ": the archive has no " + std::string(info.file_name));
    return zip_->open_member(index);
  }
  return open_file_source((fs::path(path_) / info.file_name).string());
}

StatusOr<Table> load_homecredit_table(const HomeCreditSource& source, HcTable table, int threads, FILE* progress,
                                      const std::vector<std::string>& columns) {
  const auto& info = homecredit_table(table);
  CREDO_ASSIGN_OR_RETURN(auto bytes, source.open_table(table));
  std::optional<ProgressBar> bar;
  if (progress && bytes_worth_a_bar(bytes->size_hint())) bar.emplace("reading " + std::string(info.file_name), bytes->size_hint(), "B", progress);
  CsvReadOptions options;
  options.schema = &homecredit_schema(table);
  options.unique_key = std::string(info.unique_key);
  options.reject_unknown_columns = true;
  options.columns = columns;
  options.threads = threads;
  options.progress = bar ? &*bar : nullptr;
  return read_csv(*bytes, options);
}

StatusOr<HomeCreditData> load_homecredit(const std::string& path, const HomeCreditLoadOptions& options) {
  CREDO_ASSIGN_OR_RETURN(HomeCreditSource source, HomeCreditSource::open(path));
  std::vector<HcTable> wanted = options.tables;
  if (wanted.empty())
    for (const auto& t : homecredit_tables()) wanted.push_back(t.id);
  HomeCreditData data;
  for (HcTable t : wanted) {
    if (!source.has(t)) {
      if (!options.require_all) continue;
      return Status::NotFound(path + ": " + std::string(homecredit_table(t).file_name) +
                              " is missing (expected the eight Home Credit CSV files)");
    }
    CREDO_ASSIGN_OR_RETURN(Table table, load_homecredit_table(source, t, options.threads, options.progress));
    data.tables[static_cast<size_t>(t)] = std::move(table);
  }
  return data;
}

}  // namespace credo
