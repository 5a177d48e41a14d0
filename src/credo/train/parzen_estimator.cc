// hyperopt's Parzen estimators (tpe.py: adaptive_parzen_normal, GMM1, GMM1_lpdf, categorical
// pseudo-counts), rewritten over credo::Rng so every draw is fully specified.
#include "credo/train/parzen_estimator.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <numeric>

namespace credo::train {
namespace {

constexpr double kLogSqrtTwoPi = 0.91893853320467274178;
constexpr double kTinyProbability = 1e-300;  // keeps log() finite when a mass underflows
constexpr int kMaxRejections = 10000;

// P(Z <= (x - mean) / sigma) by erfc, accurate in both tails.
double normal_cdf(double x, double mean, double sigma) {
  return 0.5 * std::erfc(-(x - mean) / (sigma * 1.4142135623730951));
}

}  // namespace

std::vector<double> forgetting_weights(size_t n, size_t keep_full) {
  std::vector<double> weights(n, 1.0);
  if (keep_full == 0 || n <= keep_full) return weights;
  // numpy.linspace(1 / n, 1, n - keep_full) for the oldest n - keep_full observations.
  const size_t ramp = n - keep_full;
  const double first = 1.0 / static_cast<double>(n);
  for (size_t i = 0; i < ramp; ++i) {
    weights[i] = ramp == 1 ? first : first + (1.0 - first) * static_cast<double>(i) / static_cast<double>(ramp - 1);
  }
  return weights;
}

TruncatedGaussianMixture TruncatedGaussianMixture::fit(const std::vector<double>& observations,
                                                       const std::vector<double>& weights, double low, double high,
                                                       double prior_weight) {
  assert(observations.size() == weights.size());
  TruncatedGaussianMixture mixture;
  mixture.low_ = low;
  mixture.high_ = high;
  const double range = high - low;
  if (!(range > 0)) return mixture;  // a point mass: no components needed

  const double prior_mean = 0.5 * (low + high);
  const double prior_sigma = range;
  // Sort the observations (stable, so ties keep their order) and insert the prior before the
  // first observation >= its mean, as numpy.searchsorted does.
  std::vector<size_t> order(observations.size());
  std::iota(order.begin(), order.end(), size_t{0});
  auto clipped = [&](size_t i) { return std::clamp(observations[i], low, high); };
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return clipped(a) < clipped(b); });
  size_t prior_position = 0;
  while (prior_position < order.size() && clipped(order[prior_position]) < prior_mean) ++prior_position;

  const size_t components = observations.size() + 1;
  auto& means = mixture.means_;
  auto& mix_weights = mixture.weights_;
  auto& sigmas = mixture.sigmas_;
  means.reserve(components);
  mix_weights.reserve(components);
  for (size_t k = 0; k < components; ++k) {
    if (k == prior_position) {
      means.push_back(prior_mean);
      mix_weights.push_back(prior_weight);
    } else {
      size_t i = order[k < prior_position ? k : k - 1];
      means.push_back(clipped(i));
      mix_weights.push_back(weights[i]);
    }
  }

  sigmas.assign(components, prior_sigma);
  if (components == 2) {
    sigmas[1 - prior_position] = 0.5 * prior_sigma;
  } else if (components > 2) {
    for (size_t k = 1; k + 1 < components; ++k) {
      sigmas[k] = std::max(means[k] - means[k - 1], means[k + 1] - means[k]);
    }
    sigmas[0] = means[1] - means[0];
    sigmas[components - 1] = means[components - 1] - means[components - 2];
  }
  const double max_sigma = prior_sigma;
  const double min_sigma = prior_sigma / std::min(100.0, 1.0 + static_cast<double>(components));
  for (double& sigma : sigmas) sigma = std::clamp(sigma, min_sigma, max_sigma);
  sigmas[prior_position] = prior_sigma;

  const double total = std::accumulate(mix_weights.begin(), mix_weights.end(), 0.0);
  for (double& w : mix_weights) w /= total;
  mixture.log_accepted_mass_ = std::log(std::max(mixture.mass_between(low, high), kTinyProbability));
  return mixture;
}

double TruncatedGaussianMixture::mass_between(double from, double to) const {
  double mass = 0;
  for (size_t k = 0; k < means_.size(); ++k) {
    mass += weights_[k] * (normal_cdf(to, means_[k], sigmas_[k]) - normal_cdf(from, means_[k], sigmas_[k]));
  }
  return mass;
}

double TruncatedGaussianMixture::sample(Rng& rng) const {
  if (means_.empty()) return low_;
  // Rejection from the whole mixture, as hyperopt's GMM1 does. Every component is centred inside
  // the interval with sigma <= its width, so at least ~1/3 of the draws land inside; the cap only
  // guards against pathological inputs.
  for (int attempt = 0; attempt < kMaxRejections; ++attempt) {
    double u = rng.uniform();
    size_t k = 0;
    while (k + 1 < weights_.size() && u >= weights_[k]) u -= weights_[k++];
    const double draw = rng.normal(means_[k], sigmas_[k]);
    if (draw >= low_ && draw <= high_) return draw;
  }
  return rng.uniform(low_, high_);
}

double TruncatedGaussianMixture::log_density(double x) const {
  if (means_.empty()) return 0.0;
  // log-sum-exp over components, shifted by the largest term.
  double largest = -std::numeric_limits<double>::infinity();
  std::vector<double> terms(means_.size());
  for (size_t k = 0; k < means_.size(); ++k) {
    const double z = (x - means_[k]) / sigmas_[k];
    terms[k] = std::log(weights_[k]) - std::log(sigmas_[k]) - kLogSqrtTwoPi - 0.5 * z * z;
    largest = std::max(largest, terms[k]);
  }
  double sum = 0;
  for (double term : terms) sum += std::exp(term - largest);
  return largest + std::log(sum) - log_accepted_mass_;
}

double TruncatedGaussianMixture::log_mass(double from, double to) const {
  if (means_.empty()) return 0.0;
  from = std::max(from, low_);
  to = std::min(to, high_);
  return std::log(std::max(mass_between(from, to), kTinyProbability)) - log_accepted_mass_;
}

CategoricalEstimator CategoricalEstimator::fit(const std::vector<size_t>& observed, const std::vector<double>& weights,
                                               size_t n_choices, double prior_weight) {
  assert(observed.size() == weights.size());
  CategoricalEstimator estimator;
  estimator.probabilities_.assign(n_choices, prior_weight);
  for (size_t i = 0; i < observed.size(); ++i) {
    if (observed[i] < n_choices) estimator.probabilities_[observed[i]] += weights[i];
  }
  const double total =
      std::accumulate(estimator.probabilities_.begin(), estimator.probabilities_.end(), 0.0);
  for (double& p : estimator.probabilities_) p /= total;
  return estimator;
}

size_t CategoricalEstimator::sample(Rng& rng) const {
  double u = rng.uniform();
  size_t choice = 0;
  while (choice + 1 < probabilities_.size() && u >= probabilities_[choice]) u -= probabilities_[choice++];
  return choice;
}

double CategoricalEstimator::log_probability(size_t choice) const {
  return std::log(std::max(probabilities_[choice], kTinyProbability));
}

}  // namespace credo::train
