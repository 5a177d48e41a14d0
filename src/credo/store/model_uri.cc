// Parsing and resolving model URIs.
#include "credo/store/model_uri.h"

#include <charconv>

#include "credo/base/fingerprint.h"
#include "credo/store/artifacts.h"

namespace credo::store {
namespace fs = std::filesystem;

namespace {

constexpr const char* kForms =
    "expected models:/NAME/VERSION, models:/NAME@ALIAS, models:/NAME/latest, runs:/RUN_ID/PATH or a folder";

Status bad_uri(std::string_view uri, const std::string& why) {
  return Status::InvalidArgument("model URI '" + std::string(uri) + "': " + why + " (" + kForms + ")");
}

}  // namespace

StatusOr<ModelUri> parse_model_uri(std::string_view uri) {
  ModelUri parsed;
  if (uri.rfind("models:/", 0) == 0) {
    std::string_view rest = uri.substr(8);
    if (size_t at = rest.find('@'); at != std::string_view::npos) {
      parsed.kind = ModelUri::Kind::kAlias;
      parsed.model_name = rest.substr(0, at);
      parsed.alias = rest.substr(at + 1);
      if (parsed.model_name.empty() || parsed.alias.empty()) return bad_uri(uri, "a name and an alias are needed");
      return parsed;
    }
    size_t slash = rest.rfind('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == rest.size())
      return bad_uri(uri, "a name and a version are needed");
    parsed.model_name = rest.substr(0, slash);
    std::string_view version = rest.substr(slash + 1);
    if (version == "latest") {
      parsed.kind = ModelUri::Kind::kLatest;
      return parsed;
    }
    auto [end, ec] = std::from_chars(version.data(), version.data() + version.size(), parsed.version);
    if (ec != std::errc() || end != version.data() + version.size() || parsed.version < 1)
      return bad_uri(uri, "version '" + std::string(version) + "' is not a number from 1");
    parsed.kind = ModelUri::Kind::kVersion;
    return parsed;
  }
  if (uri.rfind("runs:/", 0) == 0) {
    std::string_view rest = uri.substr(6);
    size_t slash = rest.find('/');
    parsed.kind = ModelUri::Kind::kRun;
    parsed.run_id = rest.substr(0, slash);
    parsed.path = slash == std::string_view::npos ? "" : std::string(rest.substr(slash + 1));
    if (parsed.run_id.empty()) return bad_uri(uri, "a run id is needed");
    CREDO_RETURN_IF_ERROR(validate_artifact_path(parsed.path));
    return parsed;
  }
  if (uri.find(":/") != std::string_view::npos && uri.rfind("file://", 0) != 0)
    return bad_uri(uri, "unknown scheme");
  if (uri.empty()) return bad_uri(uri, "empty");
  parsed.kind = ModelUri::Kind::kPath;
  parsed.path = uri.rfind("file://", 0) == 0 ? std::string(uri.substr(7)) : std::string(uri);
  return parsed;
}

StatusOr<ResolvedModel> resolve_model_uri(Store& store, std::string_view uri) {
  CREDO_ASSIGN_OR_RETURN(ModelUri parsed, parse_model_uri(uri));
  ResolvedModel resolved;
  std::error_code ec;
  switch (parsed.kind) {
    case ModelUri::Kind::kPath:
      resolved.dir = parsed.path;
      if (!fs::exists(resolved.dir, ec)) return Status::NotFound(parsed.path + ": no such model folder");
      return resolved;
    case ModelUri::Kind::kRun: {
      CREDO_ASSIGN_OR_RETURN(Run run, store.get_run(parsed.run_id));
      resolved.run_id = run.info.run_id;
      resolved.dir = fs::path(run.info.artifact_dir) / parsed.path;
      if (!fs::exists(resolved.dir, ec))
        return Status::NotFound("run " + run.info.run_id + " has no artifact '" + parsed.path + "'");
      return resolved;
    }
    case ModelUri::Kind::kAlias:
    case ModelUri::Kind::kLatest:
    case ModelUri::Kind::kVersion:
      break;
  }
  CREDO_ASSIGN_OR_RETURN(RegisteredModel model, store.get_registered_model(parsed.model_name));
  int64_t version = parsed.version;
  if (parsed.kind == ModelUri::Kind::kAlias) {
    auto it = model.aliases.find(parsed.alias);
    if (it == model.aliases.end())
      return Status::NotFound("model '" + parsed.model_name + "' has no alias '" + parsed.alias + "'");
    version = it->second;
  } else if (parsed.kind == ModelUri::Kind::kLatest) {
    CREDO_ASSIGN_OR_RETURN(std::vector<ModelVersion> versions, store.list_model_versions(parsed.model_name));
    version = 0;
    for (const ModelVersion& v : versions)
      if (v.status == "READY") version = v.version;
    if (version == 0) return Status::NotFound("model '" + parsed.model_name + "' has no READY version");
  }
  CREDO_ASSIGN_OR_RETURN(ModelVersion found, store.get_model_version(parsed.model_name, version));
  CREDO_ASSIGN_OR_RETURN(std::string content_hash, fingerprint_tree(found.artifact_dir));
  if (content_hash != found.content_hash)
    return Status::FailedPrecondition("version " + std::to_string(version) + " of '" + parsed.model_name +
                                      "': its files under " + found.artifact_dir +
                                      " changed since it was registered; refusing to load them");
  resolved.dir = found.artifact_dir;
  resolved.run_id = found.run_id;
  resolved.version = std::move(found);
  return resolved;
}

}  // namespace credo::store
