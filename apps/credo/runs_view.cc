// `credo runs show RUN` and `credo runs compare RUN RUN...`.
#include "runs_view.h"

#include <iostream>
#include <set>

#include "commands.h"
#include "credo/base/progress.h"
#include "credo/base/text_table.h"
#include "credo/store/artifacts.h"
#include "credo/store/store_json.h"
#include "store_options.h"

namespace credo::cli {
namespace {

struct RunsViewFlags {
  std::string store;
  std::vector<std::string> runs;
  bool json = false;
};

std::string attribute_value(const store::RunInfo& info, const std::string& key) {
  if (key == "run_id") return info.run_id;
  if (key == "run_name") return info.run_name;
  if (key == "status") return store::run_status_name(info.status);
  if (key == "user") return info.user;
  if (key == "source") return info.source;
  if (key == "git_commit") return info.git_commit;
  if (key == "data_fingerprint") return info.data_fingerprint;
  if (key == "parent_run_id") return info.parent_run_id;
  if (key == "start_time") return format_time_ms(info.start_time_ms);
  if (key == "end_time") return info.end_time_ms ? format_time_ms(*info.end_time_ms) : "";
  return "";
}

void print_section(const std::string& title, const TextTable& table) {
  std::cout << "\n" << title << " (" << table.num_rows() << ")\n";
  if (table.num_rows() > 0) std::cout << table.render();
}

Status show_run(const RunsViewFlags& flags) {
  CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(flags.store, false));
  CREDO_ASSIGN_OR_RETURN(store::Run run, store->get_run(flags.runs[0]));
  CREDO_ASSIGN_OR_RETURN(store::Experiment experiment, store->get_experiment(run.info.experiment_id));
  store::RunSearch children_search;
  CREDO_ASSIGN_OR_RETURN(children_search.filter,
                         store::parse_run_filter("attributes.parent_run_id = '" + run.info.run_id + "'"));
  children_search.with_data = false;
  CREDO_ASSIGN_OR_RETURN(std::vector<store::Run> children, store->search_runs(children_search));
  CREDO_ASSIGN_OR_RETURN(std::vector<store::ArtifactEntry> artifacts, store::list_artifacts(run.info.artifact_dir));
  std::map<std::string, size_t> points;
  for (const auto& [key, metric] : run.metrics) {
    CREDO_ASSIGN_OR_RETURN(std::vector<store::Metric> history, store->metric_history(run.info.run_id, key));
    points[key] = history.size();
  }

  if (flags.json) {
    nlohmann::json out = store::to_json(run);
    out["experiment"] = store::to_json(experiment);
    out["children"] = nlohmann::json::array();
    for (const store::Run& child : children) out["children"].push_back(child.info.run_id);
    out["artifacts"] = nlohmann::json::array();
    for (const auto& a : artifacts) out["artifacts"].push_back({{"path", a.path}, {"is_dir", a.is_dir}, {"bytes", a.bytes}});
    for (const auto& [key, n] : points) out["metrics"][key]["points"] = n;
    std::cout << out.dump(2) << "\n";
    return Status::Ok();
  }
  const store::RunInfo& info = run.info;
  auto field = [](const char* name, const std::string& value) {
    if (!value.empty()) std::printf("%-12s %s\n", name, value.c_str());
  };
  field("run", info.run_id);
  field("name", info.run_name);
  field("experiment", experiment.name + " (" + std::to_string(experiment.id) + ")");
  field("status", std::string(store::run_status_name(info.status)) +
                      (info.status == store::RunStatus::kRunning
                           ? " (last heartbeat " + format_time_ms(info.heartbeat_ms) + ")"
                           : ""));
  field("started", format_time_ms(info.start_time_ms) + ", " + run_duration(info));
  field("parent", info.parent_run_id);
  field("source", info.source);
  field("by", info.user + "@" + info.host + " (pid " + std::to_string(info.pid) + ")");
  field("credo", info.credo_version + (info.git_commit.empty() ? "" : ", git " + info.git_commit.substr(0, 12)));
  field("data", info.data_fingerprint);
  field("artifacts", info.artifact_dir);
  std::cout.flush();

