// Hyper-parameter values as text and JSON.
#include "credo/train/params.h"

#include <cstdio>

namespace credo::train {

std::string param_to_string(const ParamValue& value) {
  if (const std::string* text = std::get_if<std::string>(&value)) return *text;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", std::get<double>(value));
  return buf;
}

double param_number(const Params& params, const std::string& name, double fallback) {
  auto it = params.find(name);
  if (it == params.end()) return fallback;
  const double* number = std::get_if<double>(&it->second);
  return number ? *number : fallback;
}

std::string param_text(const Params& params, const std::string& name, const std::string& fallback) {
  auto it = params.find(name);
  if (it == params.end()) return fallback;
  const std::string* text = std::get_if<std::string>(&it->second);
  return text ? *text : fallback;
}

nlohmann::json params_to_json(const Params& params) {
  nlohmann::json out = nlohmann::json::object();
  for (const auto& [name, value] : params) std::visit([&](const auto& v) { out[name] = v; }, value);
  return out;
}

StatusOr<Params> params_from_json(const nlohmann::json& json) {
  if (!json.is_object()) return Status::InvalidArgument("hyper-parameters: expected an object");
  Params params;
  for (const auto& [name, value] : json.items()) {
    if (value.is_number()) params[name] = value.get<double>();
    else if (value.is_string()) params[name] = value.get<std::string>();
    else return Status::InvalidArgument("hyper-parameter '" + name + "': expected a number or a string");
  }
  return params;
}

}  // namespace credo::train
