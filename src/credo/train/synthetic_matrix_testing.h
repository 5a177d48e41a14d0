// Small feature matrices with a known logistic truth, for the tests of training and serving:
// `informative` of the standard-normal features carry the signal with weight `weight`; the
// last `test_clients` rows are application_test clients (no TARGET).
#pragma once

#include <cmath>
#include <string>
#include <vector>

#include "credo/base/random.h"
#include "credo/features/feature_matrix.h"

namespace credo::testing {

struct SyntheticMatrixSpec {
  size_t clients = 1200, test_clients = 100, features = 5, informative = 2;
  double weight = 1.0, intercept = -2.0;
  uint64_t seed = 1;
  int64_t first_id = 100000;
};

// The matrix; `true_pd` (optional) receives each client's true probability of default.
inline FeatureMatrix synthetic_matrix(const SyntheticMatrixSpec& spec, std::vector<double>* true_pd = nullptr) {
  std::vector<FeatureInfo> features;
  for (size_t f = 0; f < spec.features; ++f)
    features.push_back({"F" + std::to_string(f), "application", "", "", "F", "feature " + std::to_string(f)});
  FeatureMatrix m(features, spec.clients);
  Rng rng(spec.seed);
  for (size_t r = 0; r < spec.clients; ++r) {
    double z = spec.intercept;
    for (size_t f = 0; f < spec.features; ++f) {
      double v = rng.normal();
      z += (f < spec.informative ? spec.weight : 0.0) * v;
      m.row(r)[f] = static_cast<float>(v);
    }
    bool test = r >= spec.clients - spec.test_clients;
    double pd = 1 / (1 + std::exp(-z));
    m.set_client(r, spec.first_id + static_cast<int64_t>(r), test ? -1 : rng.bernoulli(pd), test);
    if (true_pd) true_pd->push_back(pd);
  }
  return m;
}

}  // namespace credo::testing
