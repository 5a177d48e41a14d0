// The fitted state of a feature pipeline (levels, target encodings, folds) to and from JSON,
// saved in the feature file so that online scoring applies what the batch build learned.
#include "credo/features/fitted_state.h"

#include <nlohmann/json.hpp>

#include "credo/base/random.h"

namespace credo::features_internal {

int fold_of(int64_t client_id, uint64_t seed) {
  return static_cast<int>(mix64(seed ^ mix64(static_cast<uint64_t>(client_id))) % kTargetFolds);
}

nlohmann::json fitted_to_json(const FittedState& fitted) {
  nlohmann::json j;
  j["seed"] = fitted.seed;
  j["levels"] = fitted.levels;
  for (const auto& [column, enc] : fitted.target) {
    nlohmann::json e;
    e["prior"] = enc.prior;
    e["full"] = enc.full;
    e["fold_prior"] = enc.fold_prior;
    e["folds"] = enc.folds;
    j["target"][column] = e;
  }
  return j;
}

StatusOr<FittedState> fitted_from_json(const nlohmann::json& j) {
  try {
    FittedState fitted;
    fitted.seed = j.at("seed").get<uint64_t>();
    fitted.levels = j.at("levels").get<std::map<std::string, std::vector<std::string>>>();
    if (j.contains("target")) {
      for (const auto& [column, e] : j.at("target").items()) {
        TargetEncoding enc;
        enc.prior = e.at("prior").get<double>();
        enc.full = e.at("full").get<std::map<std::string, double>>();
        enc.fold_prior = e.at("fold_prior").get<std::array<double, kTargetFolds>>();
        enc.folds = e.at("folds").get<std::array<std::map<std::string, double>, kTargetFolds>>();
        fitted.target[column] = std::move(enc);
      }
    }
    return fitted;
  } catch (const nlohmann::json::exception& e) {
    return Status::ParseError(std::string("fitted feature state: ") + e.what());
  }
}

}  // namespace credo::features_internal
