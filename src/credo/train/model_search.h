// The search of a training run: a coarse search of every algorithm (its defaults first), then
// more trials on the best one, each trial cross-validated on the training part and tracked as a
// child run of the training run, within the run's time budget. Internal to trainer.cc.
#pragma once

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "credo/base/progress.h"
#include "credo/store/active_run.h"
#include "credo/train/cross_validation.h"
#include "credo/train/search.h"
#include "credo/train/splits.h"
#include "credo/train/train_config.h"
#include "credo/train/trainer.h"

namespace credo::train {

// Options of cross-validation from the config (cost, seed, threads; the rest as CvOptions has).
CvOptions cv_options_of(const TrainConfig& config);

// A candidate's params as text, with its algorithm's name under "algorithm".
std::map<std::string, std::string> params_as_text(const Candidate& candidate);

// Logs a cross-validated candidate's metrics as the tracking store records them.
Status log_cv(store::ActiveRun& run, const CvResult& cv);

class ModelSearch {
 public:
  using Clock = std::chrono::steady_clock;

  // `trial_options` are the parent run's options (each trial's are derived from them);
  // `start` is when the training run began (the time budget counts from it).
  ModelSearch(const TrainConfig& config, store::Store& store, store::RunOptions trial_options, DenseRows data,
              const LabelledRows& train_part, const std::vector<Split>& folds, Clock::time_point start,
              std::vector<const Algorithm*> algorithms, FILE* progress);

  // Runs the coarse search then the refinement. Internal error when no candidate was trained.
  Status run();

  // The best trial of each algorithm, lowest cost first.
  std::vector<LeaderboardEntry> leaderboard() const;
  int trials() const { return trials_; }

 private:
  // How many trials an algorithm gets in the coarse search.
  int coarse_trials(const Algorithm& algorithm) const;
  Status coarse_search();
  Status refine();
  // One trial of `algorithm`'s searcher: cross-validated, tracked, observed. `first` (its
  // defaults) failing is an error; later failures are bad trials.
  Status run_trial(const Algorithm* algorithm, bool first);
  // Records a finished trial's result: the algorithm's best and the overall best.
  void record(const Candidate& candidate, CvResult cv, const std::string& run_id);
  void set_deadline(Clock::time_point deadline);
  bool out_of_search_time() const;
  Clock::time_point at_share(double share) const;

  const TrainConfig& config_;
  store::Store& store_;
  store::RunOptions trial_options_;
  DenseRows data_;
  const LabelledRows& train_part_;
  const std::vector<Split>& folds_;
  Clock::time_point start_;
  std::vector<const Algorithm*> algorithms_;
  CvOptions cv_options_;
  SearchMethod method_ = SearchMethod::kRandom;
  ProgressBar bar_;
  std::map<std::string, std::unique_ptr<Searcher>> searchers_;
  std::map<std::string, LeaderboardEntry> best_of_;
  const LeaderboardEntry* best_ = nullptr;
  std::string best_note_;
  int trials_ = 0;
};

}  // namespace credo::train
