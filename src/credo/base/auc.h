// Area under the ROC curve: how well a score ranks defaulters above the others. Used by the
// generator (how separable its target is) and the leakage guard (single-feature AUC).
#pragma once

#include <cstdint>
#include <vector>

namespace credo {

// AUC of `score` against 0/1 `label` (ties count half); 0.5 if one class is empty.
double roc_auc(const std::vector<double>& score, const std::vector<uint8_t>& label);

}  // namespace credo
