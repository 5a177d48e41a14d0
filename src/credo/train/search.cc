// Search methods by name, the check of a space, and the two model-free methods (grid, random).
// TPE lives in tpe_search.cc; every method gets options.first_points proposed before its own.
#include "credo/train/search.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <set>
#include <utility>

#include "credo/train/tpe_search.h"

namespace credo::train {
namespace {

// Evenly spaced values from low to high, both included; the middle when count is 1.
std::vector<double> evenly_spaced(double low, double high, int count) {
  if (count <= 1) return {0.5 * (low + high)};
  std::vector<double> values(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) values[static_cast<size_t>(i)] = low + (high - low) * i / (count - 1);
  values.back() = high;
  return values;
}

// The values one dimension takes in the grid, in increasing order without repeats (integers
// rounded, so [1, 2] with 5 points gives 1 and 2); choices in list order.
std::vector<ParamValue> grid_values(const ParamSpec& spec, int points) {
  std::vector<double> numbers;
  switch (spec.kind) {
    case ParamSpec::Kind::kUniform:
      numbers = evenly_spaced(spec.low, spec.high, points);
      break;
    case ParamSpec::Kind::kLogUniform:
      for (double v : evenly_spaced(std::log(spec.low), std::log(spec.high), points))
        numbers.push_back(std::clamp(std::exp(v), spec.low, spec.high));
      if (points > 1) numbers.front() = spec.low, numbers.back() = spec.high;  // exp(log(x)) may miss x
      break;
    case ParamSpec::Kind::kInteger: {
      const double low = std::ceil(spec.low), high = std::floor(spec.high);
      for (double v : evenly_spaced(low, high, points)) numbers.push_back(std::clamp(std::round(v), low, high));
      break;
    }
    case ParamSpec::Kind::kChoice:
      return {spec.choices.begin(), spec.choices.end()};
  }
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  return {numbers.begin(), numbers.end()};
}

// The Cartesian product of the dimensions' grid values; the last dimension varies fastest.
class GridSearcher : public Searcher {
 public:
  GridSearcher(const SearchSpace& space, int points) : space_(space) {
    for (const ParamSpec& spec : space_) values_.push_back(grid_values(spec, points));
    position_.assign(space_.size(), 0);
  }

  std::optional<Params> propose() override {
    if (exhausted_) return std::nullopt;
    Params params;
    for (size_t d = 0; d < space_.size(); ++d) params[space_[d].name] = values_[d][position_[d]];
    // Advance the odometer; wrapping past the first dimension ends the grid.
    exhausted_ = true;
    for (size_t d = space_.size(); d-- > 0;) {
      if (++position_[d] < values_[d].size()) {
        exhausted_ = false;
        break;
      }
      position_[d] = 0;
    }
    return params;
  }
  void observe(const Params&, double) override {}

 private:
  SearchSpace space_;
  std::vector<std::vector<ParamValue>> values_;
  std::vector<size_t> position_;
  bool exhausted_ = false;
};

class RandomSearcher : public Searcher {
 public:
  RandomSearcher(SearchSpace space, uint64_t seed) : space_(std::move(space)), rng_(seed) {}

  std::optional<Params> propose() override {
    Params params;
    for (const ParamSpec& spec : space_) params[spec.name] = draw_from_prior(spec, rng_);
    return params;
  }
  void observe(const Params&, double) override {}

 private:
  SearchSpace space_;
  Rng rng_;
};

// Proposes the given points in order, then whatever the method proposes; every score goes to the
// method, so TPE learns from the first points too.
class FirstPointsThenMethod : public Searcher {
 public:
  FirstPointsThenMethod(std::vector<Params> first_points, std::unique_ptr<Searcher> method)
      : first_points_(std::move(first_points)), method_(std::move(method)) {}

  std::optional<Params> propose() override {
    if (next_first_ < first_points_.size()) return first_points_[next_first_++];
    return method_->propose();
  }
  void observe(const Params& params, double score) override { method_->observe(params, score); }

