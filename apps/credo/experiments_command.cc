// `credo experiments list|create`: the experiments of the store and how many runs each holds.
#include <iostream>

#include "commands.h"
#include "credo/base/text_table.h"
#include "credo/store/store_json.h"
#include "store_options.h"

namespace credo::cli {
namespace {

struct ExperimentsFlags {
  std::string store;
  std::string name;
  bool json = false;
};

Status list_experiments(const ExperimentsFlags& flags) {
  CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(flags.store, false));
  CREDO_ASSIGN_OR_RETURN(std::vector<store::Experiment> experiments, store->list_experiments());
  nlohmann::json out = nlohmann::json::array();
  TextTable table({"ID", "NAME", "RUNS", "RUNNING", "CREATED"});
  for (const store::Experiment& e : experiments) {
    store::RunSearch search;
    search.experiment_ids = {e.id};
    search.with_data = false;
    CREDO_ASSIGN_OR_RETURN(std::vector<store::Run> runs, store->search_runs(search));
    size_t running = 0;
    for (const store::Run& r : runs) running += r.info.status == store::RunStatus::kRunning;
    nlohmann::json j = store::to_json(e);
    j["runs"] = runs.size();
    out.push_back(j);
    table.add_row({std::to_string(e.id), e.name, std::to_string(runs.size()), std::to_string(running),
                   format_time_ms(e.creation_time_ms)});
  }
  if (flags.json) std::cout << out.dump(2) << "\n";
  else std::cout << table.render();
  return Status::Ok();
}

Status create_experiment(const ExperimentsFlags& flags) {
  CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(flags.store, true));
  CREDO_ASSIGN_OR_RETURN(store::Experiment e, store->get_or_create_experiment(flags.name));
  std::cout << "experiment " << e.name << " (id " << e.id << ")\n";
  return Status::Ok();
}

}  // namespace

void add_experiments_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ExperimentsFlags>();
  CLI::App* cmd = app.add_subcommand("experiments", "List or create experiments in the tracking store");
  cmd->require_subcommand(1);
  CLI::App* list = cmd->add_subcommand("list", "Experiments with their number of runs");
  add_store_flag(list, flags->store);
  add_json_flag(list, flags->json);
  list->callback([flags, &exit_code] { exit_code = report(list_experiments(*flags)); });
  CLI::App* create = cmd->add_subcommand("create", "Create an experiment (runs also create theirs on first use)");
  add_store_flag(create, flags->store);
  create->add_option("name", flags->name, "Experiment name")->required();
  create->callback([flags, &exit_code] { exit_code = report(create_experiment(*flags)); });
}

}  // namespace credo::cli
