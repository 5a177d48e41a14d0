// TPE (Bergstra, Bardenet, Bengio, Kegl 2011), following hyperopt's tpe.py:
//  1. While fewer than startup_trials scores are observed (first points and failed trials count),
//     propose random points (draw_from_prior).
//  2. Rank the observed trials by score, failed ones (non-finite score) last; the best
//     ceil(gamma * n) (at least 1, at most the number of finite scores) are "good", the rest "bad".
//  3. Per dimension, independently, fit l (good) and g (bad): numeric dimensions as hyperopt's
//     adaptive Parzen mixture (parzen_estimator.h) in the dimension's model scale, choices as
//     counts plus one pseudo-count each; both with hyperopt's linear forgetting (25 newest weigh 1).
//  4. Draw `candidates` points from l and propose the one maximising
//     sum over dimensions of log l(x) - log g(x).
// Deviations from hyperopt (0.2.x):
//  - Good share: hyperopt keeps ceil(gamma * sqrt(n)) (at most 25); credo keeps the quantile of the
//    paper and of search.h, ceil(gamma * n).
//  - Choosing the candidate: hyperopt picks each dimension's value separately (broadcast_best per
//    node); credo scores whole candidate points by the summed log ratio.
//  - Integers: hyperopt's quniform rounds a mixture on [low, high], so the two end values get half
//    a bin; credo models [low - 0.5, high + 0.5] so every whole number owns a unit bin, and its
//    density is the mass of that bin (as hyperopt's quantised lpdf).
//  - Log-uniform: hyperopt's LGMM1_lpdf omits the truncation normaliser; credo divides by the mass
//    inside the bounds. The log-normal Jacobian 1/x is the same in l and g and is left out.
//  - Failed trials: any non-finite score (NaN, +inf, -inf) is ranked last, as hyperopt ranks inf.
//  - Draws accept the closed interval [low, high]; random numbers come from credo::Rng.
//  - The space is flat (no conditional sub-spaces); an observation lacking a dimension, or with a
//    value of the wrong type or outside the choices, is left out of that dimension's densities.
#include "credo/train/tpe_search.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <utility>

#include "credo/train/parzen_estimator.h"

namespace credo::train {
namespace {

// A dimension's value on the scale TPE models it: the value for uniform, its log for
// log-uniform, the whole number for integers, the index for choices. nullopt if unusable.
std::optional<double> to_model_scale(const ParamSpec& spec, const ParamValue& value) {
  if (spec.kind == ParamSpec::Kind::kChoice) {
    const std::string* text = std::get_if<std::string>(&value);
    if (!text) return std::nullopt;
    auto it = std::find(spec.choices.begin(), spec.choices.end(), *text);
    if (it == spec.choices.end()) return std::nullopt;
    return static_cast<double>(it - spec.choices.begin());
  }
  const double* number = std::get_if<double>(&value);
  if (!number || std::isnan(*number)) return std::nullopt;
  switch (spec.kind) {
    case ParamSpec::Kind::kLogUniform: return std::log(std::clamp(*number, spec.low, spec.high));
    case ParamSpec::Kind::kInteger:
      return std::clamp(std::round(*number), std::ceil(spec.low), std::floor(spec.high));
    default: return std::clamp(*number, spec.low, spec.high);
  }
}

ParamValue from_model_scale(const ParamSpec& spec, double x) {
  switch (spec.kind) {
    case ParamSpec::Kind::kChoice: return spec.choices[static_cast<size_t>(x)];
    case ParamSpec::Kind::kLogUniform: return std::clamp(std::exp(x), spec.low, spec.high);
    default: return x;  // already inside the bounds (and whole for integers)
  }
}

// l or g of one dimension, on the model scale.
class DimensionDensity {
 public:
  // `values` on the model scale, oldest first (for the forgetting weights).
  DimensionDensity(const ParamSpec& spec, const std::vector<double>& values) : kind_(spec.kind) {
    const std::vector<double> weights = forgetting_weights(values.size());
    switch (spec.kind) {
      case ParamSpec::Kind::kChoice: {
        std::vector<size_t> indices(values.begin(), values.end());
        categorical_ = CategoricalEstimator::fit(indices, weights, spec.choices.size());
        break;
      }
      case ParamSpec::Kind::kInteger:
        whole_low_ = std::ceil(spec.low);
        whole_high_ = std::floor(spec.high);
        numeric_ = TruncatedGaussianMixture::fit(values, weights, whole_low_ - 0.5, whole_high_ + 0.5);
        break;
      case ParamSpec::Kind::kLogUniform:
        numeric_ = TruncatedGaussianMixture::fit(values, weights, std::log(spec.low), std::log(spec.high));
        break;
      case ParamSpec::Kind::kUniform:
        numeric_ = TruncatedGaussianMixture::fit(values, weights, spec.low, spec.high);
        break;
    }
  }

