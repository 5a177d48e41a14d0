// One client's explanation in the terms a customer-relations officer repeats to the client: the
// features that pushed the estimated risk of default up (toward refusal) and down (toward
// acceptance), each with its description, the client's value and its weight in log-odds and in
// probability points, and a sentence that says it.
//
// SHAP contributions add up in log-odds; probabilities do not add. The probability term of a
// feature is its share of the log-odds change, applied to the probability change:
//   p_i = c_i * (p - p_base) / (margin - base)
// so the terms add up exactly to p - p_base (when margin == base, the slope of the logistic
// function at that point is used instead).
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "credo/base/json_writer.h"
#include "credo/features/feature_matrix.h"

namespace credo::serve {

struct Reason {
  size_t feature = 0;      // index into the model's features
  float value = 0;         // the client's value (NaN = missing)
  double log_odds = 0;     // the SHAP contribution
  double probability = 0;  // its share of the change in probability (see above)
};

struct Explanation {
  double base_log_odds = 0, base_probability = 0;
  double log_odds = 0, probability = 0;
  std::vector<Reason> toward_refusal;     // largest positive contributions first
  std::vector<Reason> toward_acceptance;  // largest negative contributions first
  std::vector<double> probability_terms;  // every feature's probability term (sum = p - p_base)
};

// The explanation of a row: `contributions` has one value per input plus the base value last,
// `inputs` the row's values, `margin` the model's log-odds; `top` reasons on each side (features
// with a zero contribution are never reasons).
Explanation explain(std::span<const double> contributions, const float* inputs, double margin, size_t top);

// The client's value in words: "yes"/"no" for indicators, years for day counts of the
// application, "not known" for a missing value, else the number.
std::string value_in_words(const FeatureInfo& feature, float value);
// "Average of the three external scores: 0.312. This raises the estimated risk of default by
// 4.2 points."
std::string reason_sentence(const FeatureInfo& feature, const Reason& reason);

// The reasons and figures as members of the API's answer object: base_value, log_odds,
// reasons_toward_refusal, reasons_toward_acceptance, and with `all` every feature's contribution.
void write_explanation_fields(JsonWriter& out, const Explanation& explanation, std::span<const FeatureInfo> features,
                              std::span<const double> contributions, bool all);

}  // namespace credo::serve
