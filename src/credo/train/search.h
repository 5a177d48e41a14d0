// Hyper-parameter search, as hyperopt does it for the Python stack: propose a point of the space,
// learn its score (the cross-validated business cost, lower is better), propose the next.
//   grid:   every combination of a few values per dimension, in order;
//   random: independent uniform draws (log-uniform for scales such as a learning rate);
//   tpe:    the Tree-structured Parzen Estimator (Bergstra et al. 2011): after a few random
//           points, model the good quarter of the results and the rest with Parzen densities
//           per dimension and propose the candidate with the best ratio good / rest.
// Everything depends on the seed only.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credo/base/random.h"
#include "credo/base/status.h"
#include "credo/train/params.h"

namespace credo::train {

enum class SearchMethod { kGrid, kRandom, kTpe };
const char* search_method_name(SearchMethod method);  // "grid", "random", "tpe"
StatusOr<SearchMethod> parse_search_method(std::string_view name);

class Searcher {
 public:
  virtual ~Searcher() = default;
  // The next point to try; nullopt when the space is exhausted (grid only).
  virtual std::optional<Params> propose() = 0;
  // The score of a proposed point (lower is better; NaN or inf for a failed trial).
  virtual void observe(const Params& params, double score) = 0;
};

struct SearchOptions {
  uint64_t seed = 42;
  int grid_points_per_dimension = 3;  // grid: values per numeric dimension (ends and middle)
  int startup_trials = 5;             // tpe: random points before modelling
  double gamma = 0.25;                // tpe: share of the results that are "good"
  int candidates = 24;                // tpe: draws from the good density per proposal
  // Points tried first, before any proposal of the method (e.g. the algorithm's defaults).
  std::vector<Params> first_points;
};

std::unique_ptr<Searcher> make_searcher(SearchMethod method, SearchSpace space, SearchOptions options);

// OK when every dimension can be searched: a unique non-empty name, finite bounds low <= high,
// low > 0 for log-uniform, a whole number in [low, high] for integer, at least one choice.
// make_searcher asserts it; in a release build an invalid space gives a searcher that proposes nothing.
Status check_search_space(const SearchSpace& space);

// One draw from a dimension's prior: uniform in [low, high], uniform in log between low and high,
// a uniform whole number in [ceil(low), floor(high)], or a uniform choice. What random search proposes.
ParamValue draw_from_prior(const ParamSpec& spec, Rng& rng);

}  // namespace credo::train
