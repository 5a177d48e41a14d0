// Pins the generator's risk model: the intercept hits the default rate, and the signals point
// the right way.
#include "credo/synth/risk_model.h"

#include <gtest/gtest.h>

namespace credo::synth {
namespace {

TEST(RiskModel, InterceptHitsTheRate) {
  std::vector<double> scores = {-2, -1, 0, 1, 2, 0.5, -0.5};
  double b = intercept_for_rate(scores, 0.081);
  double mean = 0;
  for (double s : scores) mean += sigmoid(b + s);
  EXPECT_NEAR(mean / scores.size(), 0.081, 1e-9);
}

TEST(RiskModel, BetterExternalScoresLowerTheRisk) {
  AppFacts good, bad;
  good.ext_source[1] = 0.8;
  bad.ext_source[1] = 0.2;
  EXPECT_LT(application_score(good), application_score(bad));
  HistoryFacts clean, late;
  clean.instalments = late.instalments = 20;
  late.instalments_late = 10;
  late.instalment_days_late = 100;
  EXPECT_LT(history_score(clean), history_score(late));
}

}  // namespace
}  // namespace credo::synth
