// `credo runs list|gc` (and show/compare from runs_view.cc): the runs of an experiment, filtered
// and ordered with MLflow's search syntax, and the cleanup of runs whose process died.
#include <algorithm>
#include <iostream>
#include <map>

#include "commands.h"
#include "credo/base/text_table.h"
#include "credo/store/store_json.h"
#include "runs_view.h"
#include "store_options.h"

namespace credo::cli {
namespace {

struct RunsListFlags {
  std::string store, experiment, filter, columns;
  std::vector<std::string> order_by;
  int64_t max_results = 1000;  // MLflow's default for search_runs
  bool json = false;
};

struct RunsGcFlags {
  std::string store;
  double stale_after_s = 300;
  bool json = false;
};

// The columns beyond the fixed ones: those asked for, those the filter and order mention, else
// the metrics most runs have (up to five, top-level keys first).
std::vector<RunColumn> extra_columns(const RunsListFlags& flags, const store::RunFilter& filter,
                                     const std::vector<store::RunOrder>& orders, const std::vector<store::Run>& runs) {
  std::vector<RunColumn> columns;
  auto add = [&](store::FilterEntity entity, const std::string& key) {
    RunColumn column{entity, key};
    if (std::find(columns.begin(), columns.end(), column) == columns.end()) columns.push_back(column);
  };
  for (const std::string& name : split_comma_list(flags.columns)) {
    auto order = store::parse_run_order(name);
    if (order.ok()) add(order->entity, order->key);
  }
  for (const store::FilterClause& clause : filter.clauses) add(clause.entity, clause.key);
  for (const store::RunOrder& order : orders) add(order.entity, order.key);
  if (columns.empty()) {
    for (const std::string& key : headline_metrics())
      if (std::any_of(runs.begin(), runs.end(), [&](const store::Run& r) { return r.metrics.count(key) > 0; }))
        add(store::FilterEntity::kMetric, key);
  }
  if (columns.empty()) {
    std::map<std::string, size_t> frequency;
    for (const store::Run& run : runs)
      for (const auto& [key, metric] : run.metrics) ++frequency[key];
    std::vector<std::pair<std::string, size_t>> by_frequency(frequency.begin(), frequency.end());
    // Top-level keys ("auc") before grouped ones ("seconds/read bureau"), then the most common.
    std::stable_sort(by_frequency.begin(), by_frequency.end(), [](const auto& a, const auto& b) {
      bool a_grouped = a.first.find('/') != std::string::npos, b_grouped = b.first.find('/') != std::string::npos;
      return a_grouped != b_grouped ? b_grouped : a.second > b.second;
    });
    for (size_t i = 0; i < by_frequency.size() && i < 5; ++i) add(store::FilterEntity::kMetric, by_frequency[i].first);
  }
  std::erase_if(columns, [](const RunColumn& c) {
    return c.entity == store::FilterEntity::kAttribute && (c.key == "run_name" || c.key == "status" ||
                                                          c.key == "run_id" || c.key == "start_time");
  });
  return columns;
}

Status list_runs(const RunsListFlags& flags) {
  for (const std::string& name : split_comma_list(flags.columns))
    CREDO_RETURN_IF_ERROR(store::parse_run_order(name).status());
  CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(flags.store, false));
  store::RunSearch search;
  if (!flags.experiment.empty()) {
    CREDO_ASSIGN_OR_RETURN(store::Experiment e, store->get_experiment_by_name(flags.experiment));
    search.experiment_ids = {e.id};
  }
  CREDO_ASSIGN_OR_RETURN(search.filter, store::parse_run_filter(flags.filter));
  for (const std::string& order : flags.order_by) {
    CREDO_ASSIGN_OR_RETURN(store::RunOrder parsed, store::parse_run_order(order));
    search.order_by.push_back(parsed);
  }
  search.max_results = flags.max_results;
  CREDO_ASSIGN_OR_RETURN(std::vector<store::Run> runs, store->search_runs(search));
  size_t matching = runs.size();
  if (search.max_results > 0 && runs.size() == static_cast<size_t>(search.max_results)) {
    store::RunSearch count = search;
    count.max_results = 0;
    count.with_data = false;
    CREDO_ASSIGN_OR_RETURN(std::vector<store::Run> all, store->search_runs(count));
    matching = all.size();
  }
  if (flags.json) {
    // One run at a time: the whole array as one JSON value would cost gigabytes of small
    // allocations for a store of tens of thousands of runs.
    std::string out = "[";
    for (size_t i = 0; i < runs.size(); ++i) {
      out += i ? ",\n" : "\n";
      out += store::to_json(runs[i]).dump();
    }
    out += runs.empty() ? "]\n" : "\n]\n";
    std::cout << out;
    return Status::Ok();
  }
  std::vector<RunColumn> columns = extra_columns(flags, search.filter, search.order_by, runs);
  std::vector<std::string> headers = {"RUN", "NAME", "STATUS", "STARTED", "DURATION"};
  for (const RunColumn& c : columns) headers.push_back(c.header());
  TextTable table(headers, 32);
  for (const store::Run& run : runs) {
    std::vector<std::string> row = {run.info.run_id.substr(0, 8), run.info.run_name,
                                    store::run_status_name(run.info.status), format_time_ms(run.info.start_time_ms),
                                    run_duration(run.info)};
    for (const RunColumn& c : columns) row.push_back(c.value(run));
    table.add_row(std::move(row));
  }
  std::cout << table.render();
  std::cout << runs.size() << (runs.size() == 1 ? " run" : " runs")
            << (flags.experiment.empty() ? "" : " in experiment " + flags.experiment);
  if (matching > runs.size())
    std::cout << " (the first " << runs.size() << " of " << matching << " matching; --max-results 0 shows all)";
  std::cout << "\n";
  return Status::Ok();
}

Status gc_runs(const RunsGcFlags& flags) {
  CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(flags.store, false));
  CREDO_ASSIGN_OR_RETURN(std::vector<store::RunInfo> failed,
                         store->fail_dead_runs(static_cast<int64_t>(flags.stale_after_s * 1000)));
  if (flags.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const store::RunInfo& info : failed) out.push_back(store::to_json(info));
    std::cout << out.dump(2) << "\n";
    return Status::Ok();
  }
  for (const store::RunInfo& info : failed)
    std::cout << "marked FAILED: " << info.run_id << " " << info.run_name << " (started "
              << format_time_ms(info.start_time_ms) << " by pid " << info.pid << " on " << info.host << ")\n";
  std::cout << failed.size() << (failed.size() == 1 ? " dead run" : " dead runs") << " marked FAILED\n";
  return Status::Ok();
}

}  // namespace

