// The leakage guard: no feature may carry the answer. It lists features whose lineage involves
// TARGET (the build fails on them; out-of-fold target encodings are the one sanctioned use),
// features that alone rank defaulters too well (single-feature AUC above 0.9 on the training
// clients), and features that carry nothing (constant or always missing).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "credo/base/status.h"
#include "credo/features/feature_matrix.h"

namespace credo {

struct LeakageReport {
  double auc_threshold = 0.9;
  size_t sample_rows = 0;                                 // training rows the AUCs were computed on
  std::vector<std::pair<std::string, double>> high_auc;   // over the threshold, worst first
  std::vector<std::pair<std::string, double>> top_auc;    // the ten strongest features
  std::vector<std::string> target_named;                  // names mentioning TARGET: listed to check
  std::vector<std::string> target_lineage;                // computed from TARGET: fails the build
  std::vector<std::string> constant;
  std::vector<std::string> all_missing;
};

// AUCs are max(AUC, 1 - AUC) of each feature alone against TARGET, missing values left out, on
// an evenly spaced sample of at most `max_rows` training clients (the error of a 30,000-row
// AUC is about 0.003, far below what the threshold needs).
LeakageReport check_leakage(const FeatureMatrix& matrix, double auc_threshold = 0.9, size_t max_rows = 30000,
                            int threads = 0);

// FailedPrecondition naming the features, if any has TARGET in its lineage.
Status leakage_status(const LeakageReport& report);
std::string render_leakage_report(const LeakageReport& report);

}  // namespace credo