  double sample(Rng& rng) const {
    switch (kind_) {
      case ParamSpec::Kind::kChoice: return static_cast<double>(categorical_.sample(rng));
      case ParamSpec::Kind::kInteger: return std::clamp(std::round(numeric_.sample(rng)), whole_low_, whole_high_);
      default: return numeric_.sample(rng);
    }
  }

  double log_density(double x) const {
    switch (kind_) {
      case ParamSpec::Kind::kChoice: return categorical_.log_probability(static_cast<size_t>(x));
      case ParamSpec::Kind::kInteger: return numeric_.log_mass(x - 0.5, x + 0.5);
      default: return numeric_.log_density(x);
    }
  }

 private:
  ParamSpec::Kind kind_;
  TruncatedGaussianMixture numeric_;
  CategoricalEstimator categorical_;
  double whole_low_ = 0, whole_high_ = 0;
};

class TpeSearcher : public Searcher {
 public:
  TpeSearcher(SearchSpace space, const SearchOptions& options)
      : space_(std::move(space)),
        rng_(options.seed),
        startup_trials_(static_cast<size_t>(std::max(0, options.startup_trials))),
        gamma_(options.gamma),
        candidates_(std::max(1, options.candidates)) {}

  std::optional<Params> propose() override {
    if (trials_.size() < startup_trials_) return random_point();
    std::vector<bool> is_good;
    if (!split_good_and_bad(is_good)) return random_point();

    std::vector<DimensionDensity> good, bad;
    for (const ParamSpec& spec : space_) {
      std::vector<double> good_values, bad_values;
      for (size_t t = 0; t < trials_.size(); ++t) {
        auto it = trials_[t].params.find(spec.name);
        if (it == trials_[t].params.end()) continue;
        if (std::optional<double> x = to_model_scale(spec, it->second))
          (is_good[t] ? good_values : bad_values).push_back(*x);
      }
      good.emplace_back(spec, good_values);
      bad.emplace_back(spec, bad_values);
    }

    std::vector<double> best, candidate(space_.size());
    double best_score = -std::numeric_limits<double>::infinity();
    for (int c = 0; c < candidates_; ++c) {
      double score = 0;
      for (size_t d = 0; d < space_.size(); ++d) {
        candidate[d] = good[d].sample(rng_);
        score += good[d].log_density(candidate[d]) - bad[d].log_density(candidate[d]);
      }
      if (best.empty() || score > best_score) {
        best = candidate;
        best_score = score;
      }
    }
    Params params;
    for (size_t d = 0; d < space_.size(); ++d) params[space_[d].name] = from_model_scale(space_[d], best[d]);
    return params;
  }

  void observe(const Params& params, double score) override { trials_.push_back({params, score}); }

 private:
  struct Trial {
    Params params;
    double score;
  };

  Params random_point() {
    Params params;
    for (const ParamSpec& spec : space_) params[spec.name] = draw_from_prior(spec, rng_);
    return params;
  }

  // Marks the best ceil(gamma * n) trials good; false when no trial has a finite score.
  bool split_good_and_bad(std::vector<bool>& is_good) const {
    auto rank_key = [&](size_t t) {
      const double score = trials_[t].score;
      return std::isfinite(score) ? score : std::numeric_limits<double>::infinity();
    };
    std::vector<size_t> order(trials_.size());
    std::iota(order.begin(), order.end(), size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return rank_key(a) < rank_key(b); });
    const size_t finite = static_cast<size_t>(
        std::count_if(trials_.begin(), trials_.end(), [](const Trial& t) { return std::isfinite(t.score); }));
    if (finite == 0) return false;
    // The small offset keeps ceil(0.1 * 30) at 3 despite 0.1 * 30 = 3.0000000000000004.
    double share = std::ceil(gamma_ * static_cast<double>(trials_.size()) - 1e-9);
    if (!(share >= 1)) share = 1;  // also a NaN gamma
    const size_t good_count = share >= static_cast<double>(finite) ? finite : static_cast<size_t>(share);
    is_good.assign(trials_.size(), false);
    for (size_t i = 0; i < good_count; ++i) is_good[order[i]] = true;
    return true;
  }

  SearchSpace space_;
  Rng rng_;
  size_t startup_trials_;
  double gamma_;
  int candidates_;
  std::vector<Trial> trials_;  // in the order observed
};

}  // namespace

std::unique_ptr<Searcher> make_tpe_searcher(SearchSpace space, const SearchOptions& options) {
  return std::make_unique<TpeSearcher>(std::move(space), options);
}

}  // namespace credo::train
