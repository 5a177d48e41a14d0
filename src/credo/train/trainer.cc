// The training run, step by step: the data and hold-out, the search (model_search.cc), the final
// fit, the hold-out check, artifacts and registration.
#include "credo/train/trainer.h"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <cmath>
#include <map>
#include <memory>

#include "credo/base/auc.h"
#include "credo/base/clock.h"
#include "credo/base/fingerprint.h"
#include "credo/base/temp_dir.h"
#include "credo/base/text_table.h"
#include "credo/store/active_run.h"
#include "credo/train/client_contributions.h"
#include "credo/train/model_bundle.h"
#include "credo/train/model_search.h"
#include "credo/train/training_report.h"

namespace credo::train {
namespace {

using SteadyClock = std::chrono::steady_clock;

std::string format(double value) { return format_number(value); }

std::string utc_now_text() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &utc);
  return buf;
}

// The data of a training run: the feature file's clients with a label, split into the training
// part (with its folds) and the hold-out, put aside before anything else.
struct RunData {
  FeatureMatrix matrix;
  std::string fingerprint;  // of the feature file
  LabelledRows train_part, test_part;
  std::vector<Split> folds;

  DenseRows rows() const { return {matrix.values().data(), matrix.num_rows(), matrix.num_features()}; }
};

StatusOr<RunData> read_run_data(const TrainConfig& config) {
  RunData d;
  CREDO_ASSIGN_OR_RETURN(d.matrix, read_feature_matrix(config.features));
  CREDO_ASSIGN_OR_RETURN(LabelledRows labelled, labelled_rows(d.matrix, config.features));
  CREDO_ASSIGN_OR_RETURN(d.fingerprint, fingerprint_file(config.features));
  Split holdout = stratified_holdout(labelled.labels, config.test_fraction, config.seed);
  d.train_part = labelled_subset(labelled, holdout.train);
  d.test_part = labelled_subset(labelled, holdout.test);
  d.folds = stratified_kfold(d.train_part.labels, config.folds, config.seed);
  return d;
}

// The training run that holds the trials, the chosen model's metrics and its bundle.
StatusOr<std::unique_ptr<store::ActiveRun>> start_training_run(const TrainConfig& config, store::Store& store,
                                                               const store::RunOptions& options, const RunData& d) {
  CREDO_ASSIGN_OR_RETURN(std::unique_ptr<store::ActiveRun> parent, store::ActiveRun::start(store, options));
  const nlohmann::json config_json = train_config_to_json(config);
  for (const auto& [key, value] : config_json.items())
    CREDO_RETURN_IF_ERROR(parent->log_param(key, value.is_string() ? value.get<std::string>() : value.dump()));
  CREDO_RETURN_IF_ERROR(parent->log_metric("clients/train", static_cast<double>(d.train_part.rows.size())));
  CREDO_RETURN_IF_ERROR(parent->log_metric("clients/holdout", static_cast<double>(d.test_part.rows.size())));
  return parent;
}

struct FinalModel {
  std::unique_ptr<ScoringModel> model;
  std::vector<float> test_scores;  // of the hold-out clients
  size_t fit_rows = 0;             // training rows it was fitted on (without early-stopping rows)
};

