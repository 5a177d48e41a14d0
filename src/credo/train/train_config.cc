// The training config: JSON with comments, defaults, validation.
#include "credo/train/train_config.h"

#include <fstream>

#include "credo/train/algorithm.h"
#include "credo/train/imbalance.h"
#include "credo/train/search.h"

namespace credo::train {

nlohmann::json train_config_to_json(const TrainConfig& c) {
  return {{"features", c.features},
          {"experiment", c.experiment},
          {"model_name", c.model_name},
          {"algorithms", c.algorithms},
          {"imbalance", c.imbalance},
          {"test_fraction", c.test_fraction},
          {"folds", c.folds},
          {"seed", c.seed},
          {"threads", c.threads},
          {"cost", {{"false_negative", c.cost.false_negative}, {"false_positive", c.cost.false_positive},
                    {"true_positive", c.cost.true_positive}, {"true_negative", c.cost.true_negative}}},
          {"search", c.search},
          {"trials", c.trials},
          {"refine_trials", c.refine_trials},
          {"time_budget_seconds", c.time_budget_seconds},
          {"promote", c.promote},
          {"explained_clients", c.explained_clients},
          {"truth", c.truth}};
}

StatusOr<TrainConfig> load_train_config(const std::string& path, TrainConfig c) {
  std::ifstream in(path);
  if (!in) return Status::NotFound(path + ": no such config file");
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(in, nullptr, true, /*ignore_comments=*/true);
  } catch (const nlohmann::json::exception& e) {
    return Status::ParseError(path + ": " + e.what());
  }
  if (!json.is_object()) return Status::ParseError(path + ": expected a JSON object of settings");
  const nlohmann::json known = train_config_to_json(c);
  for (const auto& [key, value] : json.items())
    if (!known.contains(key)) return Status::InvalidArgument(path + ": unknown setting '" + key + "'");
  try {
    auto get = [&](const char* key, auto& into) {
      if (json.contains(key)) json.at(key).get_to(into);
    };
    get("features", c.features);
    get("experiment", c.experiment);
    get("model_name", c.model_name);
    get("algorithms", c.algorithms);
    get("imbalance", c.imbalance);
    get("test_fraction", c.test_fraction);
    get("folds", c.folds);
    get("seed", c.seed);
    get("threads", c.threads);
    get("search", c.search);
    get("trials", c.trials);
    get("refine_trials", c.refine_trials);
    get("truth", c.truth);
    get("time_budget_seconds", c.time_budget_seconds);
    get("promote", c.promote);
    get("explained_clients", c.explained_clients);
    if (json.contains("cost")) {
      const auto& cost = json.at("cost");
      for (const auto& [key, value] : cost.items()) {
        if (key == "false_negative") c.cost.false_negative = value.get<double>();
        else if (key == "false_positive") c.cost.false_positive = value.get<double>();
        else if (key == "true_positive") c.cost.true_positive = value.get<double>();
        else if (key == "true_negative") c.cost.true_negative = value.get<double>();
        else return Status::InvalidArgument(path + ": unknown cost '" + key + "'");
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(path + ": " + e.what());
  }
  return c;
}

Status validate_train_config(const TrainConfig& c) {
  if (c.features.empty()) return Status::InvalidArgument("features: give the feature file (--features)");
  if (c.algorithms.empty()) return Status::InvalidArgument("algorithms: at least one is needed");
  for (const std::string& a : c.algorithms) CREDO_RETURN_IF_ERROR(find_algorithm(a).status());
  if (c.imbalance.empty()) return Status::InvalidArgument("imbalance: at least one treatment is needed (or \"none\")");
  for (const std::string& i : c.imbalance) CREDO_RETURN_IF_ERROR(parse_imbalance(i).status());
  if (!(c.test_fraction > 0 && c.test_fraction < 0.9))
    return Status::InvalidArgument("test_fraction: must be in (0, 0.9), got " + std::to_string(c.test_fraction));
  if (c.folds < 2 || c.folds > 20) return Status::InvalidArgument("folds: must be 2 to 20, got " + std::to_string(c.folds));
  CREDO_RETURN_IF_ERROR(parse_search_method(c.search).status());
  if (c.trials < 1) return Status::InvalidArgument("trials: at least 1");
  if (c.refine_trials < 0) return Status::InvalidArgument("refine_trials: 0 or more");
  if (c.time_budget_seconds < 0) return Status::InvalidArgument("time_budget_seconds: 0 (none) or more");
  if (c.cost.false_negative < 0 || c.cost.false_positive < 0)
    return Status::InvalidArgument("cost: false_negative and false_positive must not be negative");
  if (c.cost.false_negative + c.cost.false_positive <= c.cost.true_negative + c.cost.true_positive)
    return Status::InvalidArgument("cost: errors must cost more than right decisions");
  if (c.model_name.empty()) return Status::InvalidArgument("model_name: empty");
  return Status::Ok();
}

}  // namespace credo::train
