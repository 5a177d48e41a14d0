// Metrics of a scoring model: confusion and cost at a threshold, the exact threshold scan, and the
// usual classification metrics. The scan and the KS statistic share one walk over the distinct
// scores from the highest down, so both see exactly the same cuts.
#include "credo/train/metrics.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <functional>
#include <limits>

#include "credo/base/auc.h"
#include "credo/train/decision.h"

namespace credo::train {
namespace {

void check_inputs(std::span<const float> scores, std::span<const uint8_t> labels) {
  assert(scores.size() == labels.size() && "one label per score");
#ifndef NDEBUG
  for (size_t i = 0; i < scores.size(); ++i) {
    assert(labels[i] <= 1 && "labels are 0/1");
    assert(std::isfinite(scores[i]) && "scores are finite");
  }
#else
  (void)scores;
  (void)labels;
#endif
}

// One cut of the descending walk: every client scoring >= `score` is refused.
struct Cut {
  double score = 0;
  int64_t refused_positives = 0;
  int64_t refused_negatives = 0;
};

// Calls `visit(cut)` once per distinct score, from the highest down; the last cut refuses everybody.
// The classes are sorted apart and merged: two float sorts beat one sort of (score, label) pairs
// and keep the walk branch-light.
template <typename Visit>
void walk_distinct_scores(std::span<const float> scores, std::span<const uint8_t> labels, Visit&& visit) {
  std::vector<float> positive_scores, negative_scores;
  positive_scores.reserve(scores.size() / 8);
  negative_scores.reserve(scores.size());
  for (size_t i = 0; i < scores.size(); ++i) (labels[i] ? positive_scores : negative_scores).push_back(scores[i]);
  std::sort(positive_scores.begin(), positive_scores.end(), std::greater<float>());
  std::sort(negative_scores.begin(), negative_scores.end(), std::greater<float>());

  size_t p = 0, n = 0;
  Cut cut;
  while (p < positive_scores.size() || n < negative_scores.size()) {
    float value = p == positive_scores.size()   ? negative_scores[n]
                  : n == negative_scores.size() ? positive_scores[p]
                                                : std::max(positive_scores[p], negative_scores[n]);
    while (p < positive_scores.size() && positive_scores[p] == value) ++p;
    while (n < negative_scores.size() && negative_scores[n] == value) ++n;
    cut.score = value;
    cut.refused_positives = static_cast<int64_t>(p);
    cut.refused_negatives = static_cast<int64_t>(n);
    visit(cut);
  }
}

Confusion confusion_of(const Cut& cut, int64_t positives, int64_t negatives) {
  Confusion c;
  c.true_positive = cut.refused_positives;
  c.false_positive = cut.refused_negatives;
  c.false_negative = positives - cut.refused_positives;
  c.true_negative = negatives - cut.refused_negatives;
  return c;
}

// A threshold that refuses exactly the clients scoring >= `lowest_refused` and none scoring
// `highest_granted` or less: the midpoint, so a slightly different score on other data (another
// fold, float vs double) falls on the same side. Falls back to `lowest_refused` should rounding
// ever put the midpoint outside (highest_granted, lowest_refused].
double midpoint_threshold(double lowest_refused, double highest_granted) {
  double mid = (lowest_refused + highest_granted) / 2;
  return mid > highest_granted && mid <= lowest_refused ? mid : lowest_refused;
}

// Indices of at most `max_points` of `count` candidates, spread evenly by rank, with `best` among them.
std::vector<size_t> curve_ranks(size_t count, size_t best, size_t max_points) {
  std::vector<size_t> ranks;
  if (max_points == 0 || count == 0) return ranks;
  if (count <= max_points) {
    for (size_t r = 0; r < count; ++r) ranks.push_back(r);
    return ranks;
  }
  if (max_points == 1) return {best};
  // Evenly spaced from the first to the last candidate; then the point nearest the best (by rank)
  // is replaced by the best, which keeps the ranks increasing and the count unchanged.
  for (size_t j = 0; j < max_points; ++j)
    ranks.push_back(static_cast<size_t>(std::llround(static_cast<double>(j) * static_cast<double>(count - 1) /
                                                     static_cast<double>(max_points - 1))));
  auto nearest = std::min_element(ranks.begin(), ranks.end(), [&](size_t a, size_t b) {
    auto distance = [&](size_t r) { return r > best ? r - best : best - r; };
    return distance(a) < distance(b);
  });
  *nearest = best;
  return ranks;
}

}  // namespace

Confusion confusion_at(std::span<const float> scores, std::span<const uint8_t> labels, double threshold) {
  check_inputs(scores, labels);
  Confusion c;
  for (size_t i = 0; i < scores.size(); ++i) {
    bool refused = refuses(static_cast<double>(scores[i]), threshold);
    if (labels[i])
      ++(refused ? c.true_positive : c.false_negative);
    else
      ++(refused ? c.false_positive : c.true_negative);
  }
  return c;
}

double cost_per_client(const Confusion& confusion, const CostMatrix& cost) {
  int64_t clients =
      confusion.true_positive + confusion.false_positive + confusion.true_negative + confusion.false_negative;
  if (clients == 0) return 0;
  double total = static_cast<double>(confusion.false_negative) * cost.false_negative +
                 static_cast<double>(confusion.false_positive) * cost.false_positive +
                 static_cast<double>(confusion.true_positive) * cost.true_positive +
                 static_cast<double>(confusion.true_negative) * cost.true_negative;
  return total / static_cast<double>(clients);
}

ThresholdScan scan_thresholds(std::span<const float> scores, std::span<const uint8_t> labels, const CostMatrix& cost,
                              size_t max_curve_points) {
  check_inputs(scores, labels);
  ThresholdScan scan;
  if (scores.empty()) return scan;
  int64_t positives = 0;
  for (uint8_t label : labels) positives += label;
  int64_t negatives = static_cast<int64_t>(labels.size()) - positives;

  // Candidate 0 refuses nobody; candidate i >= 1 refuses the clients scoring >= the i-th highest
  // distinct score, the last one everybody. Walking from the highest threshold down and keeping
  // only strict improvements, a tie in cost goes to the higher threshold (fewer refusals).
  std::vector<double> lowest_refused{std::numeric_limits<double>::infinity()};  // per candidate
  std::vector<double> costs{cost_per_client(confusion_of(Cut{}, positives, negatives), cost)};
  size_t best = 0;
  scan.best_confusion = confusion_of(Cut{}, positives, negatives);
  scan.best_cost = costs[0];
  walk_distinct_scores(scores, labels, [&](const Cut& cut) {
    Confusion confusion = confusion_of(cut, positives, negatives);
    double candidate_cost = cost_per_client(confusion, cost);
    if (candidate_cost < scan.best_cost) {
      best = costs.size();
      scan.best_cost = candidate_cost;
      scan.best_confusion = confusion;
    }
    lowest_refused.push_back(cut.score);
    costs.push_back(candidate_cost);
  });

  // Thresholds reproducing each candidate with `score >= threshold`. Between two scores: the
  // midpoint. Refusing nobody: just above 1 (or above the top score if it exceeds 1), so no
  // probability is refused. Refusing everybody: 0 (or the lowest score if below 0), so every
  // probability is refused.
  const size_t count = costs.size();
  std::vector<double> thresholds(count);
  double top_score = lowest_refused[1], bottom_score = lowest_refused[count - 1];
  thresholds[0] = std::nextafter(std::max(1.0, top_score), std::numeric_limits<double>::infinity());
  for (size_t i = 1; i + 1 < count; ++i) thresholds[i] = midpoint_threshold(lowest_refused[i], lowest_refused[i + 1]);
  thresholds[count - 1] = std::min(0.0, bottom_score);
  scan.best_threshold = thresholds[best];

  // Candidates run from the highest threshold down; the curve goes up.
  for (size_t rank : curve_ranks(count, best, max_curve_points))
    scan.curve.push_back({thresholds[rank], costs[rank]});
  std::reverse(scan.curve.begin(), scan.curve.end());
  return scan;
}

std::vector<RocPoint> roc_curve(std::span<const float> scores, std::span<const uint8_t> labels, size_t max_points) {
  check_inputs(scores, labels);
  int64_t positives = 0;
  for (uint8_t label : labels) positives += label;
  int64_t negatives = static_cast<int64_t>(labels.size()) - positives;
  if (positives == 0 || negatives == 0) return {{0, 0}, {1, 1}};
  std::vector<RocPoint> all{{0, 0}};
  walk_distinct_scores(scores, labels, [&](const Cut& cut) {
    all.push_back({static_cast<double>(cut.refused_negatives) / static_cast<double>(negatives),
                   static_cast<double>(cut.refused_positives) / static_cast<double>(positives)});
  });
  max_points = std::max<size_t>(2, max_points);
  if (all.size() <= max_points) return all;
  std::vector<RocPoint> thinned;
  for (size_t j = 0; j < max_points; ++j)
    thinned.push_back(all[static_cast<size_t>(std::llround(static_cast<double>(j) * static_cast<double>(all.size() - 1) /
                                                           static_cast<double>(max_points - 1)))]);
  return thinned;
}

BinaryMetrics evaluate(std::span<const float> scores, std::span<const uint8_t> labels, double threshold,
                       const CostMatrix& cost, double beta) {
  check_inputs(scores, labels);
  BinaryMetrics m;
  m.beta = beta;
  m.threshold = threshold;
  if (scores.empty()) return m;
  const double clients = static_cast<double>(scores.size());

  m.auc = roc_auc(std::vector<double>(scores.begin(), scores.end()), std::vector<uint8_t>(labels.begin(), labels.end()));

  m.confusion = confusion_at(scores, labels, threshold);
  const Confusion& c = m.confusion;
  const double tp = static_cast<double>(c.true_positive), fp = static_cast<double>(c.false_positive);
  const double fn = static_cast<double>(c.false_negative), tn = static_cast<double>(c.true_negative);
  m.accuracy = (tp + tn) / clients;
  m.precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  m.recall = tp + fn > 0 ? tp / (tp + fn) : 0;
  m.f1 = m.precision + m.recall > 0 ? 2 * m.precision * m.recall / (m.precision + m.recall) : 0;
  const double beta2 = beta * beta;
  const double f_beta_denominator = beta2 * m.precision + m.recall;
  m.f_beta = f_beta_denominator > 0 ? (1 + beta2) * m.precision * m.recall / f_beta_denominator : 0;

  constexpr double kClip = 1e-15;
  double squared_error = 0, log_likelihood = 0;
  for (size_t i = 0; i < scores.size(); ++i) {
    double p = scores[i], y = labels[i];
    squared_error += (p - y) * (p - y);
    double clipped = std::clamp(p, kClip, 1 - kClip);
    log_likelihood += labels[i] ? std::log(clipped) : std::log1p(-clipped);
  }
  m.brier = squared_error / clients;
  m.log_loss = -log_likelihood / clients;

  // KS over the same cuts as the scan; undefined (0) when a class is empty.
  const double positives = tp + fn, negatives = fp + tn;
  if (positives > 0 && negatives > 0)
    walk_distinct_scores(scores, labels, [&](const Cut& cut) {
      double gap = std::abs(static_cast<double>(cut.refused_positives) / positives -
                            static_cast<double>(cut.refused_negatives) / negatives);
      m.ks = std::max(m.ks, gap);
    });

  m.cost = cost_per_client(c, cost);
  m.cost_at_half = cost_per_client(confusion_at(scores, labels, 0.5), cost);
  return m;
}

nlohmann::json metrics_to_json(const BinaryMetrics& m) {
  return {{"auc", m.auc},
          {"accuracy", m.accuracy},
          {"precision", m.precision},
          {"recall", m.recall},
          {"f1", m.f1},
          {"f_beta", m.f_beta},
          {"beta", m.beta},
          {"brier", m.brier},
          {"log_loss", m.log_loss},
          {"ks", m.ks},
          {"threshold", m.threshold},
          {"business_cost", m.cost},
          {"business_cost_at_0.5", m.cost_at_half},
          {"confusion", {{"true_positive", m.confusion.true_positive}, {"false_positive", m.confusion.false_positive},
                         {"true_negative", m.confusion.true_negative}, {"false_negative", m.confusion.false_negative}}}};
}

}  // namespace credo::train
