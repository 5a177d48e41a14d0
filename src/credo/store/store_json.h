// The store's records as JSON, one shape for `--json` on the command line and for the scoring
// service's model endpoint: field names as MLflow's REST API names them where it has them.
#pragma once

#include <nlohmann/json.hpp>

#include "credo/store/entities.h"

namespace credo::store {

nlohmann::json to_json(const Experiment& experiment);
nlohmann::json to_json(const RunInfo& info);
nlohmann::json to_json(const Run& run);
nlohmann::json to_json(const RegisteredModel& model);
nlohmann::json to_json(const ModelVersion& version);
nlohmann::json to_json(const AliasMove& move);

}  // namespace credo::store
