// The one-dimensional densities the TPE search is built from, as hyperopt's tpe.py builds them:
// a truncated mixture of Gaussians centred on the observations (adaptive_parzen_normal + GMM1) for
// numeric dimensions, and smoothed counts for choices. Kept apart from the search so the density
// arithmetic can be checked against hand-computed values.
#pragma once

#include <cstddef>
#include <vector>

#include "credo/base/random.h"

namespace credo::train {

// hyperopt's linear forgetting: the newest `keep_full` of n observations (given oldest first) weigh
// 1, the older ones ramp linearly from 1/n (oldest) up to 1. All ones while n <= keep_full.
std::vector<double> forgetting_weights(size_t n, size_t keep_full = 25);

// A mixture of Gaussians truncated to [low, high] (the density of the mixture restricted to the
// interval and renormalised, i.e. what rejection sampling from the whole mixture gives).
class TruncatedGaussianMixture {
 public:
  // hyperopt's adaptive_parzen_normal: one component per observation (weighted by `weights`, same
  // length) plus a prior component of weight `prior_weight` centred mid-interval with sigma = high - low.
  // Sorted with the prior among them, each component's sigma is the larger gap to its neighbours
  // (the ends: their one gap), clipped to [range / min(100, 1 + components), range]; the prior keeps
  // sigma = range; a single observation gets range / 2. Observations are clipped into [low, high].
  // low == high gives a point mass at low.
  static TruncatedGaussianMixture fit(const std::vector<double>& observations, const std::vector<double>& weights,
                                      double low, double high, double prior_weight = 1.0);

  // A draw in [low, high]: pick a component by weight, draw from it, retry until inside.
  double sample(Rng& rng) const;
  // log of the truncated density at x (x inside [low, high]).
  double log_density(double x) const;
  // log P(from <= X <= to) under the truncated mixture (the mass of an integer's rounding bin).
  double log_mass(double from, double to) const;

  const std::vector<double>& weights() const { return weights_; }  // normalised, sorted by mean
  const std::vector<double>& means() const { return means_; }
  const std::vector<double>& sigmas() const { return sigmas_; }

 private:
  double mass_between(double from, double to) const;  // untruncated mixture mass of [from, to]

  std::vector<double> weights_, means_, sigmas_;
  double low_ = 0, high_ = 0;
  double log_accepted_mass_ = 0;  // log of the mixture's mass inside [low, high]
};

// A categorical density over n choices: weighted counts of the observed choices plus a prior
// pseudo-count per choice (hyperopt's ap_categorical_sampler with uniform p).
class CategoricalEstimator {
 public:
  static CategoricalEstimator fit(const std::vector<size_t>& observed, const std::vector<double>& weights,
                                  size_t n_choices, double prior_weight = 1.0);
  size_t sample(Rng& rng) const;
  double log_probability(size_t choice) const;
  const std::vector<double>& probabilities() const { return probabilities_; }

 private:
  std::vector<double> probabilities_;
};

}  // namespace credo::train
