// The training page: a summary a person can read in a minute, then the leaderboard, the
// threshold, the ROC curves, the features that weigh most and a few clients' explanations.
#include "credo/train/training_page.h"

#include <cmath>
#include <cstdio>

#include "credo/base/text_table.h"
#include "credo/report/html_page.h"
#include "credo/train/decision.h"

namespace credo::train {

std::string render_training_page(const TrainResult& result, const TrainConfig& config,
                                 const std::vector<ImportantFeature>& features,
                                 const std::vector<ExplainedClient>& clients) {
  const LeaderboardEntry& chosen = result.chosen;
  const BinaryMetrics& cv = chosen.cv.metrics;
  const BinaryMetrics& ho = result.holdout;
  const double threshold = chosen.cv.scan.best_threshold;
  report::HtmlPage page("Training report: " + config.model_name + " (" + chosen.candidate.algorithm->name() + ")");

  std::vector<std::pair<std::string, std::string>> facts = {
      {"chosen model", chosen.candidate.algorithm->name() + ", imbalance treated by " +
                           imbalance_name(chosen.candidate.imbalance)},
      {"decision", "refuse when the probability of default is at least " + format_number(threshold)},
      {"cost matrix", "defaulter granted credit " + format_number(config.cost.false_negative) + ", good client refused " +
                          format_number(config.cost.false_positive)},
      {"cross-validated (" + std::to_string(config.folds) + " folds)",
       "cost " + format_number(cv.cost) + " per client (at 0.5: " + format_number(cv.cost_at_half) + "), AUC " + format_number(cv.auc) +
           ", accuracy " + format_number(cv.accuracy)},
      {"hold-out (used once)", "cost " + format_number(ho.cost) + " per client, AUC " + format_number(ho.auc) + ", accuracy " +
                                   format_number(ho.accuracy) + ", defaulters refused (recall) " + format_number(ho.recall) +
                                   ", precision " + format_number(ho.precision)}};
  for (const BaselineComparison& c : comparisons(result)) {
    std::string change = "cost " + format_number(c.baseline_cost) + " -> " + format_number(c.chosen_cost);
    if (!std::isnan(c.change_percent)) {
      char percent[32];
      std::snprintf(percent, sizeof percent, " (%+.1f%%)", c.change_percent);
      change += percent;
    }
    facts.push_back({"against " + c.baseline, change});
  }
  if (result.truth)
    facts.push_back({"against the true probabilities",
                     "hold-out AUC " + format_number(ho.auc) + " vs " + format_number(result.truth->bayes_auc) + " (gap " +
                         format_number(result.truth->bayes_auc - ho.auc) + "); best cost " + format_number(result.holdout_best_cost) +
                         " vs " + format_number(result.truth->bayes_cost)});
  if (!result.model_uri.empty())
    facts.push_back({"registered", result.model_uri + " as " + config.model_name + "@" + result.alias});
  facts.push_back({"run", result.run_id + ", " + std::to_string(result.trials) + " trials"});
  page.facts(facts);
  for (const std::string& w : result.warnings) page.paragraph("Warning: " + w);

  page.heading("Leaderboard");
  page.paragraph("The best trial of each algorithm, judged by cross-validation at its own best threshold; the "
                 "lowest business cost wins. AUC and accuracy are kept for control.");
  std::vector<std::vector<std::string>> rows;
  for (const LeaderboardEntry& e : result.leaderboard)
    rows.push_back({e.candidate.algorithm->name(), imbalance_name(e.candidate.imbalance), format_number(e.cv.metrics.cost),
                    format_number(e.cv.metrics.auc), format_number(e.cv.metrics.accuracy), format_number(e.cv.metrics.threshold),
                    e.run_id.substr(0, 8)});
  page.table({"algorithm", "imbalance", "business cost", "AUC", "accuracy", "threshold", "run"}, rows, 0);
  page.image("leaderboard.svg", "leaderboard chart");

  page.heading("The threshold");
  page.paragraph("Refusing more clients avoids costly defaults but turns good clients away. The threshold is the "
                 "one with the lowest cost on out-of-fold predictions; the hold-out curve shows it holds on "
                 "clients never seen in training.");
  page.image("cost_curve.svg", "business cost against the threshold");
  page.image("roc.svg", "ROC curves");

  page.heading("What weighs most");
  page.paragraph("Mean absolute SHAP value on hold-out clients: how much each feature moves the log-odds of "
                 "default, on average, in either direction.");
  page.image("importance.svg", "global importance");
  std::vector<std::vector<std::string>> top;
  for (size_t i = 0; i < std::min<size_t>(15, features.size()); ++i)
    top.push_back({features[i].name, format_number(features[i].mean_abs_shap), features[i].description});
  page.table({"feature", "mean |SHAP|", "in words"}, top);

  if (!clients.empty()) {
    page.heading("Some clients, explained");
    page.paragraph("For one client, each bar is what a feature adds to (red, toward refusal) or takes from (blue, "
                   "toward acceptance) the log-odds of default, starting from the base value.");
    for (const ExplainedClient& c : clients) {
      page.paragraph("Client " + std::to_string(c.id) + ": probability of default " + format_number(c.probability) + ", " +
                     decide(c.probability, threshold).word);
      page.image(c.chart, "explanation of client " + std::to_string(c.id));
    }
  }
  return page.render();
}

}  // namespace credo::train