// The chosen candidate refitted on the whole training part and scored on the hold-out.
StatusOr<FinalModel> fit_chosen(const Candidate& chosen, const RunData& d, const TrainConfig& config) {
  const CvOptions cv_options = cv_options_of(config);
  const DenseRows data = d.rows();
  LabelledRows fit_part = d.train_part, stop_part;
  if (chosen.algorithm->uses_early_stopping()) {
    Split inner = stratified_holdout(d.train_part.labels, cv_options.early_stopping_share, config.seed + 7);
    fit_part = labelled_subset(d.train_part, inner.train);
    stop_part = labelled_subset(d.train_part, inner.test);
  }
  ImbalanceOptions imbalance = cv_options.imbalance;
  imbalance.seed = config.seed;
  imbalance.threads = config.threads;
  CREDO_ASSIGN_OR_RETURN(TrainingRows final_rows,
                         treat_imbalance(chosen.imbalance, data, fit_part.rows, fit_part.labels, imbalance));
  FitData fit{data, &final_rows, stop_part.rows, stop_part.labels, config.seed, config.threads};
  FinalModel final_model;
  final_model.fit_rows = fit_part.rows.size();
  CREDO_ASSIGN_OR_RETURN(final_model.model, chosen.algorithm->fit(fit, chosen.params));
  std::vector<float> test_block = gather_rows(data, d.test_part.rows);
  CREDO_ASSIGN_OR_RETURN(final_model.test_scores,
                         final_model.model->predict({test_block.data(), d.test_part.rows.size(), data.cols}));
  return final_model;
}

// The hold-out's metrics at the cross-validated threshold, and against the truth when given.
Status judge_on_holdout(TrainResult& result, const std::vector<float>& test_scores, const RunData& d,
                        const TrainConfig& config) {
  const std::vector<uint8_t>& test_labels = d.test_part.labels;
  result.holdout = evaluate(test_scores, test_labels, result.chosen.cv.scan.best_threshold, config.cost);
  result.holdout_best_cost = scan_thresholds(test_scores, test_labels, config.cost).best_cost;
  if (config.truth.empty()) return Status::Ok();
  std::vector<int64_t> test_ids;
  for (int32_t row : d.test_part.rows) test_ids.push_back(d.matrix.id(static_cast<size_t>(row)));
  CREDO_ASSIGN_OR_RETURN(std::vector<float> true_pd, read_true_probabilities(config.truth, test_ids));
  result.truth = compare_with_truth(config.truth, true_pd, test_labels, config.cost);
  return Status::Ok();
}

// What a reader should doubt in the result: leakage, overfitting, an unstable estimate.
std::vector<std::string> warnings_of(const TrainResult& result) {
  std::vector<std::string> warnings;
  const BinaryMetrics& cv = result.chosen.cv.metrics;
  double train_auc = 0;
  for (double a : result.chosen.cv.fold_train_auc)
    train_auc += a / static_cast<double>(result.chosen.cv.fold_train_auc.size());
  if (cv.auc > 0.82)
    warnings.push_back("cross-validated AUC " + format(cv.auc) +
                       " is above 0.82: on the real data this suggests leakage or overfitting");
  if (train_auc - cv.auc > result.chosen.candidate.algorithm->overfitting_auc_gap())
    warnings.push_back("training AUC " + format(train_auc) + " is far above the cross-validated " + format(cv.auc) +
                       ": the model may be overfitting");
  if (std::abs(result.holdout.auc - cv.auc) > 0.03)
    warnings.push_back("hold-out AUC " + format(result.holdout.auc) + " differs from the cross-validated " +
                       format(cv.auc) + " by more than 0.03");
  return warnings;
}

// The chosen candidate's params, cross-validated and hold-out metrics and warnings on the run.
Status log_chosen(store::ActiveRun& parent, const TrainResult& result) {
  for (const auto& [key, value] : params_as_text(result.chosen.candidate))
    CREDO_RETURN_IF_ERROR(parent.set_tag("chosen." + key, value));
  CREDO_RETURN_IF_ERROR(log_cv(parent, result.chosen.cv));
  std::map<std::string, double> holdout_metrics = {
      {"holdout/business_cost", result.holdout.cost}, {"holdout/business_cost_at_0.5", result.holdout.cost_at_half},
      {"holdout/auc", result.holdout.auc}, {"holdout/accuracy", result.holdout.accuracy},
      {"holdout/precision", result.holdout.precision}, {"holdout/recall", result.holdout.recall},
      {"holdout/f1", result.holdout.f1}, {"holdout/brier", result.holdout.brier},
      {"holdout/log_loss", result.holdout.log_loss}, {"holdout/ks", result.holdout.ks},
      {"holdout/best_possible_cost", result.holdout_best_cost}};
  if (result.truth) {
    holdout_metrics["holdout/bayes_auc"] = result.truth->bayes_auc;
    holdout_metrics["holdout/bayes_business_cost"] = result.truth->bayes_cost;
  }
  for (const auto& [key, value] : holdout_metrics) CREDO_RETURN_IF_ERROR(parent.log_metric(key, value));
  for (const std::string& w : result.warnings) CREDO_RETURN_IF_ERROR(parent.set_tag("credo.warning", w));
  return Status::Ok();
}

