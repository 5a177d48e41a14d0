#include "credo/base/auc.h"

#include <algorithm>
#include <numeric>

namespace credo {

double roc_auc(const std::vector<double>& score, const std::vector<uint8_t>& label) {
  std::vector<size_t> order(score.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return score[a] < score[b]; });
  // Mann-Whitney: sum of the (tie-averaged) ranks of the positives.
  double rank_sum = 0, positives = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && score[order[j]] == score[order[i]]) ++j;
    double avg_rank = (static_cast<double>(i) + static_cast<double>(j) + 1) / 2;  // 1-based
    for (size_t k = i; k < j; ++k)
      if (label[order[k]]) {
        rank_sum += avg_rank;
        positives += 1;
      }
    i = j;
  }
  double negatives = static_cast<double>(score.size()) - positives;
  if (positives == 0 || negatives == 0) return 0.5;
  return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives);
}

}  // namespace credo
