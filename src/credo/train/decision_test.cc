// The decision rule: the threshold itself refuses, and the bands' edges, computed by hand.
#include "credo/train/decision.h"

#include <gtest/gtest.h>

#include <string>

namespace credo::train {
namespace {

TEST(DecisionTest, AtTheThresholdIsRefused) {
  EXPECT_TRUE(decide(0.31, 0.31).refused);
  EXPECT_STREQ(decide(0.31, 0.31).word, "REFUSED");
  EXPECT_FALSE(decide(0.3099, 0.31).refused);
  EXPECT_STREQ(decide(0.3099, 0.31).word, "ACCEPTED");
  EXPECT_STREQ(decision_word(true), "REFUSED");
  EXPECT_STREQ(decision_word(false), "ACCEPTED");
}

TEST(DecisionTest, BandsSplitBelowAndAboveTheThreshold) {
  // Threshold 0.4: low below 0.2, moderate below 0.4, high below 0.7, very high from 0.7.
  EXPECT_EQ(risk_band(0.0, 0.4), "low");
  EXPECT_EQ(risk_band(0.1999, 0.4), "low");
  EXPECT_EQ(risk_band(0.2, 0.4), "moderate");
  EXPECT_EQ(risk_band(0.3999, 0.4), "moderate");
  EXPECT_EQ(risk_band(0.4, 0.4), "high");
  EXPECT_EQ(risk_band(0.6999, 0.4), "high");
  EXPECT_EQ(risk_band(0.7, 0.4), "very high");
  EXPECT_EQ(risk_band(1.0, 0.4), "very high");
}

}  // namespace
}  // namespace credo::train
