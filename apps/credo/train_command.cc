// `credo train`: trains, compares and registers credit-default models from a feature file.
#include <cmath>
#include <cstdio>
#include <iostream>

#include "commands.h"
#include "credo/base/progress.h"
#include "credo/base/text_table.h"
#include "credo/train/trainer.h"
#include "store_options.h"

namespace credo::cli {
namespace {

struct TrainFlags {
  std::string config_file, store, algorithms, imbalance;
  train::TrainConfig config;
  bool quiet = false;
  bool json = false;
};

Status run_train(TrainFlags& flags, const CLI::App& cmd) {
  train::TrainConfig config;
  if (!flags.config_file.empty()) {
    CREDO_ASSIGN_OR_RETURN(config, train::load_train_config(flags.config_file));
  }
  // Flags given on the command line win over the file.
  const train::TrainConfig& given = flags.config;
  auto set = [&](const char* flag, auto& into, const auto& value) {
    if (cmd.count(flag) > 0) into = value;
  };
  set("--features", config.features, given.features);
  set("--experiment", config.experiment, given.experiment);
  set("--model-name", config.model_name, given.model_name);
  set("--time-budget", config.time_budget_seconds, given.time_budget_seconds);
  set("--trials", config.trials, given.trials);
  set("--refine-trials", config.refine_trials, given.refine_trials);
  set("--search", config.search, given.search);
  set("--folds", config.folds, given.folds);
  set("--test-fraction", config.test_fraction, given.test_fraction);
  set("--seed", config.seed, given.seed);
  set("--threads", config.threads, given.threads);
  set("--cost-fn", config.cost.false_negative, given.cost.false_negative);
  set("--cost-fp", config.cost.false_positive, given.cost.false_positive);
  set("--truth", config.truth, given.truth);
  if (cmd.count("--promote") > 0) config.promote = true;
  if (!flags.algorithms.empty()) config.algorithms = split_comma_list(flags.algorithms);
  if (!flags.imbalance.empty()) config.imbalance = split_comma_list(flags.imbalance);
  CREDO_RETURN_IF_ERROR(train::validate_train_config(config));
  // Recorded absolute, so `credo serve` finds the known clients' features from anywhere.
  std::error_code absolute_error;
  std::filesystem::path absolute = std::filesystem::absolute(config.features, absolute_error);
  if (!absolute_error) config.features = absolute.lexically_normal().string();
  CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(flags.store, true));
  CREDO_ASSIGN_OR_RETURN(train::TrainResult result,
                         train::train_models(config, *store, this_command_line(), flags.quiet ? nullptr : stderr));
  if (flags.json) {
    std::cout << train::train_result_to_json(result).dump(2) << "\n";
    return Status::Ok();
  }

