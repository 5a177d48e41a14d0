// Area under the ROC curve, used by the generator to report how separable its target is.
#pragma once

#include <cstdint>
#include <vector>

namespace credo::synth {

// AUC of `score` against 0/1 `label` (ties count half); 0.5 if one class is empty.
double roc_auc(const std::vector<double>& score, const std::vector<uint8_t>& label);

}  // namespace credo::synth
