// Writing and reading model bundles.
#include "credo/train/model_bundle.h"

#include <chrono>
#include <ctime>
#include <fstream>
#include <random>

#include "credo/base/atomic_file.h"
#include "credo/base/version.h"
#include "credo/store/mlflow_format.h"

namespace credo::train {
namespace fs = std::filesystem;

namespace {

nlohmann::json cost_to_json(const CostMatrix& c) {
  return {{"false_negative", c.false_negative}, {"false_positive", c.false_positive},
          {"true_positive", c.true_positive}, {"true_negative", c.true_negative}};
}

std::string new_uuid() {
  std::random_device random;
  char buf[33];
  std::snprintf(buf, sizeof buf, "%08x%08x%08x%08x", random(), random(), random(), random());
  return buf;
}

Status write_json(const fs::path& path, const nlohmann::json& json) {
  return write_file_atomically(path.string(), json.dump(2) + "\n");
}

// MLflow's MLmodel manifest, with credo's flavour and the input signature. A model saved as an
// XGBoost booster (`saved` names it) also declares MLflow's xgboost flavour, with the fields
// mlflow.xgboost.load_model reads, so MLflow users load the booster without credo.
std::string mlmodel_text(const BundleInfo& info, const nlohmann::json& saved) {
  using store::YamlField;
  using store::yaml_scalar;
  nlohmann::json inputs = nlohmann::json::array();
  for (const FeatureInfo& f : info.features) inputs.push_back({{"name", f.name}, {"type", "float"}, {"required", false}});
  nlohmann::json outputs = nlohmann::json::array({{{"name", "probability"}, {"type", "float"}}});
  std::string flavors = "\n  credo:\n    algorithm: " + yaml_scalar(info.algorithm) +
                        "\n    credo_version: " + yaml_scalar(credo_version()) +
                        "\n    bundle_format: " + std::to_string(kBundleFormatVersion) + "\n    model_dir: model";
  if (saved.contains("booster") && saved.contains("xgboost_version")) {
    std::string booster = saved["booster"].get<std::string>();
    flavors += "\n  xgboost:\n    code: null\n    data: " + yaml_scalar("model/" + booster) +
               "\n    model_class: xgboost.core.Booster\n    model_format: " +
               yaml_scalar(fs::path(booster).extension().string().substr(1)) +
               "\n    xgb_version: " + yaml_scalar(saved["xgboost_version"].get<std::string>());
  }
  std::string signature = "\n  inputs: " + yaml_scalar(inputs.dump()) + "\n  outputs: " + yaml_scalar(outputs.dump());
  return store::yaml_document({{"artifact_path", "model"},
                               {"flavors", flavors},
                               {"model_uuid", yaml_scalar(new_uuid())},
                               {"run_id", yaml_scalar(info.run_id)},
                               {"signature", signature},
                               {"utc_time_created", yaml_scalar(info.created_utc)}});
}

}  // namespace

Status save_bundle(const fs::path& dir, const ScoringModel& model, const BundleInfo& info) {
  std::error_code ec;
  fs::create_directories(dir / "model", ec);
  if (ec) return Status::IoError(dir.string() + ": " + ec.message());
  CREDO_ASSIGN_OR_RETURN(nlohmann::json saved, model.save(dir / "model"));
  CREDO_RETURN_IF_ERROR(write_file_atomically((dir / "MLmodel").string(), mlmodel_text(info, saved)));
  nlohmann::json features = nlohmann::json::array();
  for (const FeatureInfo& f : info.features)
    features.push_back({{"name", f.name}, {"table", f.table}, {"filter", f.filter}, {"aggregation", f.aggregation},
                        {"source_column", f.source_column}, {"description", f.description}});
  CREDO_RETURN_IF_ERROR(write_json(dir / "features.json", {{"features", features}, {"pipeline", info.feature_pipeline}}));
  CREDO_RETURN_IF_ERROR(write_json(dir / "decision.json",
                                   {{"threshold", info.threshold},
                                    {"cost_matrix", cost_to_json(info.cost)},
                                    {"rule", "REFUSED when the probability of default >= threshold, else ACCEPTED"}}));
  CREDO_RETURN_IF_ERROR(write_json(dir / "metrics.json", info.metrics));
  CREDO_RETURN_IF_ERROR(write_json(dir / "params.json", {{"algorithm", info.algorithm},
                                                         {"params", params_to_json(info.params)},
                                                         {"imbalance", info.imbalance},
                                                         {"model", saved},
                                                         {"bundle_format", kBundleFormatVersion}}));
  return write_json(dir / "data.json", {{"fingerprint", info.data_fingerprint},
                                        {"training_rows", info.training_rows},
                                        {"run_id", info.run_id},
                                        {"created_utc", info.created_utc}});
}

StatusOr<Bundle> load_bundle(const fs::path& dir, int threads) {
  Bundle bundle;
  BundleInfo& info = bundle.info;
  CREDO_ASSIGN_OR_RETURN(nlohmann::json params, read_json_file(dir / "params.json"));
  CREDO_ASSIGN_OR_RETURN(nlohmann::json features, read_json_file(dir / "features.json"));
  CREDO_ASSIGN_OR_RETURN(nlohmann::json decision, read_json_file(dir / "decision.json"));
  CREDO_ASSIGN_OR_RETURN(info.metrics, read_json_file(dir / "metrics.json"));
  CREDO_ASSIGN_OR_RETURN(nlohmann::json data, read_json_file(dir / "data.json"));
  // Each file's fields are read in its own block, so an error names the file (nlohmann's
  // message names the field: "key 'threshold' not found", "type must be number").
  std::string file;
  try {
    file = "params.json";
    if (params.at("bundle_format").get<int>() > kBundleFormatVersion)
      return Status::FailedPrecondition(dir.string() + ": bundle format " + params["bundle_format"].dump() +
                                        " is newer than this credo's; use a newer credo");
    info.algorithm = params.at("algorithm").get<std::string>();
    CREDO_ASSIGN_OR_RETURN(info.params, params_from_json(params.at("params")));
    info.imbalance = params.at("imbalance").get<std::string>();
    file = "features.json";
    for (const auto& f : features.at("features"))
      info.features.push_back(FeatureInfo{f.at("name"), f.value("table", ""), f.value("filter", ""),
                                          f.value("aggregation", ""), f.value("source_column", ""),
                                          f.value("description", "")});
    info.feature_pipeline = features.value("pipeline", nlohmann::json());
    file = "decision.json";
    info.threshold = decision.at("threshold").get<double>();
    const auto& c = decision.at("cost_matrix");
    info.cost = {c.at("false_negative"), c.at("false_positive"), c.at("true_positive"), c.at("true_negative")};
    file = "data.json";
    info.data_fingerprint = data.value("fingerprint", "");
    info.training_rows = data.value("training_rows", size_t{0});
    info.run_id = data.value("run_id", "");  // bundles of before 2026-11-30 kept them in MLmodel only
    info.created_utc = data.value("created_utc", "");
    file = "params.json (model)";
    CREDO_ASSIGN_OR_RETURN(const Algorithm* algorithm, find_algorithm(info.algorithm));
    CREDO_ASSIGN_OR_RETURN(bundle.model, algorithm->load(dir / "model", params.at("model"), threads));
  } catch (const nlohmann::json::exception& e) {
    return Status::ParseError((dir / file).string() + ": " + e.what());
  }
  return bundle;
}

StatusOr<std::vector<float>> aligned_rows(const Bundle& bundle, const FeatureMatrix& matrix,
                                          std::span<const int32_t> rows) {
  std::vector<size_t> source;
  for (const FeatureInfo& f : bundle.info.features) {
    int index = matrix.feature_index(f.name);
    if (index < 0)
      return Status::InvalidArgument("the features file has no feature '" + f.name +
                                     "' that the model needs (features built from other data get their own levels: "
                                     "score raw data with `credo predict --data`, or build the file with "
                                     "`credo features --like MODEL`)");
    source.push_back(static_cast<size_t>(index));
  }
  std::vector<float> out(rows.size() * source.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    const float* row = matrix.row(static_cast<size_t>(rows[i]));
    for (size_t j = 0; j < source.size(); ++j) out[i * source.size() + j] = row[source[j]];
  }
  return out;
}

}  // namespace credo::train
