// Pins the leakage guard: a feature that copies the target is flagged, TARGET lineage fails the
// build (out-of-fold encodings excepted), constant and always-missing features are listed.
#include "credo/features/leakage.h"

#include <gtest/gtest.h>

#include <cmath>

namespace credo {
namespace {

FeatureMatrix make_matrix() {
  std::vector<FeatureInfo> features = {
      {"COPY_OF_TARGET", "application", "", "", "AMT_CREDIT", "suspicious"},
      {"NOISE", "application", "", "", "AMT_ANNUITY", "noise"},
      {"CONSTANT", "application", "", "", "FLAG_MOBIL", "always 1"},
      {"NOTHING", "bureau", "", "mean", "AMT_ANNUITY", "always missing"},
      {"ORGANIZATION_TYPE_TARGET_MEAN", "application", "", "target_mean", "ORGANIZATION_TYPE", "ok"},
  };
  FeatureMatrix m(features, 1000);
  for (size_t r = 0; r < 1000; ++r) {
    int target = r % 10 == 0 ? 1 : 0;
    m.set_client(r, 100000 + static_cast<int64_t>(r), r < 900 ? target : -1, r >= 900);
    float* row = m.row(r);
    row[0] = static_cast<float>(target) + 0.001f * static_cast<float>(r % 7);
    row[1] = static_cast<float>((r * 7919) % 1000);
    row[2] = 1;
    row[3] = NAN;
    row[4] = 0.08f;
  }
  return m;
}

TEST(LeakageTest, FlagsTooPredictiveConstantAndMissingFeatures) {
  FeatureMatrix m = make_matrix();
  LeakageReport report = check_leakage(m, 0.9, 30000, 2);
  EXPECT_EQ(report.sample_rows, 900u);  // training clients only
  ASSERT_EQ(report.high_auc.size(), 1u);
  EXPECT_EQ(report.high_auc[0].first, "COPY_OF_TARGET");
  EXPECT_DOUBLE_EQ(report.high_auc[0].second, 1.0);
  EXPECT_EQ(report.top_auc[0].first, "COPY_OF_TARGET");
  EXPECT_EQ(report.constant, (std::vector<std::string>{"CONSTANT", "ORGANIZATION_TYPE_TARGET_MEAN"}));
  EXPECT_EQ(report.all_missing, (std::vector<std::string>{"NOTHING"}));
  EXPECT_EQ(report.target_named, (std::vector<std::string>{"COPY_OF_TARGET"}));  // listed, to check
  EXPECT_TRUE(report.target_lineage.empty());  // out-of-fold encodings are allowed
  EXPECT_TRUE(leakage_status(report).ok());
  std::string text = render_leakage_report(report);
  EXPECT_NE(text.find("COPY_OF_TARGET"), std::string::npos);
  EXPECT_NE(text.find("too predictive"), std::string::npos);
}

TEST(LeakageTest, TargetLineageFailsTheBuild) {
  std::vector<FeatureInfo> features = {{"PREV_TARGET_MEAN", "previous_application", "", "mean", "TARGET", "leak"},
                                       {"AMT_CREDIT", "application", "", "", "AMT_CREDIT", "fine"}};
  FeatureMatrix m(features, 10);
  for (size_t r = 0; r < 10; ++r) m.set_client(r, static_cast<int64_t>(r), static_cast<int>(r % 2), false);
  LeakageReport report = check_leakage(m);
  ASSERT_EQ(report.target_lineage, (std::vector<std::string>{"PREV_TARGET_MEAN"}));
  Status status = leakage_status(report);
  EXPECT_EQ(status.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(status.message().find("PREV_TARGET_MEAN"), std::string::npos);
}

}  // namespace
}  // namespace credo