// The bundle, saved into `dir` and logged as the run's "model" artifact.
Status save_model_bundle(const std::filesystem::path& dir, store::ActiveRun& parent, const TrainResult& result,
                         const FinalModel& final_model, const RunData& d, const TrainConfig& config) {
  const Candidate& chosen = result.chosen.candidate;
  BundleInfo info;
  info.algorithm = chosen.algorithm->name();
  info.params = chosen.params;
  info.imbalance = imbalance_name(chosen.imbalance);
  info.threshold = result.chosen.cv.scan.best_threshold;
  info.cost = config.cost;
  info.features = d.matrix.features();
  info.feature_pipeline = d.matrix.metadata();
  info.metrics = {{"cv", metrics_to_json(result.chosen.cv.metrics)}, {"holdout", metrics_to_json(result.holdout)}};
  info.data_fingerprint = d.fingerprint;
  info.training_rows = final_model.fit_rows;
  info.run_id = parent.id();
  info.created_utc = utc_now_text();
  CREDO_RETURN_IF_ERROR(save_bundle(dir, *final_model.model, info));
  CREDO_RETURN_IF_ERROR(parent.log_artifact(dir));
  return parent.flush();
}

// Registers the run's model as a new version with its tags, champion or challenger.
StatusOr<store::ModelVersion> register_version(store::Store& store, TrainResult& result, const TrainConfig& config,
                                               const std::string& run_id) {
  const Candidate& chosen = result.chosen.candidate;
  const std::string& name = config.model_name;
  CREDO_ASSIGN_OR_RETURN(store::ModelVersion version,
                         store.create_model_version(name, run_id, "model", chosen.algorithm->description()));
  CREDO_RETURN_IF_ERROR(store.set_model_version_tag(name, version.version, "algorithm", chosen.algorithm->name()));
  CREDO_RETURN_IF_ERROR(
      store.set_model_version_tag(name, version.version, "threshold", format(result.chosen.cv.scan.best_threshold)));
  CREDO_RETURN_IF_ERROR(store.set_model_version_tag(name, version.version, "imbalance", imbalance_name(chosen.imbalance)));
  CREDO_RETURN_IF_ERROR(store.set_model_version_tag(
      name, version.version, "cost_matrix",
      "FN " + format(config.cost.false_negative) + ", FP " + format(config.cost.false_positive) + ", TP " +
          format(config.cost.true_positive) + ", TN " + format(config.cost.true_negative)));
  CREDO_ASSIGN_OR_RETURN(store::RegisteredModel registered, store.get_registered_model(name));
  bool has_champion = registered.aliases.count("champion") > 0;
  result.alias = has_champion && !config.promote ? "challenger" : "champion";
  CREDO_RETURN_IF_ERROR(store.set_alias(name, result.alias, version.version, "credo train",
                                        "cross-validated business cost " + format(result.chosen.cv.metrics.cost) +
                                            ", hold-out " + format(result.holdout.cost)));
  result.model_uri = "models:/" + name + "/" + std::to_string(version.version);
  result.run_id = run_id;
  return version;
}

