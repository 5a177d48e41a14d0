// `credo models list|show|register|alias|archive`: the model registry from the command line.
#include <algorithm>
#include <iostream>
#include <set>

#include "commands.h"
#include "credo/base/text_table.h"
#include "credo/store/store_json.h"
#include "store_options.h"

namespace credo::cli {
namespace {

struct ModelsFlags {
  std::string store, name, run, artifact_path = "model", description, alias_spec, reason, moved_by;
  int64_t version = 0;
  bool json = false;
  bool remove = false;
  bool restore = false;
};

std::string current_user() {
  const char* user = std::getenv("USER");
  return user && *user ? user : "unknown";
}

// "champion, challenger" for the aliases of `version`.
std::string aliases_of(const store::RegisteredModel& model, int64_t version) {
  std::string out;
  for (const auto& [alias, v] : model.aliases)
    if (v == version) out += (out.empty() ? "" : ", ") + alias;
  return out;
}

Status list_models(const ModelsFlags& flags) {
  CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(flags.store, false));
  CREDO_ASSIGN_OR_RETURN(std::vector<store::RegisteredModel> models, store->list_registered_models());
  if (flags.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : models) out.push_back(store::to_json(m));
    std::cout << out.dump(2) << "\n";
    return Status::Ok();
  }
  TextTable table({"NAME", "VERSIONS", "ALIASES", "UPDATED", "DESCRIPTION"});
  for (const auto& m : models) {
    std::string aliases;
    for (const auto& [alias, v] : m.aliases) aliases += (aliases.empty() ? "" : ", ") + alias + "=v" + std::to_string(v);
    table.add_row({m.name, std::to_string(m.latest_version), aliases, format_time_ms(m.last_update_time_ms), m.description});
  }
  std::cout << table.render();
  return Status::Ok();
}

Status show_model(const ModelsFlags& flags) {
  CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(flags.store, false));
  CREDO_ASSIGN_OR_RETURN(store::RegisteredModel model, store->get_registered_model(flags.name));
  CREDO_ASSIGN_OR_RETURN(std::vector<store::ModelVersion> versions, store->list_model_versions(flags.name));
  CREDO_ASSIGN_OR_RETURN(std::vector<store::AliasMove> history, store->alias_history(flags.name));
  if (flags.json) {
    nlohmann::json out = store::to_json(model);
    out["versions"] = nlohmann::json::array();
    for (const auto& v : versions) out["versions"].push_back(store::to_json(v));
    out["alias_history"] = nlohmann::json::array();
    for (const auto& move : history) out["alias_history"].push_back(store::to_json(move));
    std::cout << out.dump(2) << "\n";
    return Status::Ok();
  }
  std::cout << "model        " << model.name << "\n";
  if (!model.description.empty()) std::cout << "description  " << model.description << "\n";
  std::cout << "created      " << format_time_ms(model.creation_time_ms) << "\n";
  // The metrics every version has, shown as columns (at most six), so versions compare at a glance.
  std::set<std::string> shared;
  for (size_t i = 0; i < versions.size(); ++i) {
    std::set<std::string> keys;
    for (const auto& [key, value] : versions[i].metrics) keys.insert(key);
    if (i == 0) shared = keys;
    else std::erase_if(shared, [&](const std::string& k) { return !keys.count(k); });
  }
  std::vector<std::string> metric_keys;
  for (const std::string& key : headline_metrics())
    if (shared.count(key)) metric_keys.push_back(key);
  for (const std::string& key : shared)
    if (metric_keys.size() < 6 && std::find(metric_keys.begin(), metric_keys.end(), key) == metric_keys.end())
      metric_keys.push_back(key);
  // `credo train` tags each version with what it is and how it decides.
  auto tag = [](const store::ModelVersion& v, const std::string& key) {
    auto it = v.tags.find(key);
    return it == v.tags.end() ? std::string("-") : it->second;
  };
  std::vector<std::string> headers = {"VERSION", "STATUS", "ALIASES", "ALGORITHM", "RUN", "CREATED"};
  for (const auto& k : metric_keys) headers.push_back(k);
  headers.push_back("COST MATRIX");
  TextTable table(headers);
  for (const auto& v : versions) {
    std::vector<std::string> row = {std::to_string(v.version), v.status, aliases_of(model, v.version),
                                    tag(v, "algorithm"), v.run_id.substr(0, 8), format_time_ms(v.creation_time_ms)};
    for (const auto& k : metric_keys) row.push_back(format_number(v.metrics.at(k)));
    row.push_back(tag(v, "cost_matrix"));
    table.add_row(std::move(row));
  }
  std::cout << "\nversions (" << versions.size() << ")\n" << table.render();
  TextTable moves({"WHEN", "ALIAS", "FROM", "TO", "BY", "REASON"}, 60);
  for (const auto& m : history)
    moves.add_row({format_time_ms(m.time_ms), m.alias, m.from_version ? "v" + std::to_string(*m.from_version) : "-",
                   m.to_version ? "v" + std::to_string(*m.to_version) : "(removed)", m.moved_by, m.reason});
  std::cout << "\nalias history (" << history.size() << ")\n";
  if (!history.empty()) std::cout << moves.render();
  return Status::Ok();
}

