// Single-feature AUCs in parallel over features; lineage from each feature's description.
#include "credo/features/leakage.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "credo/base/auc.h"
#include "credo/base/parallel.h"

namespace credo {

LeakageReport check_leakage(const FeatureMatrix& m, double auc_threshold, size_t max_rows, int threads) {
  LeakageReport report;
  report.auc_threshold = auc_threshold;
  std::vector<size_t> train;
  for (size_t r = 0; r < m.num_rows(); ++r)
    if (m.target(r) >= 0) train.push_back(r);
  size_t step = std::max<size_t>(1, (train.size() + max_rows - 1) / std::max<size_t>(max_rows, 1));
  std::vector<size_t> sample;
  for (size_t i = 0; i < train.size(); i += step) sample.push_back(train[i]);
  report.sample_rows = sample.size();

  const size_t nf = m.num_features();
  // Constant / missing over every client, in one pass over the rows (the matrix is row-major).
  std::vector<float> first(nf, NAN);
  std::vector<uint8_t> any(nf, 0), varies(nf, 0);
  for (size_t r = 0; r < m.num_rows(); ++r) {
    const float* row = m.row(r);
    for (size_t f = 0; f < nf; ++f) {
      float v = row[f];
      if (std::isnan(v)) continue;
      if (!any[f]) {
        any[f] = 1;
        first[f] = v;
      } else if (v != first[f]) {
        varies[f] = 1;
      }
    }
  }
  std::vector<uint8_t> constant(nf, 0), missing(nf, 0);
  for (size_t f = 0; f < nf; ++f) {
    missing[f] = !any[f];
    constant[f] = any[f] && !varies[f];
  }
  // Single-feature AUCs over the sample, features in parallel.
  std::vector<double> auc(nf, 0.5);
  parallel_for(nf, threads, [&](size_t f) {
    if (!varies[f]) return;
    std::vector<double> score;
    std::vector<uint8_t> label;
    for (size_t r : sample) {
      float v = m.value(r, f);
      if (std::isnan(v)) continue;
      score.push_back(v);
      label.push_back(static_cast<uint8_t>(m.target(r)));
    }
    double a = roc_auc(score, label);
    auc[f] = std::max(a, 1 - a);
  });
  std::vector<std::pair<std::string, double>> all;
  for (size_t f = 0; f < nf; ++f) {
    const auto& info = m.features()[f];
    if (missing[f]) report.all_missing.push_back(info.name);
    if (constant[f]) report.constant.push_back(info.name);
    all.emplace_back(info.name, auc[f]);
    bool sanctioned = info.aggregation == "target_mean";  // out-of-fold target encoding
    if (info.name.find("TARGET") != std::string::npos && !sanctioned) report.target_named.push_back(info.name);
    if (info.source_column == "TARGET" && !sanctioned) report.target_lineage.push_back(info.name);
  }
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [name, a] : all) {
    if (a > auc_threshold) report.high_auc.emplace_back(name, a);
    if (report.top_auc.size() < 10) report.top_auc.emplace_back(name, a);
  }
  return report;
}

Status leakage_status(const LeakageReport& report) {
  if (report.target_lineage.empty()) return Status::Ok();
  std::string names;
  for (const auto& n : report.target_lineage) names += (names.empty() ? "" : ", ") + n;
  return Status::FailedPrecondition("leakage: feature(s) computed from TARGET: " + names);
}

std::string render_leakage_report(const LeakageReport& r) {
  char line[256];
  std::string out = "Leakage report (single-feature AUC on " + std::to_string(r.sample_rows) + " training clients)\n";
  std::snprintf(line, sizeof line, "  features with AUC above %.2f: %zu\n", r.auc_threshold, r.high_auc.size());
  out += line;
  for (const auto& [name, auc] : r.high_auc) {
    std::snprintf(line, sizeof line, "    %-50s %.4f  CHECK: too predictive alone\n", name.c_str(), auc);
    out += line;
  }
  out += "  features named after TARGET (other than out-of-fold encodings): " +
         std::to_string(r.target_named.size()) + "\n";
  for (const auto& n : r.target_named) out += "    " + n + "  CHECK its lineage\n";
  out += "  features computed from TARGET (other than out-of-fold encodings): " +
         std::to_string(r.target_lineage.size()) + "\n";
  for (const auto& n : r.target_lineage) out += "    " + n + "  LEAKAGE\n";
  out += "  strongest features:\n";
  for (const auto& [name, auc] : r.top_auc) {
    std::snprintf(line, sizeof line, "    %-50s %.4f\n", name.c_str(), auc);
    out += line;
  }
  out += "  constant features: " + std::to_string(r.constant.size()) + "\n";
  for (const auto& n : r.constant) out += "    " + n + "\n";
  out += "  always-missing features: " + std::to_string(r.all_missing.size()) + "\n";
  for (const auto& n : r.all_missing) out += "    " + n + "\n";
  return out;
}

}  // namespace credo
