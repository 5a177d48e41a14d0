#include "credo/synth/client_plan.h"

#include <cmath>

namespace credo::synth {

ClientPlan draw_client_plan(uint64_t seed, int64_t index) {
  Rng rng = client_rng(seed, index, kPlanStream);
  ClientPlan p;
  p.risk = rng.normal();
  // Behaviour shares ~half its variance with risk: the application columns (driven by risk)
  // predict the history only partly, so joining the history tables pays off.
  p.behaviour = 0.6 * p.risk + 0.8 * rng.normal();
  p.wealth = rng.normal();
  p.activity = rng.normal();
  p.is_test = rng.bernoulli(kTestShare);
  // Real: 305,811 of 356,255 clients have bureau rows, 5.61 per such client (1.72M rows);
  // 338,857 have previous applications, 4.93 per such client (1.67M rows).
  if (rng.bernoulli(0.858))
    p.bureau_credits = 1 + static_cast<int32_t>(rng.poisson(4.61 * std::exp(0.45 * p.activity - 0.101)));
  if (rng.bernoulli(0.951))
    p.previous_apps = 1 + static_cast<int32_t>(rng.poisson(
                              3.93 * std::exp(0.35 * p.activity + 0.2 * p.behaviour - 0.0613 - 0.02)));
  p.client_id = kFirstClientId + index;
  return p;
}

void assign_ids(uint64_t seed, std::vector<ClientPlan>& plans) {
  int64_t bureau = kFirstBureauId, previous = kFirstPreviousId;
  for (size_t i = 0; i < plans.size(); ++i) {
    ClientPlan& p = plans[i];
    p.first_bureau_id = bureau;
    p.first_previous_id = previous;
    // Gaps: the real ids cover ~7% (bureau) and ~10% (previous) more numbers than rows.
    uint64_t h = mix64(seed ^ mix64(i + 0x5DEECE66Dull));
    bureau += p.bureau_credits + static_cast<int64_t>((h & 0xFF) < 60 ? 1 + (h >> 8) % 3 : 0);
    previous += p.previous_apps + static_cast<int64_t>(((h >> 16) & 0xFF) < 80 ? 1 + (h >> 24) % 3 : 0);
  }
}

}  // namespace credo::synth
