// The decision rule, in one place: a client whose probability of default is at or above the
// model's threshold is refused. Its words (ACCEPTED, REFUSED) and its risk bands are what every
// output says: the API and the prediction log, `credo predict`'s file, the training report and
// page. Anything that changes how a probability becomes a decision (calibration) goes here.
#pragma once

#include <string>

namespace credo::train {

inline constexpr char kAccepted[] = "ACCEPTED";
inline constexpr char kRefused[] = "REFUSED";
inline constexpr char kDecisionRule[] = "REFUSED when probability >= threshold";

struct Decision {
  bool refused = false;
  const char* word = kAccepted;  // kAccepted or kRefused
  const char* band = "low";      // "low", "moderate", "high" or "very high"
};

// Whether a client of this probability of default is refused under `threshold`.
inline bool refuses(double probability, double threshold) { return probability >= threshold; }

// The word of a decision: REFUSED or ACCEPTED.
inline const char* decision_word(bool refused) { return refused ? kRefused : kAccepted; }

// The decision and where the probability stands against the threshold t: "low" below t/2,
// "moderate" below t, "high" below t + (1 - t)/2, "very high" above.
inline Decision decide(double probability, double threshold) {
  Decision d;
  d.refused = refuses(probability, threshold);
  d.word = decision_word(d.refused);
  if (probability < threshold / 2) d.band = "low";
  else if (probability < threshold) d.band = "moderate";
  else if (probability < threshold + (1 - threshold) / 2) d.band = "high";
  else d.band = "very high";
  return d;
}

// The risk band alone (see decide).
inline std::string risk_band(double probability, double threshold) { return decide(probability, threshold).band; }

}  // namespace credo::train
