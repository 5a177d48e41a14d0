// Edit distance and the nearest name (see closest_name.h).
#include "credo/base/closest_name.h"

#include <algorithm>
#include <cctype>

namespace credo {

size_t edit_distance_ignoring_case(std::string_view a, std::string_view b) {
  std::vector<size_t> previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (same ? 0 : 1)});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

const std::string* closest_name(std::string_view name, const std::vector<std::string>& candidates) {
  const size_t threshold = std::max<size_t>(1, name.size() / 3);
  const std::string* best = nullptr;
  size_t best_distance = threshold + 1;
  for (const auto& candidate : candidates) {
    size_t length_gap = candidate.size() > name.size() ? candidate.size() - name.size() : name.size() - candidate.size();
    if (length_gap >= best_distance) continue;  // the distance is at least the length gap
    size_t distance = edit_distance_ignoring_case(name, candidate);
    if (distance < best_distance) best = &candidate, best_distance = distance;
  }
  return best;
}

}  // namespace credo