  TextTable params({"PARAM", "VALUE"}, 60);
  for (const auto& [key, value] : run.params) params.add_row({key, value});
  print_section("params", params);
  TextTable metrics({"METRIC", "VALUE", "STEP", "POINTS"});
  for (const auto& [key, m] : run.metrics)
    metrics.add_row({key, format_number(m.value), std::to_string(m.step), std::to_string(points[key])});
  print_section("metrics (latest value of each)", metrics);
  TextTable tags({"TAG", "VALUE"}, 60);
  for (const auto& [key, value] : run.tags) tags.add_row({key, value});
  print_section("tags", tags);
  TextTable files({"ARTIFACT", "BYTES"}, 60);
  for (const auto& a : artifacts) files.add_row({a.path + (a.is_dir ? "/" : ""), a.is_dir ? "" : format_count(static_cast<double>(a.bytes))});
  print_section("artifacts", files);
  TextTable nested({"RUN", "NAME", "STATUS"});
  for (const store::Run& child : children)
    nested.add_row({child.info.run_id.substr(0, 8), child.info.run_name, store::run_status_name(child.info.status)});
  print_section("nested runs", nested);
  return Status::Ok();
}

Status compare_runs(const RunsViewFlags& flags) {
  if (flags.runs.size() < 2) return Status::InvalidArgument("runs compare needs two runs or more");
  CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(flags.store, false));
  std::vector<store::Run> runs;
  for (const std::string& id : flags.runs) {
    CREDO_ASSIGN_OR_RETURN(store::Run run, store->get_run(id));
    runs.push_back(std::move(run));
  }
  std::vector<RunColumn> rows;
  for (const char* key : {"run_name", "status", "data_fingerprint", "git_commit"})
    rows.push_back({store::FilterEntity::kAttribute, key});
  std::set<std::string> params, metrics;
  for (const store::Run& run : runs) {
    for (const auto& [key, value] : run.params) params.insert(key);
    for (const auto& [key, value] : run.metrics) metrics.insert(key);
  }
  for (const std::string& key : params) rows.push_back({store::FilterEntity::kParam, key});
  for (const std::string& key : metrics) rows.push_back({store::FilterEntity::kMetric, key});

  std::vector<std::string> headers = {"", "FIELD"};
  for (const store::Run& run : runs) headers.push_back(run.info.run_id.substr(0, 8));
  TextTable table(headers, 28);
  nlohmann::json differences = nlohmann::json::array();
  for (const RunColumn& row : rows) {
    std::vector<std::string> cells = {"", row.header()};
    for (const store::Run& run : runs) cells.push_back(row.value(run));
    bool differ = std::any_of(cells.begin() + 3, cells.end(), [&](const std::string& c) { return c != cells[2]; });
    if (differ) {
      cells[0] = "*";
      differences.push_back(row.header());
    }
    table.add_row(std::move(cells));
  }
  if (flags.json) {
    nlohmann::json out = {{"runs", nlohmann::json::array()}, {"differences", differences}};
    for (const store::Run& run : runs) out["runs"].push_back(store::to_json(run));
    std::cout << out.dump(2) << "\n";
    return Status::Ok();
  }
  std::cout << table.render() << differences.size() << " of " << rows.size() << " fields differ (marked *)\n";
  return Status::Ok();
}

}  // namespace

std::string RunColumn::header() const { return std::string(store::filter_entity_name(entity)) + "." + key; }

std::string RunColumn::value(const store::Run& run) const {
  switch (entity) {
    case store::FilterEntity::kMetric: {
      auto it = run.metrics.find(key);
      return it == run.metrics.end() ? "-" : format_number(it->second.value);
    }
    case store::FilterEntity::kParam: {
      auto it = run.params.find(key);
      return it == run.params.end() ? "-" : it->second;
    }
    case store::FilterEntity::kTag: {
      auto it = run.tags.find(key);
      return it == run.tags.end() ? "-" : it->second;
    }
    case store::FilterEntity::kAttribute: {
      std::string v = attribute_value(run.info, key);
      return v.empty() ? "-" : v;
    }
  }
  return "-";
}

std::string run_duration(const store::RunInfo& info) {
  if (!info.end_time_ms) return "running";
  double seconds = static_cast<double>(*info.end_time_ms - info.start_time_ms) / 1000.0;
  if (seconds < 60) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1fs", seconds);
    return buf;
  }
  return format_duration(seconds);
}

void add_runs_view_commands(CLI::App* runs, int& exit_code) {
  auto show_flags = std::make_shared<RunsViewFlags>();
  CLI::App* show = runs->add_subcommand("show", "Everything about one run: params, metrics, tags, artifacts");
  add_store_flag(show, show_flags->store);
  show->add_option("run", show_flags->runs, "Run id (or a unique prefix of 6+ digits)")->required()->expected(1);
  add_json_flag(show, show_flags->json);
  show->callback([show_flags, &exit_code] { exit_code = report(show_run(*show_flags)); });

  auto compare_flags = std::make_shared<RunsViewFlags>();
  CLI::App* compare = runs->add_subcommand("compare", "Params and metrics of runs side by side, differences marked");
  add_store_flag(compare, compare_flags->store);
  compare->add_option("runs", compare_flags->runs, "Two run ids or more")->required();
  add_json_flag(compare, compare_flags->json);
  compare->callback([compare_flags, &exit_code] { exit_code = report(compare_runs(*compare_flags)); });
}

}  // namespace credo::cli
