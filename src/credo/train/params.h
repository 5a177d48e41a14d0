// Hyper-parameters and the spaces they are searched in: what an algorithm takes, what a search
// proposes, what the tracking store records as a run's params.
#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "credo/base/status.h"

namespace credo::train {

// A hyper-parameter value: a number (integers too) or a word.
using ParamValue = std::variant<double, std::string>;
using Params = std::map<std::string, ParamValue>;

std::string param_to_string(const ParamValue& value);  // "0.05", "6", "l2"
double param_number(const Params& params, const std::string& name, double fallback);
std::string param_text(const Params& params, const std::string& name, const std::string& fallback);
nlohmann::json params_to_json(const Params& params);
StatusOr<Params> params_from_json(const nlohmann::json& json);

// One dimension of a search space.
struct ParamSpec {
  enum class Kind { kUniform, kLogUniform, kInteger, kChoice };
  std::string name;
  Kind kind = Kind::kUniform;
  double low = 0, high = 1;           // bounds (inclusive) of numeric kinds; kInteger draws whole numbers
  std::vector<std::string> choices;   // kChoice
};
using SearchSpace = std::vector<ParamSpec>;

}  // namespace credo::train
