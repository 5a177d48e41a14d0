// `credo export mlflow`: writes the tracking store and model registry as an MLflow file store
// (an mlruns/ folder) for teams that browse runs in the MLflow UI.
#include <cstdio>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "commands.h"
#include "credo/store/mlflow_export.h"
#include "store_options.h"

namespace credo::cli {
namespace {

struct ExportMlflowFlags {
  std::string store;
  std::string out;
  std::vector<std::string> experiments;
  bool no_artifacts = false;
  bool overwrite = false;
  bool quiet = false;
  bool json = false;
};

Status run_export_mlflow(const ExportMlflowFlags& flags) {
  CREDO_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store, open_command_store(flags.store, /*create=*/false));
  store::MlflowExportOptions options;
  options.experiments = flags.experiments;
  options.copy_artifacts = !flags.no_artifacts;
  options.overwrite = flags.overwrite;
  CREDO_ASSIGN_OR_RETURN(store::MlflowExportSummary summary, store::export_mlflow(*store, flags.out, options));
  if (flags.json) {
    nlohmann::ordered_json out = {{"out", flags.out},
                                  {"artifacts", !flags.no_artifacts},
                                  {"experiments", summary.experiments},
                                  {"runs", summary.runs},
                                  {"metric_points", summary.metric_points},
                                  {"registered_models", summary.registered_models},
                                  {"model_versions", summary.model_versions}};
    std::cout << out.dump(2) << "\n";
    return Status::Ok();
  }
  std::printf("exported           %lld experiments, %lld runs, %lld metric points, %lld registered models (%lld versions)\n",
              static_cast<long long>(summary.experiments), static_cast<long long>(summary.runs),
              static_cast<long long>(summary.metric_points), static_cast<long long>(summary.registered_models),
              static_cast<long long>(summary.model_versions));
  std::printf("to                 %s%s\n", flags.out.c_str(), flags.no_artifacts ? " (without artifacts)" : "");
  // A hint, not the result: on stderr, so -q silences it.
  if (!flags.quiet) std::fprintf(stderr, "browse with        mlflow ui --backend-store-uri %s\n", flags.out.c_str());
  return Status::Ok();
}

}  // namespace

void add_export_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<ExportMlflowFlags>();
  CLI::App* cmd = app.add_subcommand("export", "Write the store in another tool's format");
  cmd->require_subcommand(1);
  CLI::App* mlflow = cmd->add_subcommand(
      "mlflow", "Write experiments, runs, artifacts and registered models as an MLflow file store (mlruns/)");
  add_store_flag(mlflow, flags->store);
  mlflow->add_option("--out", flags->out, "The mlruns folder to write (created; see --overwrite)")->required();
  mlflow->add_option("--experiment", flags->experiments, "Export only this experiment (repeatable; default: all)");
  mlflow->add_flag("--no-artifacts", flags->no_artifacts, "Leave runs' artifact folders empty");
  mlflow->add_flag("--overwrite", flags->overwrite, "Replace an earlier export at --out");
  add_quiet_flag(mlflow, flags->quiet);
  add_json_flag(mlflow, flags->json);
  mlflow->callback([flags, &exit_code] { exit_code = report(run_export_mlflow(*flags)); });
}

}  // namespace credo::cli