// Every known client's explanation, computed now that the version is registered and kept in the
// store, so the scoring service answers explanations of known clients with a lookup.
Status cache_client_contributions(store::Store& store, const ScoringModel& model, const RunData& d,
                                  const TrainConfig& config, const store::ModelVersion& version,
                                  const std::string& run_id, FILE* progress) {
  const FeatureMatrix& matrix = d.matrix;
  CREDO_ASSIGN_OR_RETURN(std::unique_ptr<RowScorer> scorer, model.row_scorer(matrix.num_features()));
  std::vector<int32_t> identity(matrix.num_features());
  for (size_t i = 0; i < identity.size(); ++i) identity[i] = static_cast<int32_t>(i);
  ContributionSource source;
  source.scorer = scorer.get();
  source.clients = &matrix;
  source.client_column = identity;
  source.used = contributing_features(model, matrix.num_features());
  for (const FeatureInfo& f : matrix.features()) source.feature_names.push_back(f.name);
  source.cache_key = contributions_cache_key(config.model_name, version.version, run_id, config.features);
  return ClientContributions::load_or_compute(source, contributions_cache_file(store.root(), config.model_name, version.version),
                                              config.threads, progress)
      .status();
}

}  // namespace

StatusOr<TrainResult> train_models(const TrainConfig& config, store::Store& store, const std::string& command_line,
                                   FILE* progress) {
  CREDO_RETURN_IF_ERROR(validate_train_config(config));
  auto start = SteadyClock::now();
  // 1. The data, the hold-out put aside, folds on the rest; the training run.
  CREDO_ASSIGN_OR_RETURN(RunData d, read_run_data(config));
  store::RunOptions run_options;
  run_options.experiment = config.experiment;
  run_options.run_name = "train";
  run_options.command_line = command_line;
  run_options.data_fingerprint = d.fingerprint;
  run_options.tags = {{"credo.stage", "train"}};
  CREDO_ASSIGN_OR_RETURN(std::unique_ptr<store::ActiveRun> parent, start_training_run(config, store, run_options, d));

  // 2-3. A coarse search of every algorithm, then more trials on the best.
  std::vector<const Algorithm*> algorithms;
  for (const std::string& name : config.algorithms) algorithms.push_back(find_algorithm(name).value());
  store::RunOptions trial_options = run_options;
  trial_options.parent_run_id = parent->id();
  ModelSearch search(config, store, trial_options, d.rows(), d.train_part, d.folds, start, std::move(algorithms),
                     progress);
  CREDO_RETURN_IF_ERROR(search.run());
  TrainResult result;
  result.trials = search.trials();
  result.leaderboard = search.leaderboard();
  result.chosen = result.leaderboard.front();

  // 4. The chosen candidate refitted on the whole training part, judged once on the hold-out.
  CREDO_ASSIGN_OR_RETURN(FinalModel final_model, fit_chosen(result.chosen.candidate, d, config));
  CREDO_RETURN_IF_ERROR(judge_on_holdout(result, final_model.test_scores, d, config));
  result.warnings = warnings_of(result);

  // 5. Reports, the bundle, registration.
  CREDO_RETURN_IF_ERROR(log_chosen(*parent, result));
  TempDir scratch("train");
  CREDO_RETURN_IF_ERROR(save_model_bundle(scratch / "model", *parent, result, final_model, d, config));
  CREDO_ASSIGN_OR_RETURN(store::ModelVersion version, register_version(store, result, config, parent->id()));
  CREDO_RETURN_IF_ERROR(cache_client_contributions(store, *final_model.model, d, config, version, parent->id(), progress));
  // The reports last, so the page names the registered version.
  CREDO_RETURN_IF_ERROR(write_training_report(result, *final_model.model, d.matrix, d.train_part, d.test_part.rows,
                                              d.test_part.labels, final_model.test_scores, config, scratch / "reports"));
  CREDO_RETURN_IF_ERROR(parent->log_artifact(scratch / "reports"));
  result.report = (parent->artifact_dir() / "reports" / "index.html").string();
  result.seconds = seconds_since(start);
  CREDO_RETURN_IF_ERROR(parent->log_metric("seconds", result.seconds));
  CREDO_RETURN_IF_ERROR(parent->end());
  return result;
}