  const train::BinaryMetrics& cv = result.chosen.cv.metrics;
  const train::BinaryMetrics& ho = result.holdout;
  std::printf("\nleaderboard (cross-validated, %d folds, each at its own best threshold; * = chosen)\n", config.folds);
  std::printf("%s", train::render_leaderboard(result).c_str());
  std::printf("\nchosen             %s (%s), threshold %s\n", result.chosen.candidate.algorithm->name().c_str(),
              train::imbalance_name(result.chosen.candidate.imbalance), format_number(cv.threshold).c_str());
  std::printf("cross-validated    cost %s per client (at 0.5: %s), AUC %s, accuracy %s\n", format_number(cv.cost).c_str(),
              format_number(cv.cost_at_half).c_str(), format_number(cv.auc).c_str(), format_number(cv.accuracy).c_str());
  std::string holdout_label = "hold-out (" + std::to_string(ho.confusion.true_positive + ho.confusion.false_positive +
                                                          ho.confusion.true_negative + ho.confusion.false_negative) +
                              ")";
  std::printf("%-19scost %s per client (at 0.5: %s; best possible %s), AUC %s, accuracy %s, "
              "recall %s, precision %s\n",
              holdout_label.c_str(), format_number(ho.cost).c_str(), format_number(ho.cost_at_half).c_str(),
              format_number(result.holdout_best_cost).c_str(), format_number(ho.auc).c_str(),
              format_number(ho.accuracy).c_str(), format_number(ho.recall).c_str(), format_number(ho.precision).c_str());
  for (const train::BaselineComparison& c : train::comparisons(result)) {
    std::string label = c.baseline == "dummy" ? "vs the dummy" : "vs " + c.baseline;
    std::printf("%-19scost %s -> %s", label.c_str(), format_number(c.baseline_cost).c_str(),
                format_number(c.chosen_cost).c_str());
    if (!std::isnan(c.change_percent)) std::printf(" (%+.1f%%)", c.change_percent);
    std::printf("\n");
  }
  if (result.truth)
    std::printf("vs the truth       hold-out AUC %s, the generator's true probabilities %s (gap %.3f); "
                "best cost %s against theirs %s\n",
                format_number(ho.auc).c_str(), format_number(result.truth->bayes_auc).c_str(),
                result.truth->bayes_auc - ho.auc, format_number(result.holdout_best_cost).c_str(),
                format_number(result.truth->bayes_cost).c_str());
  for (const std::string& w : result.warnings) std::printf("warning            %s\n", w.c_str());
  std::printf("registered         %s as %s@%s (run %s, %d trials, %s)\n", result.model_uri.c_str(),
              config.model_name.c_str(), result.alias.c_str(), result.run_id.c_str(), result.trials,
              format_duration(result.seconds).c_str());
  std::printf("report             %s\n", result.report.c_str());
  return Status::Ok();
}

}  // namespace

void add_train_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<TrainFlags>();
  CLI::App* cmd = app.add_subcommand("train", "Train, compare and register credit-default models from a feature file");
  train::TrainConfig& c = flags->config;
  cmd->add_option("--features", c.features, "The feature file (credo features --out)");
  cmd->add_option("--config", flags->config_file, "A JSON config file (comments allowed); flags override it");
  cmd->add_option("--experiment", c.experiment, "Experiment to track the runs in")->capture_default_str();
  add_store_flag(cmd, flags->store);
  cmd->add_option("--model-name", c.model_name, "Registered model name")->capture_default_str();
  cmd->add_option("--time-budget", c.time_budget_seconds, "Cap on the whole run in seconds (0: none)");
  cmd->add_option("--algorithms", flags->algorithms, "Comma-separated: dummy,logistic,random_forest,xgboost");
  cmd->add_option("--imbalance", flags->imbalance, "Treatments searched: none,class_weights,undersample,smote");
  cmd->add_option("--search", c.search, "grid, random or tpe")->capture_default_str();
  cmd->add_option("--trials", c.trials, "Trials per algorithm in the coarse search")->capture_default_str();
  cmd->add_option("--refine-trials", c.refine_trials, "More trials on the best algorithm")->capture_default_str();
  cmd->add_option("--folds", c.folds, "Cross-validation folds")->capture_default_str();
  cmd->add_option("--test-fraction", c.test_fraction, "Share of clients held out")->capture_default_str();
  cmd->add_option("--cost-fn", c.cost.false_negative, "Cost of granting credit to a defaulter")->capture_default_str();
  cmd->add_option("--cost-fp", c.cost.false_positive, "Cost of refusing a good client")->capture_default_str();
  cmd->add_option("--seed", c.seed, "Seed of splits, searches and models")->capture_default_str();
  cmd->add_option("--threads", c.threads, "Threads (0: all cores)");
  cmd->add_flag("--promote", c.promote, "Make the new model the champion even if one exists");
  cmd->add_option("--truth", c.truth,
                  "On generated data: its synth_truth.csv, to compare the hold-out with the true probabilities");
  add_json_flag(cmd, flags->json);
  add_quiet_flag(cmd, flags->quiet);
  cmd->callback([flags, cmd, &exit_code] { exit_code = report(run_train(*flags, *cmd)); });
}

}  // namespace credo::cli
