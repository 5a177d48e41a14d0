// What `credo train` does, in one readable file (JSON, comments allowed) with defaults for
// everything; every key can also be given on the command line. Unknown keys are errors, so a
// typo never silently falls back to a default.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/base/status.h"
#include "credo/train/metrics.h"

namespace credo::train {

struct TrainConfig {
  std::string features;                    // the feature file (credo features --out)
  std::string experiment = "credit-default";
  std::string model_name = "credit-default";
  std::vector<std::string> algorithms = {"dummy", "logistic", "random_forest", "xgboost"};
  std::vector<std::string> imbalance = {"class_weights", "undersample", "smote"};  // searched with the rest
  double test_fraction = 0.2;
  int folds = 5;
  uint64_t seed = 42;
  int threads = 0;
  CostMatrix cost;
  std::string search = "tpe";              // grid, random or tpe
  int trials = 6;                          // per algorithm in the coarse search (its defaults first)
  int refine_trials = 12;                  // more trials on the best algorithm
  double time_budget_seconds = 0;          // 0: no limit; the run still ends with a registered model
  bool promote = false;                    // make the new model the champion even if one exists
  int explained_clients = 5;               // example clients whose SHAP values are plotted
  std::string truth;                       // optional: synth_truth.csv of generated data, compared with
};

// Reads a config file over the defaults; errors name the file and key.
StatusOr<TrainConfig> load_train_config(const std::string& path, TrainConfig defaults = {});
// Checks values (ranges, known names); errors name the key.
Status validate_train_config(const TrainConfig& config);
nlohmann::json train_config_to_json(const TrainConfig& config);

}  // namespace credo::train
