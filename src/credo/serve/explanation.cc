// Picking the reasons and saying them.
#include "credo/serve/explanation.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "credo/train/row_scorer.h"

namespace credo::serve {
namespace {

constexpr double kDaysPerYear = 365.25;

std::string format_number(double value) {
  char buf[64];
  // Amounts in whole units (202500, not 2.025e+05); small values with four significant digits.
  std::snprintf(buf, sizeof buf, std::abs(value) >= 1000 ? "%.0f" : "%.4g", value);
  return buf;
}

}  // namespace

Explanation explain(std::span<const double> contributions, const float* inputs, double margin, size_t top) {
  Explanation e;
  const size_t n = contributions.size() - 1;
  e.base_log_odds = contributions[n];
  e.base_probability = train::probability_of_margin(e.base_log_odds);
  e.log_odds = margin;
  e.probability = train::probability_of_margin(margin);
  double change = margin - e.base_log_odds;
  double slope = std::abs(change) > 1e-12 ? (e.probability - e.base_probability) / change
                                           : e.probability * (1 - e.probability);
  e.probability_terms.resize(n);
  std::vector<size_t> up, down;
  for (size_t i = 0; i < n; ++i) {
    e.probability_terms[i] = contributions[i] * slope;
    if (contributions[i] > 0) up.push_back(i);
    else if (contributions[i] < 0) down.push_back(i);
  }
  // Largest first; ties by feature order, so the answer does not depend on the sort.
  auto pick = [&](std::vector<size_t>& ids, std::vector<Reason>& out) {
    auto larger = [&](size_t a, size_t b) {
      double ca = std::abs(contributions[a]), cb = std::abs(contributions[b]);
      return ca != cb ? ca > cb : a < b;
    };
    size_t k = std::min(top, ids.size());
    std::partial_sort(ids.begin(), ids.begin() + static_cast<std::ptrdiff_t>(k), ids.end(), larger);
    for (size_t j = 0; j < k; ++j)
      out.push_back({ids[j], inputs[ids[j]], contributions[ids[j]], e.probability_terms[ids[j]]});
  };
  pick(up, e.toward_refusal);
  pick(down, e.toward_acceptance);
  return e;
}

std::string value_in_words(const FeatureInfo& feature, float value) {
  if (std::isnan(value)) return "not known";
  if (is_indicator(feature)) return value >= 0.5f ? "yes" : "no";
  if (feature.table == "application" && feature.aggregation.empty() && feature.source_column.rfind("DAYS_", 0) == 0) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.1f years", std::abs(value) / kDaysPerYear);
    return buf;
  }
  return format_number(value);
}

std::string reason_sentence(const FeatureInfo& feature, const Reason& reason) {
  const std::string& label = feature.description.empty() ? feature.name : feature.description;
  char points[64];
  std::snprintf(points, sizeof points, "%.1f", std::abs(reason.probability) * 100);
  std::string effect = reason.log_odds > 0 ? "raises" : "lowers";
  std::string amount = std::string(points) == "0.0" ? "slightly" : "by " + std::string(points) + " points";
  return label + ": " + value_in_words(feature, reason.value) + ". This " + effect +
         " the estimated risk of default " + amount + ".";
}

void write_explanation_fields(JsonWriter& out, const Explanation& e, std::span<const FeatureInfo> features,
                              std::span<const double> contributions, bool all) {
  auto reasons = [&](std::string_view name, const std::vector<Reason>& list) {
    out.key(name).begin_array();
    for (const Reason& r : list) {
      const FeatureInfo& f = features[r.feature];
      out.begin_object().field("feature", f.name).field("description", f.description).key("value");
      if (std::isnan(r.value)) out.null();
      else out.number(r.value);
      out.field("value_in_words", value_in_words(f, r.value))
          .field("contribution_log_odds", r.log_odds)
          .field("contribution_probability", r.probability)
          .field("sentence", reason_sentence(f, r))
          .end_object();
    }
    out.end_array();
  };
  out.key("base_value").begin_object().field("log_odds", e.base_log_odds).field("probability", e.base_probability).end_object();
  out.field("log_odds", e.log_odds);
  reasons("reasons_toward_refusal", e.toward_refusal);
  reasons("reasons_toward_acceptance", e.toward_acceptance);
  if (all) {
    out.key("contributions").begin_object();
    for (size_t i = 0; i < features.size(); ++i) out.field(features[i].name, contributions[i]);
    out.end_object();
  }
}

}  // namespace credo::serve