std::vector<BaselineComparison> comparisons(const TrainResult& result) {
  std::vector<BaselineComparison> out;
  const double chosen_cost = result.chosen.cv.metrics.cost;
  for (const char* baseline : {"dummy", "logistic"})
    for (const LeaderboardEntry& e : result.leaderboard)
      if (e.candidate.algorithm->name() == baseline) {
        const double cost = e.cv.metrics.cost;
        out.push_back({baseline, cost, chosen_cost, cost > 0 ? 100 * (chosen_cost - cost) / cost : NAN});
        break;
      }
  return out;
}

std::string render_leaderboard(const TrainResult& result) {
  TextTable table({"", "ALGORITHM", "IMBALANCE", "BUSINESS COST", "± SD", "AUC", "ACCURACY", "THRESHOLD", "RUN"});
  for (const LeaderboardEntry& e : result.leaderboard) {
    auto [cost_mean, cost_sd] = fold_mean_sd(e.cv.fold_metrics, &BinaryMetrics::cost);
    (void)cost_mean;
    table.add_row({&e == &result.leaderboard.front() ? "*" : "", e.candidate.algorithm->name(),
                   imbalance_name(e.candidate.imbalance), format(e.cv.metrics.cost), format(cost_sd),
                   format(e.cv.metrics.auc), format(e.cv.metrics.accuracy), format(e.cv.metrics.threshold),
                   e.run_id.substr(0, 8)});
  }
  return table.render();
}

nlohmann::json train_result_to_json(const TrainResult& result) {
  nlohmann::json board = nlohmann::json::array();
  for (const LeaderboardEntry& e : result.leaderboard) {
    auto [cost_mean, cost_sd] = fold_mean_sd(e.cv.fold_metrics, &BinaryMetrics::cost);
    auto [auc_mean, auc_sd] = fold_mean_sd(e.cv.fold_metrics, &BinaryMetrics::auc);
    nlohmann::json params;
    for (const auto& [key, value] : e.candidate.params) params[key] = param_to_string(value);
    board.push_back({{"algorithm", e.candidate.algorithm->name()},
                     {"imbalance", imbalance_name(e.candidate.imbalance)},
                     {"chosen", &e == &result.leaderboard.front()},
                     {"run_id", e.run_id},
                     {"params", params},
                     {"cv", metrics_to_json(e.cv.metrics)},
                     {"business_cost_fold_mean", cost_mean},
                     {"business_cost_fold_sd", cost_sd},
                     {"auc_fold_mean", auc_mean},
                     {"auc_fold_sd", auc_sd}});
  }
  nlohmann::json out;
  out["model_uri"] = result.model_uri;
  out["alias"] = result.alias;
  out["run_id"] = result.run_id;
  out["report"] = result.report;
  out["algorithm"] = result.chosen.candidate.algorithm->name();
  out["imbalance"] = imbalance_name(result.chosen.candidate.imbalance);
  out["threshold"] = result.chosen.cv.scan.best_threshold;
  out["cv"] = metrics_to_json(result.chosen.cv.metrics);
  out["holdout"] = metrics_to_json(result.holdout);
  out["holdout"]["best_possible_cost"] = result.holdout_best_cost;
  if (result.truth)
    out["truth"] = {{"file", result.truth->path},
                    {"bayes_auc", result.truth->bayes_auc},
                    {"bayes_business_cost", result.truth->bayes_cost},
                    {"auc_gap", result.truth->bayes_auc - result.holdout.auc}};
  out["leaderboard"] = board;
  out["warnings"] = result.warnings;
  out["trials"] = result.trials;
  out["seconds"] = result.seconds;
  return out;
}

}  // namespace credo::train
