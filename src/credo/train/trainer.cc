// The training run: search, selection, final fit, hold-out check, artifacts and registration.
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
#include "credo/base/progress.h"
#include "credo/base/random.h"
#include "credo/base/temp_dir.h"
#include "credo/base/text_table.h"
#include "credo/store/active_run.h"
#include "credo/train/client_contributions.h"
#include "credo/train/model_bundle.h"
#include "credo/train/search.h"
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

// Metrics of a cross-validated candidate, as the tracking store records them.
Status log_cv(store::ActiveRun& run, const CvResult& cv) {
  const BinaryMetrics& m = cv.metrics;
  std::map<std::string, double> values = {
      {"business_cost", m.cost},   {"business_cost_at_0.5", m.cost_at_half}, {"threshold", m.threshold},
      {"auc", m.auc},              {"accuracy", m.accuracy},                 {"precision", m.precision},
      {"recall", m.recall},        {"f1", m.f1},                             {"f2", m.f_beta},
      {"brier", m.brier},          {"log_loss", m.log_loss},                 {"ks", m.ks},
      {"fit_seconds", cv.fit_seconds}, {"predict_seconds", cv.predict_seconds}};
  auto [cost_mean, cost_sd] = fold_mean_sd(cv.fold_metrics, &BinaryMetrics::cost);
  auto [auc_mean, auc_sd] = fold_mean_sd(cv.fold_metrics, &BinaryMetrics::auc);
  values["business_cost_fold_mean"] = cost_mean;
  values["business_cost_fold_sd"] = cost_sd;
  values["auc_fold_mean"] = auc_mean;
  values["auc_fold_sd"] = auc_sd;
  double train_auc = 0;
  for (double a : cv.fold_train_auc) train_auc += a / static_cast<double>(cv.fold_train_auc.size());
  values["train_auc"] = train_auc;
  for (const auto& [key, value] : cv.facts) values["fit/" + key] = value;
  for (const auto& [key, value] : values) CREDO_RETURN_IF_ERROR(run.log_metric(key, value));
  for (size_t f = 0; f < cv.fold_metrics.size(); ++f) {
    CREDO_RETURN_IF_ERROR(run.log_metric("fold_auc", cv.fold_metrics[f].auc, static_cast<int64_t>(f)));
    CREDO_RETURN_IF_ERROR(run.log_metric("fold_business_cost", cv.fold_metrics[f].cost, static_cast<int64_t>(f)));
  }
  return Status::Ok();
}

std::map<std::string, std::string> params_as_text(const Candidate& c) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : c.params) out[key] = param_to_string(value);
  out["algorithm"] = c.algorithm->name();
  return out;
}

}  // namespace

