// The search of a training run (see model_search.h).
#include "credo/train/model_search.h"

#include <algorithm>
#include <cmath>

#include "credo/base/fingerprint.h"
#include "credo/base/random.h"
#include "credo/base/text_table.h"

namespace credo::train {
namespace {

// Trials planned for the progress bar: each algorithm's coarse trials and the refinement's.
size_t planned_trials(const TrainConfig& config, const std::vector<const Algorithm*>& algorithms) {
  size_t planned = static_cast<size_t>(config.refine_trials);
  for (const Algorithm* a : algorithms)
    planned += a->exhaustive_trials() > 0 ? std::min(a->exhaustive_trials(), config.trials) : config.trials;
  return planned;
}

}  // namespace

std::map<std::string, std::string> params_as_text(const Candidate& c) {
  std::map<std::string, std::string> out;
  for (const auto& [key, value] : c.params) out[key] = param_to_string(value);
  out["algorithm"] = c.algorithm->name();
  return out;
}

CvOptions cv_options_of(const TrainConfig& config) {
  CvOptions options;
  options.cost = config.cost;
  options.seed = config.seed;
  options.threads = config.threads;
  return options;
}

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

ModelSearch::ModelSearch(const TrainConfig& config, store::Store& store, store::RunOptions trial_options,
                         DenseRows data, const LabelledRows& train_part, const std::vector<Split>& folds,
                         Clock::time_point start, std::vector<const Algorithm*> algorithms, FILE* progress)
    : config_(config),
      store_(store),
      trial_options_(std::move(trial_options)),
      data_(data),
      train_part_(train_part),
      folds_(folds),
      start_(start),
      algorithms_(std::move(algorithms)),
      cv_options_(cv_options_of(config)),
      bar_("search", planned_trials(config, algorithms_), "trials", progress) {}

// The time budget: the search ends at 70% of it (the final fit and the reports need the rest);
// the coarse search shares its part (50%, all 70% without refinement) equally between the
// algorithms still to search, and a trial under way is abandoned between folds when its share
// is spent (an algorithm's first trial, its defaults, may run on to the end of the search).
ModelSearch::Clock::time_point ModelSearch::at_share(double share) const {
  return start_ + std::chrono::milliseconds(static_cast<int64_t>(1000 * share * config_.time_budget_seconds));
}

void ModelSearch::set_deadline(Clock::time_point deadline) {
  if (config_.time_budget_seconds > 0) cv_options_.deadline = deadline;
}

bool ModelSearch::out_of_search_time() const {
  return config_.time_budget_seconds > 0 && Clock::now() > *cv_options_.deadline;
}

int ModelSearch::coarse_trials(const Algorithm& algorithm) const {
  int exhaustive = algorithm.exhaustive_trials();
  return exhaustive > 0 ? std::min(exhaustive, config_.trials) : config_.trials;
}

Status ModelSearch::run() {
  CREDO_ASSIGN_OR_RETURN(method_, parse_search_method(config_.search));
  set_deadline(at_share(0.7));
  CREDO_RETURN_IF_ERROR(coarse_search());
  set_deadline(at_share(0.7));
  CREDO_RETURN_IF_ERROR(refine());
  bar_.finish();
  if (!best_) return Status::Internal("no candidate could be trained");
  return Status::Ok();
}

Status ModelSearch::coarse_search() {
  const Clock::time_point search_end = at_share(0.7);
  const Clock::time_point coarse_end = at_share(config_.refine_trials > 0 ? 0.5 : 0.7);
  for (size_t a = 0; a < algorithms_.size(); ++a) {
    const Algorithm* algorithm = algorithms_[a];
    Clock::time_point now = Clock::now();
    Clock::time_point share_end = now + (coarse_end - now) / static_cast<long>(algorithms_.size() - a);
    SearchSpace space = algorithm->search_space();
    space.push_back({"imbalance", ParamSpec::Kind::kChoice, 0, 0, config_.imbalance});
    SearchOptions search_options;
    search_options.seed =
        mix64(config_.seed ^ std::stoull(fingerprint_bytes(algorithm->name()).substr(0, 12), nullptr, 16));
    Params defaults = algorithm->defaults();
    defaults["imbalance"] = config_.imbalance[0];
    search_options.first_points = {defaults};
    searchers_[algorithm->name()] = make_searcher(method_, space, search_options);
    const int trials = coarse_trials(*algorithm);
    for (int t = 0; t < trials; ++t) {
      set_deadline(t == 0 ? search_end : share_end);
      if (out_of_search_time() && (t > 0 || best_)) break;
      CREDO_RETURN_IF_ERROR(run_trial(algorithm, t == 0));
    }
  }
  return Status::Ok();
}

Status ModelSearch::refine() {
  // An algorithm whose space the coarse search exhausted has nothing more to try.
  if (!best_ || best_->candidate.algorithm->exhaustive_trials() > 0) return Status::Ok();
  const Algorithm* algorithm = best_->candidate.algorithm;
  for (int t = 0; t < config_.refine_trials && !out_of_search_time(); ++t)
    CREDO_RETURN_IF_ERROR(run_trial(algorithm, false));
  return Status::Ok();
}

Status ModelSearch::run_trial(const Algorithm* algorithm, bool first) {
  cv_options_.on_fold_start = [&](size_t fold, size_t folds) {
    bar_.set_note(best_note_ + (best_note_.empty() ? "" : "  ") + "now " + algorithm->name() + " fold " +
                  std::to_string(fold + 1) + "/" + std::to_string(folds));
  };
  Searcher& searcher = *searchers_[algorithm->name()];
  std::optional<Params> params = searcher.propose();
  if (!params) return Status::Ok();
  Candidate candidate{algorithm, *params, Imbalance::kNone};
  CREDO_ASSIGN_OR_RETURN(candidate.imbalance, parse_imbalance(param_text(*params, "imbalance", config_.imbalance[0])));
  store::RunOptions options = trial_options_;
  options.run_name = algorithm->name() + "-" + std::to_string(++trials_);
  options.tags = {{"credo.stage", "trial"}, {"credo.algorithm", algorithm->name()}};
  CREDO_ASSIGN_OR_RETURN(std::unique_ptr<store::ActiveRun> trial, store::ActiveRun::start(store_, options));
  CREDO_RETURN_IF_ERROR(trial->log_params(params_as_text(candidate)));
  auto cv = cross_validate(candidate, data_, train_part_.rows, train_part_.labels, folds_, cv_options_);
  if (!cv.ok() && out_of_search_time() && best_) {
    (void)trial->set_tag("credo.stopped", "time budget");
    (void)trial->end(store::RunStatus::kKilled);
    return Status::Ok();
  }
  if (!cv.ok()) {
    (void)trial->set_tag("credo.error", cv.status().message());
    (void)trial->end(store::RunStatus::kFailed);
    searcher.observe(*params, INFINITY);
    if (first) return cv.status();  // the algorithm's defaults failing is an error, not a bad trial
    bar_.add(1);
    return Status::Ok();
  }
  CREDO_RETURN_IF_ERROR(log_cv(*trial, *cv));
  CREDO_RETURN_IF_ERROR(trial->end());
  searcher.observe(*params, cv->metrics.cost);
  record(candidate, std::move(*cv), trial->id());
  bar_.add(1);
  return Status::Ok();
}

void ModelSearch::record(const Candidate& candidate, CvResult cv, const std::string& run_id) {
  const std::string& name = candidate.algorithm->name();
  auto it = best_of_.find(name);
  if (it == best_of_.end() || cv.metrics.cost < it->second.cv.metrics.cost)
    best_of_[name] = LeaderboardEntry{candidate, std::move(cv), run_id};
  const LeaderboardEntry& mine = best_of_[name];
  if (!best_ || mine.cv.metrics.cost < best_->cv.metrics.cost) best_ = &mine;
  best_note_ = "best " + best_->candidate.algorithm->name() + " cost " + format_number(best_->cv.metrics.cost) +
               " AUC " + format_number(best_->cv.metrics.auc);
  bar_.set_note(best_note_);
}

std::vector<LeaderboardEntry> ModelSearch::leaderboard() const {
  std::vector<LeaderboardEntry> board;
  for (const auto& [name, entry] : best_of_) board.push_back(entry);
  std::sort(board.begin(), board.end(), [](const auto& a, const auto& b) { return a.cv.metrics.cost < b.cv.metrics.cost; });
  return board;
}

}  // namespace credo::train
