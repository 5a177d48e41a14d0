// The store flag and opening rule shared by every command that reads or writes the store.
#include "store_options.h"

#include <fstream>
#include <iterator>

#include "credo/store/model_uri.h"
#include "credo/store/store_location.h"

namespace credo::cli {

void add_store_flag(CLI::App* cmd, std::string& dir) {
  cmd->add_option("--store", dir, "Store folder (default: $CREDO_STORE, else ./credo-store)");
}

StatusOr<std::unique_ptr<store::Store>> open_command_store(const std::string& flag, bool create) {
  CREDO_ASSIGN_OR_RETURN(std::filesystem::path dir, store::resolve_store_dir(flag));
  return store::open_store(dir, create);
}

StatusOr<std::filesystem::path> resolve_model_flag(const std::string& model, const std::string& store_flag) {
  if (model.rfind("models:/", 0) != 0 && model.rfind("runs:/", 0) != 0) return std::filesystem::path(model);
  CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(store_flag, false));
  CREDO_ASSIGN_OR_RETURN(store::ResolvedModel resolved, store::resolve_model_uri(*store, model));
  return resolved.dir;
}

std::string this_command_line() {
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), {});
  std::string line;
  for (char c : raw) line.push_back(c == '\0' ? ' ' : c);
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

}  // namespace credo::cli
