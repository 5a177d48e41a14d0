// The Tree-structured Parzen Estimator searcher, behind make_searcher(SearchMethod::kTpe, ...).
// Its own header so search.cc (names, factory, grid, random) does not carry the density model.
#pragma once

#include <memory>

#include "credo/train/search.h"

namespace credo::train {

// A TPE searcher over a valid space (check_search_space). options.first_points are not its
// concern: make_searcher proposes them before asking it, and forwards their scores to observe().
std::unique_ptr<Searcher> make_tpe_searcher(SearchSpace space, const SearchOptions& options);

}  // namespace credo::train
