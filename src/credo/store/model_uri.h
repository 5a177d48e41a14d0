// Model URIs as MLflow writes them, resolved by the one function every command uses to find a
// model's files:
//   models:/credit-default/3          version 3
//   models:/credit-default@champion   the version the alias points at
//   models:/credit-default/latest     the newest READY version
//   runs:/<run_id>/model              an artifact folder of a run (a unique id prefix will do)
//   /path/to/bundle, file:///path     a folder on disk
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "credo/store/store.h"

namespace credo::store {

struct ModelUri {
  enum class Kind { kVersion, kAlias, kLatest, kRun, kPath };
  Kind kind = Kind::kPath;
  std::string model_name;
  int64_t version = 0;
  std::string alias;
  std::string run_id;
  std::string path;  // the artifact path of runs:/, or the folder of a plain path
};

// Parses a URI; errors say which form was expected.
StatusOr<ModelUri> parse_model_uri(std::string_view uri);

struct ResolvedModel {
  std::filesystem::path dir;           // the folder holding the model's files
  std::optional<ModelVersion> version; // for models:/ URIs
  std::string run_id;                  // the run that produced it, when known
};

// Finds the model's folder. A registered version's files are checked against the fingerprint
// taken at registration, so a version edited on disk is refused rather than served.
StatusOr<ResolvedModel> resolve_model_uri(Store& store, std::string_view uri);

}  // namespace credo::store