 private:
  std::vector<Params> first_points_;
  size_t next_first_ = 0;
  std::unique_ptr<Searcher> method_;
};

// What make_searcher gives for an invalid space when asserts are off: nothing to try.
class EmptySearcher : public Searcher {
 public:
  std::optional<Params> propose() override { return std::nullopt; }
  void observe(const Params&, double) override {}
};

std::string number_text(double value) { return param_to_string(ParamValue(value)); }

}  // namespace

const char* search_method_name(SearchMethod method) {
  switch (method) {
    case SearchMethod::kGrid: return "grid";
    case SearchMethod::kRandom: return "random";
    case SearchMethod::kTpe: return "tpe";
  }
  return "random";
}

StatusOr<SearchMethod> parse_search_method(std::string_view name) {
  for (SearchMethod m : {SearchMethod::kGrid, SearchMethod::kRandom, SearchMethod::kTpe})
    if (name == search_method_name(m)) return m;
  return Status::InvalidArgument("unknown search method '" + std::string(name) + "' (expected grid, random or tpe)");
}

Status check_search_space(const SearchSpace& space) {
  std::set<std::string> names;
  for (const ParamSpec& spec : space) {
    if (spec.name.empty()) return Status::InvalidArgument("search space: a parameter has no name");
    if (!names.insert(spec.name).second)
      return Status::InvalidArgument("search space: parameter '" + spec.name + "' appears twice");
    const std::string where = "search space: parameter '" + spec.name + "': ";
    if (spec.kind == ParamSpec::Kind::kChoice) {
      if (spec.choices.empty()) return Status::InvalidArgument(where + "no choices");
      continue;
    }
    if (!std::isfinite(spec.low) || !std::isfinite(spec.high) || spec.low > spec.high)
      return Status::InvalidArgument(where + "bounds must be finite with low <= high (got [" + number_text(spec.low) +
                                     ", " + number_text(spec.high) + "])");
    if (spec.kind == ParamSpec::Kind::kLogUniform && !(spec.low > 0))
      return Status::InvalidArgument(where + "log-uniform needs low > 0 (got " + number_text(spec.low) + ")");
    if (spec.kind == ParamSpec::Kind::kInteger && std::ceil(spec.low) > std::floor(spec.high))
      return Status::InvalidArgument(where + "no whole number in [" + number_text(spec.low) + ", " +
                                     number_text(spec.high) + "]");
  }
  return Status::Ok();
}

ParamValue draw_from_prior(const ParamSpec& spec, Rng& rng) {
  switch (spec.kind) {
    case ParamSpec::Kind::kUniform:
      return std::min(spec.high, spec.low + (spec.high - spec.low) * rng.uniform());
    case ParamSpec::Kind::kLogUniform: {
      const double log_low = std::log(spec.low), log_high = std::log(spec.high);
      return std::clamp(std::exp(log_low + (log_high - log_low) * rng.uniform()), spec.low, spec.high);
    }
    case ParamSpec::Kind::kInteger: {
      const double low = std::ceil(spec.low), high = std::floor(spec.high);
      return low + static_cast<double>(rng.below(static_cast<uint64_t>(high - low) + 1));
    }
    case ParamSpec::Kind::kChoice:
      return spec.choices[rng.below(spec.choices.size())];
  }
  return 0.0;
}

std::unique_ptr<Searcher> make_searcher(SearchMethod method, SearchSpace space, SearchOptions options) {
  const bool valid = check_search_space(space).ok();
  assert(valid && "make_searcher needs a space that passes check_search_space");
  if (!valid) return std::make_unique<EmptySearcher>();
  std::unique_ptr<Searcher> searcher;
  switch (method) {
    case SearchMethod::kGrid:
      searcher = std::make_unique<GridSearcher>(space, options.grid_points_per_dimension);
      break;
    case SearchMethod::kRandom:
      searcher = std::make_unique<RandomSearcher>(std::move(space), options.seed);
      break;
    case SearchMethod::kTpe:
      searcher = make_tpe_searcher(std::move(space), options);
      break;
  }
  if (options.first_points.empty()) return searcher;
  return std::make_unique<FirstPointsThenMethod>(std::move(options.first_points), std::move(searcher));
}

}  // namespace credo::train
