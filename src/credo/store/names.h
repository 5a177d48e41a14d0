// The names the store accepts, checked once at its boundary: keys of params, metrics and tags
// (MLflow's rule, which also keeps them safe as file names in an export), model names and aliases.
#pragma once

#include <string_view>

#include "credo/base/status.h"

namespace credo::store {

// `kind` is "metric", "param" or "tag": letters, digits, _ - . space and /, at most 250
// characters, not a path that climbs ("a/../b", "/a", "a//b").
Status validate_key(std::string_view kind, std::string_view key);
// Registered model names: letters, digits, _ - . (they name folders), starting with a letter or digit.
Status validate_model_name(std::string_view name);
// Aliases: letters, digits, _ and -, not "latest" and not v<digits> (those would read as versions).
Status validate_alias(std::string_view alias);

}  // namespace credo::store
