// The TPE densities against hand-computed components (hyperopt's bandwidth rule) and against
// their own samples.
#include "credo/train/parzen_estimator.h"

#include <gtest/gtest.h>

#include <cmath>

namespace credo::train {
namespace {

void expect_all_near(const std::vector<double>& actual, const std::vector<double>& expected) {
  ASSERT_EQ(actual.size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-12) << "index " << i;
}

TEST(TpeParzenTest, ForgettingWeightsRampTheOldestBeyondTwentyFive) {
  expect_all_near(forgetting_weights(3), {1, 1, 1});
  expect_all_near(forgetting_weights(25), std::vector<double>(25, 1.0));
  std::vector<double> weights = forgetting_weights(28);
  expect_all_near({weights[0], weights[1], weights[2], weights[3], weights[27]},
                  {1.0 / 28, (1.0 / 28 + 1) / 2, 1, 1, 1});
  expect_all_near(forgetting_weights(26), [] {
    std::vector<double> expected(26, 1.0);
    expected[0] = 1.0 / 26;  // a ramp of one value: numpy.linspace(1 / 26, 1, 1)
    return expected;
  }());
}

TEST(TpeParzenTest, NoObservationIsThePriorAlone) {
  auto mixture = TruncatedGaussianMixture::fit({}, {}, 2, 6);
  expect_all_near(mixture.means(), {4});
  expect_all_near(mixture.sigmas(), {4});
  expect_all_near(mixture.weights(), {1});
}

TEST(TpeParzenTest, OneObservationGetsHalfTheRange) {
  auto mixture = TruncatedGaussianMixture::fit({0.2}, {1}, 0, 1);
  expect_all_near(mixture.means(), {0.2, 0.5});
  expect_all_near(mixture.sigmas(), {0.5, 1});
  expect_all_near(mixture.weights(), {0.5, 0.5});
}

TEST(TpeParzenTest, SigmasAreTheLargerNeighbourGapClipped) {
  // Sorted with the prior: 0.1, 0.3, [0.5], 0.9; gaps 0.2, 0.2, 0.2, 0.4; min sigma 1 / (1 + 4).
  auto mixture = TruncatedGaussianMixture::fit({0.9, 0.1, 0.3}, {1, 1, 1}, 0, 1);
  expect_all_near(mixture.means(), {0.1, 0.3, 0.5, 0.9});
  expect_all_near(mixture.sigmas(), {0.2, 0.2, 1, 0.4});
  expect_all_near(mixture.weights(), {0.25, 0.25, 0.25, 0.25});

  // Close observations: 0, 0.01, [0.5]: the first sigma 0.01 is raised to 1 / (1 + 3).
  auto close = TruncatedGaussianMixture::fit({0.01, 0.0}, {1, 3}, 0, 1);
  expect_all_near(close.means(), {0, 0.01, 0.5});
  expect_all_near(close.sigmas(), {0.25, 0.49, 1});
  expect_all_near(close.weights(), {0.6, 0.2, 0.2});
}

TEST(TpeParzenTest, TruncatedPriorDensityIsHandComputed) {
  // N(0.5, 1) on [0, 1]: phi(0) / (Phi(0.5) - Phi(-0.5)) = 0.398942 / 0.382925.
  auto mixture = TruncatedGaussianMixture::fit({}, {}, 0, 1);
  EXPECT_NEAR(std::exp(mixture.log_density(0.5)), 1.041828, 1e-5);
  EXPECT_NEAR(mixture.log_mass(0, 1), 0.0, 1e-12);
  EXPECT_NEAR(mixture.log_mass(-5, 7), 0.0, 1e-12);  // clipped to the bounds
}

TEST(TpeParzenTest, DensityIntegratesToOneAndMatchesItsSamples) {
  auto mixture = TruncatedGaussianMixture::fit({0.05, 0.1, 0.12, 0.7}, {1, 1, 1, 1}, 0, 1);
  const int steps = 20000;
  double integral = 0;
  for (int i = 0; i < steps; ++i) integral += std::exp(mixture.log_density((i + 0.5) / steps)) / steps;
  EXPECT_NEAR(integral, 1.0, 1e-4);

  Rng rng(7);
  const int draws = 40000;
  int below_quarter = 0;
  for (int i = 0; i < draws; ++i) {
    double x = mixture.sample(rng);
    ASSERT_GE(x, 0.0);
    ASSERT_LE(x, 1.0);
    below_quarter += x < 0.25;
  }
  EXPECT_NEAR(static_cast<double>(below_quarter) / draws, std::exp(mixture.log_mass(0, 0.25)), 0.01);
}

TEST(TpeParzenTest, PointMassWhenTheBoundsMeet) {
  auto mixture = TruncatedGaussianMixture::fit({3}, {1}, 3, 3);
  Rng rng(1);
  EXPECT_EQ(mixture.sample(rng), 3.0);
  EXPECT_EQ(mixture.log_density(3), 0.0);
}

TEST(TpeParzenTest, CategoricalIsCountsPlusOnePseudoCount) {
  auto estimator = CategoricalEstimator::fit({0, 0, 2}, {1, 1, 1}, 3);
  expect_all_near(estimator.probabilities(), {0.5, 1.0 / 6, 1.0 / 3});
  EXPECT_NEAR(estimator.log_probability(1), std::log(1.0 / 6), 1e-12);
  Rng rng(3);
  std::vector<int> counts(3);
  for (int i = 0; i < 30000; ++i) ++counts[estimator.sample(rng)];
  EXPECT_NEAR(counts[0] / 30000.0, 0.5, 0.015);
  EXPECT_NEAR(counts[1] / 30000.0, 1.0 / 6, 0.015);
}

}  // namespace
}  // namespace credo::train