void add_runs_command(CLI::App& app, int& exit_code) {
  CLI::App* cmd = app.add_subcommand("runs", "List, show, compare and clean up tracked runs");
  cmd->require_subcommand(1);

  auto list_flags = std::make_shared<RunsListFlags>();
  CLI::App* list = cmd->add_subcommand("list", "Runs, newest first, or filtered and ordered as in MLflow");
  add_store_flag(list, list_flags->store);
  list->add_option("--experiment,-e", list_flags->experiment, "Experiment name (default: all)");
  list->add_option("--filter", list_flags->filter,
                   "MLflow search filter, e.g. \"metrics.auc > 0.75 and params.algo = 'xgboost'\"");
  list->add_option("--order-by", list_flags->order_by, "e.g. metrics.business_cost (ASC by default) or 'metrics.auc DESC'");
  list->add_option("--columns", list_flags->columns, "Extra columns, e.g. metrics.auc,params.algo");
  list->add_option("--max-results", list_flags->max_results, "At most this many runs (0: all)")->capture_default_str();
  add_json_flag(list, list_flags->json);
  list->callback([list_flags, &exit_code] { exit_code = report(list_runs(*list_flags)); });

  add_runs_view_commands(cmd, exit_code);

  auto gc_flags = std::make_shared<RunsGcFlags>();
  CLI::App* gc = cmd->add_subcommand("gc", "Mark FAILED the RUNNING runs whose process died");
  add_store_flag(gc, gc_flags->store);
  gc->add_option("--stale-after", gc_flags->stale_after_s,
                 "Seconds without a heartbeat after which a run on another host is dead (runs on this host are "
                 "checked by process id)")
      ->capture_default_str();
  add_json_flag(gc, gc_flags->json);
  gc->callback([gc_flags, &exit_code] { exit_code = report(gc_runs(*gc_flags)); });
}

}  // namespace credo::cli