StatusOr<TrainResult> train_models(const TrainConfig& config, store::Store& store, const std::string& command_line,
                                   FILE* progress) {
  CREDO_RETURN_IF_ERROR(validate_train_config(config));
  auto start = SteadyClock::now();
  CREDO_ASSIGN_OR_RETURN(FeatureMatrix matrix, read_feature_matrix(config.features));
  CREDO_ASSIGN_OR_RETURN(LabelledRows labelled, labelled_rows(matrix, config.features));
  CREDO_ASSIGN_OR_RETURN(std::string fingerprint, fingerprint_file(config.features));
  DenseRows data{matrix.values().data(), matrix.num_rows(), matrix.num_features()};

  // 1. The hold-out, put aside before anything else; folds on the rest.
  Split holdout = stratified_holdout(labelled.labels, config.test_fraction, config.seed);
  LabelledRows train_part = labelled_subset(labelled, holdout.train), test_part = labelled_subset(labelled, holdout.test);
  const std::vector<int32_t>& train_rows = train_part.rows;
  const std::vector<uint8_t>& train_labels = train_part.labels;
  const std::vector<int32_t>& test_rows = test_part.rows;
  const std::vector<uint8_t>& test_labels = test_part.labels;
  std::vector<Split> folds = stratified_kfold(train_labels, config.folds, config.seed);

  store::RunOptions run_options;
  run_options.experiment = config.experiment;
  run_options.run_name = "train";
  run_options.command_line = command_line;
  run_options.data_fingerprint = fingerprint;
  run_options.tags = {{"credo.stage", "train"}};
  CREDO_ASSIGN_OR_RETURN(std::unique_ptr<store::ActiveRun> parent, store::ActiveRun::start(store, run_options));
  const nlohmann::json config_json = train_config_to_json(config);
  for (const auto& [key, value] : config_json.items())
    CREDO_RETURN_IF_ERROR(parent->log_param(key, value.is_string() ? value.get<std::string>() : value.dump()));
  CREDO_RETURN_IF_ERROR(parent->log_metric("clients/train", static_cast<double>(train_rows.size())));
  CREDO_RETURN_IF_ERROR(parent->log_metric("clients/holdout", static_cast<double>(test_rows.size())));

  CvOptions cv_options;
  cv_options.cost = config.cost;
  cv_options.seed = config.seed;
  cv_options.threads = config.threads;
  CREDO_ASSIGN_OR_RETURN(SearchMethod method, parse_search_method(config.search));
  // The time budget: the search ends at 70% of it (the final fit and the reports need the rest);
  // the coarse search shares its part (50%, all 70% without refinement) equally between the
  // algorithms still to search, and a trial under way is abandoned between folds when its share
  // is spent (an algorithm's first trial, its defaults, may run on to the end of the search).
  bool budgeted = config.time_budget_seconds > 0;
  auto at_share = [&](double share) {
    return start + std::chrono::milliseconds(static_cast<int64_t>(1000 * share * config.time_budget_seconds));
  };
  const SteadyClock::time_point search_end = at_share(0.7);
  const SteadyClock::time_point coarse_end = at_share(config.refine_trials > 0 ? 0.5 : 0.7);
  auto set_deadline = [&](SteadyClock::time_point deadline) {
    if (budgeted) cv_options.deadline = deadline;
  };
  auto out_of_search_time = [&] { return budgeted && SteadyClock::now() > *cv_options.deadline; };
  set_deadline(search_end);

  std::vector<const Algorithm*> algorithms;
  for (const std::string& name : config.algorithms) algorithms.push_back(find_algorithm(name).value());
  size_t planned = 0;
  for (const Algorithm* a : algorithms) planned += a->name() == "dummy" ? std::min(2, config.trials) : config.trials;
  planned += static_cast<size_t>(config.refine_trials);
  ProgressBar bar("search", planned, "trials", progress);

  TrainResult result;
  std::map<std::string, std::unique_ptr<Searcher>> searchers;
  std::map<std::string, LeaderboardEntry> best_of;
  const LeaderboardEntry* best = nullptr;
  std::string best_note;
  auto run_trial = [&](const Algorithm* algorithm, bool first) -> Status {
    cv_options.on_fold_start = [&](size_t fold, size_t folds) {
      bar.set_note(best_note + (best_note.empty() ? "" : "  ") + "now " + algorithm->name() + " fold " +
                   std::to_string(fold + 1) + "/" + std::to_string(folds));
    };
    std::unique_ptr<Searcher>& searcher = searchers[algorithm->name()];
    std::optional<Params> params = searcher->propose();
    if (!params) return Status::Ok();
    Candidate candidate{algorithm, *params, Imbalance::kNone};
    CREDO_ASSIGN_OR_RETURN(candidate.imbalance, parse_imbalance(param_text(*params, "imbalance", config.imbalance[0])));
    store::RunOptions trial_options = run_options;
    trial_options.run_name = algorithm->name() + "-" + std::to_string(++result.trials);
    trial_options.parent_run_id = parent->id();
    trial_options.tags = {{"credo.stage", "trial"}, {"credo.algorithm", algorithm->name()}};
    CREDO_ASSIGN_OR_RETURN(std::unique_ptr<store::ActiveRun> trial, store::ActiveRun::start(store, trial_options));
    CREDO_RETURN_IF_ERROR(trial->log_params(params_as_text(candidate)));
    auto cv = cross_validate(candidate, data, train_rows, train_labels, folds, cv_options);
    if (!cv.ok() && out_of_search_time() && best) {
      (void)trial->set_tag("credo.stopped", "time budget");
      (void)trial->end(store::RunStatus::kKilled);
      return Status::Ok();
    }
    if (!cv.ok()) {
      (void)trial->set_tag("credo.error", cv.status().message());
      (void)trial->end(store::RunStatus::kFailed);
      searcher->observe(*params, INFINITY);
      if (first) return cv.status();  // the algorithm's defaults failing is an error, not a bad trial
      bar.add(1);
      return Status::Ok();
    }
    CREDO_RETURN_IF_ERROR(log_cv(*trial, *cv));
    CREDO_RETURN_IF_ERROR(trial->end());
    searcher->observe(*params, cv->metrics.cost);
    auto it = best_of.find(algorithm->name());
    if (it == best_of.end() || cv->metrics.cost < it->second.cv.metrics.cost)
      best_of[algorithm->name()] = LeaderboardEntry{candidate, std::move(*cv), trial->id()};
    const LeaderboardEntry& mine = best_of[algorithm->name()];
    if (!best || mine.cv.metrics.cost < best->cv.metrics.cost) best = &mine;
    bar.add(1);
    best_note = "best " + best->candidate.algorithm->name() + " cost " + format(best->cv.metrics.cost) + " AUC " +
                format(best->cv.metrics.auc);
    bar.set_note(best_note);
    return Status::Ok();
  };

  // 2. A coarse search of every algorithm, its defaults first.
  for (size_t a = 0; a < algorithms.size(); ++a) {
    const Algorithm* algorithm = algorithms[a];
    SteadyClock::time_point now = SteadyClock::now();
    SteadyClock::time_point share_end = now + (coarse_end - now) / static_cast<long>(algorithms.size() - a);
    SearchSpace space = algorithm->search_space();
    space.push_back({"imbalance", ParamSpec::Kind::kChoice, 0, 0, config.imbalance});
    SearchOptions search_options;
    search_options.seed = mix64(config.seed ^ std::stoull(fingerprint_bytes(algorithm->name()).substr(0, 12), nullptr, 16));
    Params defaults = algorithm->defaults();
    defaults["imbalance"] = config.imbalance[0];
    search_options.first_points = {defaults};
    searchers[algorithm->name()] = make_searcher(method, space, search_options);
    int trials = algorithm->name() == "dummy" ? std::min(2, config.trials) : config.trials;
    for (int t = 0; t < trials; ++t) {
      set_deadline(t == 0 ? search_end : share_end);
      if (out_of_search_time() && (t > 0 || best)) break;
      CREDO_RETURN_IF_ERROR(run_trial(algorithm, t == 0));
    }
  }
  set_deadline(search_end);
  // 3. More trials on the best algorithm.
  if (best && best->candidate.algorithm->name() != "dummy") {
    const Algorithm* refine = best->candidate.algorithm;
    for (int t = 0; t < config.refine_trials && !out_of_search_time(); ++t) CREDO_RETURN_IF_ERROR(run_trial(refine, false));
  }
  bar.finish();
  if (!best) return Status::Internal("no candidate could be trained");
  for (auto& [name, entry] : best_of) result.leaderboard.push_back(entry);
  std::sort(result.leaderboard.begin(), result.leaderboard.end(),
            [](const auto& a, const auto& b) { return a.cv.metrics.cost < b.cv.metrics.cost; });
  result.chosen = result.leaderboard.front();
  const Candidate& chosen = result.chosen.candidate;

  // 4. The chosen candidate refitted on the whole training part, judged once on the hold-out.
  LabelledRows fit_part = train_part, stop_part;
  if (chosen.algorithm->uses_early_stopping()) {
    Split inner = stratified_holdout(train_labels, cv_options.early_stopping_share, config.seed + 7);
    fit_part = labelled_subset(train_part, inner.train);
    stop_part = labelled_subset(train_part, inner.test);
  }
  const std::vector<int32_t>& fit_rows = fit_part.rows;
  ImbalanceOptions imbalance = cv_options.imbalance;
  imbalance.seed = config.seed;
  imbalance.threads = config.threads;
  CREDO_ASSIGN_OR_RETURN(TrainingRows final_rows, treat_imbalance(chosen.imbalance, data, fit_part.rows, fit_part.labels, imbalance));
  FitData fit{data, &final_rows, stop_part.rows, stop_part.labels, config.seed, config.threads};
  CREDO_ASSIGN_OR_RETURN(std::unique_ptr<ScoringModel> model, chosen.algorithm->fit(fit, chosen.params));
  std::vector<float> test_block = gather_rows(data, test_rows);
  CREDO_ASSIGN_OR_RETURN(std::vector<float> test_scores, model->predict({test_block.data(), test_rows.size(), data.cols}));
  double threshold = result.chosen.cv.scan.best_threshold;
  result.holdout = evaluate(test_scores, test_labels, threshold, config.cost);
  result.holdout_best_cost = scan_thresholds(test_scores, test_labels, config.cost).best_cost;
  if (!config.truth.empty()) {
    std::vector<int64_t> test_ids;
    for (int32_t row : test_rows) test_ids.push_back(matrix.id(static_cast<size_t>(row)));
    CREDO_ASSIGN_OR_RETURN(std::vector<float> true_pd, read_true_probabilities(config.truth, test_ids));
    result.truth = compare_with_truth(config.truth, true_pd, test_labels, config.cost);
  }

  const BinaryMetrics& cv = result.chosen.cv.metrics;
  double train_auc = 0;
  for (double a : result.chosen.cv.fold_train_auc) train_auc += a / static_cast<double>(result.chosen.cv.fold_train_auc.size());
  if (cv.auc > 0.82)
    result.warnings.push_back("cross-validated AUC " + format(cv.auc) +
                              " is above 0.82: on the real data this suggests leakage or overfitting");
  if (train_auc - cv.auc > chosen.algorithm->overfitting_auc_gap())
    result.warnings.push_back("training AUC " + format(train_auc) + " is far above the cross-validated " +
                              format(cv.auc) + ": the model may be overfitting");
  if (std::abs(result.holdout.auc - cv.auc) > 0.03)
    result.warnings.push_back("hold-out AUC " + format(result.holdout.auc) + " differs from the cross-validated " +
                              format(cv.auc) + " by more than 0.03");

  // 5. Reports, the bundle, registration.
  for (const auto& [key, value] : params_as_text(chosen)) CREDO_RETURN_IF_ERROR(parent->set_tag("chosen." + key, value));
  CREDO_RETURN_IF_ERROR(log_cv(*parent, result.chosen.cv));
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
  for (const auto& [key, value] : holdout_metrics) CREDO_RETURN_IF_ERROR(parent->log_metric(key, value));
  for (const std::string& w : result.warnings) CREDO_RETURN_IF_ERROR(parent->set_tag("credo.warning", w));

  TempDir scratch("train");
  BundleInfo info;
  info.algorithm = chosen.algorithm->name();
  info.params = chosen.params;
  info.imbalance = imbalance_name(chosen.imbalance);
  info.threshold = threshold;
  info.cost = config.cost;
  info.features = matrix.features();
  info.feature_pipeline = matrix.metadata();
  info.metrics = {{"cv", metrics_to_json(cv)}, {"holdout", metrics_to_json(result.holdout)}};
  info.data_fingerprint = fingerprint;
  info.training_rows = fit_rows.size();
  info.run_id = parent->id();
  info.created_utc = utc_now_text();
  CREDO_RETURN_IF_ERROR(save_bundle(scratch / "model", *model, info));
  CREDO_RETURN_IF_ERROR(parent->log_artifact(scratch / "model"));
  CREDO_RETURN_IF_ERROR(parent->flush());

  CREDO_ASSIGN_OR_RETURN(store::ModelVersion version,
                         store.create_model_version(config.model_name, parent->id(), "model",
                                                    chosen.algorithm->description()));
  CREDO_RETURN_IF_ERROR(store.set_model_version_tag(config.model_name, version.version, "algorithm", info.algorithm));
  CREDO_RETURN_IF_ERROR(store.set_model_version_tag(config.model_name, version.version, "threshold", format(threshold)));
  CREDO_RETURN_IF_ERROR(store.set_model_version_tag(config.model_name, version.version, "imbalance", info.imbalance));
  CREDO_RETURN_IF_ERROR(store.set_model_version_tag(
      config.model_name, version.version, "cost_matrix",
      "FN " + format(config.cost.false_negative) + ", FP " + format(config.cost.false_positive) + ", TP " +
          format(config.cost.true_positive) + ", TN " + format(config.cost.true_negative)));
  CREDO_ASSIGN_OR_RETURN(store::RegisteredModel registered, store.get_registered_model(config.model_name));
  bool has_champion = registered.aliases.count("champion") > 0;
  result.alias = has_champion && !config.promote ? "challenger" : "champion";
  CREDO_RETURN_IF_ERROR(store.set_alias(config.model_name, result.alias, version.version, "credo train",
                                        "cross-validated business cost " + format(cv.cost) + ", hold-out " +
                                            format(result.holdout.cost)));
  result.model_uri = "models:/" + config.model_name + "/" + std::to_string(version.version);
  result.run_id = parent->id();
  // Every known client's explanation, computed now that the version is registered and kept in the
  // store, so the scoring service answers explanations of known clients with a lookup.
  {
    CREDO_ASSIGN_OR_RETURN(std::unique_ptr<RowScorer> scorer, model->row_scorer(matrix.num_features()));
    std::vector<int32_t> identity(matrix.num_features());
    for (size_t i = 0; i < identity.size(); ++i) identity[i] = static_cast<int32_t>(i);
    ContributionSource source;
    source.scorer = scorer.get();
    source.clients = &matrix;
    source.client_column = identity;
    source.used = contributing_features(*model, matrix.num_features());
    for (const FeatureInfo& f : matrix.features()) source.feature_names.push_back(f.name);
    source.cache_key = contributions_cache_key(config.model_name, version.version, parent->id(), config.features);
    CREDO_RETURN_IF_ERROR(ClientContributions::load_or_compute(
                              source, contributions_cache_file(store.root(), config.model_name, version.version),
                              config.threads, progress)
                              .status());
  }
  // The reports last, so the page names the registered version.
  CREDO_RETURN_IF_ERROR(write_training_report(result, *model, matrix, train_part, test_rows, test_labels, test_scores,
                                              config, scratch / "reports"));
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