Status register_model(const ModelsFlags& flags) {
  CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(flags.store, false));
  CREDO_ASSIGN_OR_RETURN(store::ModelVersion v,
                         store->create_model_version(flags.name, flags.run, flags.artifact_path, flags.description));
  std::cout << "registered " << v.name << " version " << v.version << " (models:/" << v.name << "/" << v.version
            << ") from " << v.source << "\n";
  return Status::Ok();
}

Status move_alias(const ModelsFlags& flags) {
  size_t at = flags.alias_spec.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == flags.alias_spec.size())
    return Status::InvalidArgument("expected NAME@ALIAS, e.g. credit-default@champion, got '" + flags.alias_spec + "'");
  std::string name = flags.alias_spec.substr(0, at), alias = flags.alias_spec.substr(at + 1);
  std::string by = flags.moved_by.empty() ? current_user() : flags.moved_by;
  CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(flags.store, false));
  if (flags.remove) {
    CREDO_RETURN_IF_ERROR(store->delete_alias(name, alias, by, flags.reason));
    std::cout << name << "@" << alias << " removed\n";
    return Status::Ok();
  }
  if (flags.version < 1) return Status::InvalidArgument("give the VERSION the alias should point at (or --delete)");
  CREDO_RETURN_IF_ERROR(store->set_alias(name, alias, flags.version, by, flags.reason));
  std::cout << name << "@" << alias << " -> version " << flags.version << "\n";
  return Status::Ok();
}

Status archive_version(const ModelsFlags& flags) {
  CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(flags.store, false));
  std::string status = flags.restore ? "READY" : "ARCHIVED";
  CREDO_RETURN_IF_ERROR(store->set_model_version_status(flags.name, flags.version, status));
  std::cout << flags.name << " version " << flags.version << " is " << status << "\n";
  return Status::Ok();
}

}  // namespace

void add_models_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ModelsFlags>();
  CLI::App* cmd = app.add_subcommand("models", "The model registry: versions, aliases, archiving");
  cmd->require_subcommand(1);

  CLI::App* list = cmd->add_subcommand("list", "Registered models");
  add_store_flag(list, flags->store);
  add_json_flag(list, flags->json);
  list->callback([flags, &exit_code] { exit_code = report(list_models(*flags)); });

  CLI::App* show = cmd->add_subcommand("show", "A model's versions, their metrics, its aliases and their history");
  add_store_flag(show, flags->store);
  show->add_option("name", flags->name, "Registered model name")->required();
  add_json_flag(show, flags->json);
  show->callback([flags, &exit_code] { exit_code = report(show_model(*flags)); });

  CLI::App* reg = cmd->add_subcommand("register", "Register a run's model folder as a new version");
  add_store_flag(reg, flags->store);
  reg->add_option("run", flags->run, "Run id (or a unique prefix)")->required();
  reg->add_option("--name", flags->name, "Registered model name (created if new)")->required();
  reg->add_option("--artifact-path", flags->artifact_path, "The run's artifact folder to register")->capture_default_str();
  reg->add_option("--description", flags->description, "What this version is");
  reg->callback([flags, &exit_code] { exit_code = report(register_model(*flags)); });

  CLI::App* alias = cmd->add_subcommand("alias", "Point NAME@ALIAS at a version (the move is recorded)");
  add_store_flag(alias, flags->store);
  alias->add_option("alias", flags->alias_spec, "NAME@ALIAS, e.g. credit-default@champion")->required();
  alias->add_option("version", flags->version, "Version number");
  alias->add_option("--reason", flags->reason, "Why (kept in the alias history)")->required();
  alias->add_option("--by", flags->moved_by, "Who moves it (default: $USER)");
  alias->add_flag("--delete", flags->remove, "Remove the alias instead");
  alias->callback([flags, &exit_code] { exit_code = report(move_alias(*flags)); });

  CLI::App* archive = cmd->add_subcommand("archive", "Archive a version (kept, readable, but takes no alias)");
  add_store_flag(archive, flags->store);
  archive->add_option("name", flags->name, "Registered model name")->required();
  archive->add_option("version", flags->version, "Version number")->required();
  archive->add_flag("--restore", flags->restore, "Make an archived version READY again");
  archive->callback([flags, &exit_code] { exit_code = report(archive_version(*flags)); });
}

}  // namespace credo::cli
