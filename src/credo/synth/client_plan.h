// What is decided about every client before any row is written: latent factors, train or
// test, how many bureau credits and previous applications, and therefore the ids. Drawn
// from the client's own stream, so blocks of clients can then be generated in any order
// (and on any number of threads) with the same result.
#pragma once

#include <cstdint>
#include <vector>

#include "credo/base/random.h"

namespace credo::synth {

// Each client owns kStreamsPerClient random streams: Rng(seed, index * kStreamsPerClient + s).
enum Stream : uint64_t {
  kPlanStream = 0,
  kApplicationStream = 1,
  kBureauStream = 2,
  kPreviousStream = 3,
  kTargetStream = 4,
  kStreamsPerClient = 8,
};

inline Rng client_rng(uint64_t seed, int64_t index, Stream stream) {
  return Rng(seed, static_cast<uint64_t>(index) * kStreamsPerClient + stream);
}

inline constexpr int64_t kFirstClientId = 100002;   // SK_ID_CURR of the real file's first row
inline constexpr int64_t kFirstBureauId = 5000000;  // SK_ID_BUREAU
inline constexpr int64_t kFirstPreviousId = 1000001;  // SK_ID_PREV
// Share of clients in application_test (48,744 of 356,255 in the real data).
inline constexpr double kTestShare = 48744.0 / 356255.0;

struct ClientPlan {
  // Latent factors, each N(0, 1): general risk (drives application columns), history
  // behaviour (drives late payments, overdue debt, refusals; correlated with risk),
  // wealth (income and amounts), activity (how many credits).
  double risk = 0, behaviour = 0, wealth = 0, activity = 0;
  bool is_test = false;
  int32_t bureau_credits = 0, previous_apps = 0;
  int64_t client_id = 0, first_bureau_id = 0, first_previous_id = 0;
};

// Draws the plan of client `index` (ids left 0: see assign_ids).
ClientPlan draw_client_plan(uint64_t seed, int64_t index);
// Fills the ids from the counts, in client order, with the small gaps of the real id ranges.
void assign_ids(uint64_t seed, std::vector<ClientPlan>& plans);

}  // namespace credo::synth
