#include "credo/synth/auc.h"

#include <gtest/gtest.h>

#include "credo/synth/risk_model.h"

namespace credo::synth {
namespace {

TEST(RocAuc, HandComputed) {
  EXPECT_DOUBLE_EQ(roc_auc({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(roc_auc({0.9, 0.8, 0.2, 0.1}, {0, 0, 1, 1}), 0.0);
  // Positives at 0.4 and 0.9, negatives at 0.1, 0.5, 0.9: pairs won 1 + (2 + 0.5) of 6.
  EXPECT_DOUBLE_EQ(roc_auc({0.4, 0.9, 0.1, 0.5, 0.9}, {1, 1, 0, 0, 0}), 3.5 / 6);
  EXPECT_DOUBLE_EQ(roc_auc({0.3, 0.4}, {1, 1}), 0.5);
}

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
