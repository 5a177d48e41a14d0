// Search methods: names, space checks, the grid's exact product, determinism by seed, bounds of
// every kind, first points first, and TPE beating random search on small problems.
#include "credo/train/search.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace credo::train {
namespace {

using Objective = std::function<double(const Params&)>;

struct Trial {
  Params params;
  double score;
};

// Proposes, scores and observes `trials` times (fewer if the searcher runs out).
std::vector<Trial> run_search(SearchMethod method, const SearchSpace& space, SearchOptions options,
                              const Objective& objective, int trials) {
  auto searcher = make_searcher(method, space, std::move(options));
  std::vector<Trial> history;
  for (int i = 0; i < trials; ++i) {
    std::optional<Params> params = searcher->propose();
    if (!params) break;
    double score = objective(*params);
    searcher->observe(*params, score);
    history.push_back({std::move(*params), score});
  }
  return history;
}

double best_score(const std::vector<Trial>& history) {
  double best = INFINITY;
  for (const Trial& t : history) best = std::min(best, t.score);
  return best;
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

ParamSpec uniform(std::string name, double low, double high) {
  return {std::move(name), ParamSpec::Kind::kUniform, low, high, {}};
}
ParamSpec log_uniform(std::string name, double low, double high) {
  return {std::move(name), ParamSpec::Kind::kLogUniform, low, high, {}};
}
ParamSpec integer(std::string name, double low, double high) {
  return {std::move(name), ParamSpec::Kind::kInteger, low, high, {}};
}
ParamSpec choice(std::string name, std::vector<std::string> choices) {
  return {std::move(name), ParamSpec::Kind::kChoice, 0, 0, std::move(choices)};
}

// (x - 0.3)^2 + (log10(y) + 2)^2: minimum 0 at x = 0.3, y = 0.01.
const SearchSpace kBowlSpace = {uniform("x", 0, 1), log_uniform("y", 1e-4, 1)};
double bowl(const Params& p) {
  double x = param_number(p, "x", NAN), y = param_number(p, "y", NAN);
  return (x - 0.3) * (x - 0.3) + (std::log10(y) + 2) * (std::log10(y) + 2);
}

// A space with every kind, including degenerate bounds.
const SearchSpace kEveryKind = {
    uniform("rate", -2, 3),           log_uniform("eta", 1e-6, 1e3),  integer("depth", 0.5, 3.5),
    integer("leaves", 2, 2),          uniform("fixed", 0.7, 0.7),     choice("loss", {"l1", "l2", "huber"}),
    integer("trees", -100, 1000),
};
double every_kind_score(const Params& p) {
  return std::abs(param_number(p, "rate", 0) - 1) + std::abs(std::log(param_number(p, "eta", 1))) +
         std::abs(param_number(p, "depth", 0) - 3) + (param_text(p, "loss", "") == "huber" ? 0 : 2) +
         std::abs(param_number(p, "trees", 0) - 1000) / 100;
}

void expect_inside(const SearchSpace& space, const Params& params) {
  ASSERT_EQ(params.size(), space.size());
  for (const ParamSpec& spec : space) {
    const ParamValue& value = params.at(spec.name);
    if (spec.kind == ParamSpec::Kind::kChoice) {
      ASSERT_TRUE(std::holds_alternative<std::string>(value)) << spec.name;
      EXPECT_NE(std::find(spec.choices.begin(), spec.choices.end(), std::get<std::string>(value)),
                spec.choices.end())
          << spec.name;
      continue;
    }
    ASSERT_TRUE(std::holds_alternative<double>(value)) << spec.name;
    double v = std::get<double>(value);
    EXPECT_GE(v, spec.low) << spec.name;
    EXPECT_LE(v, spec.high) << spec.name;
    if (spec.kind == ParamSpec::Kind::kInteger) {
      EXPECT_EQ(v, std::round(v)) << spec.name;
    }
  }
}

TEST(SearchMethodTest, NamesRoundTripAndUnknownIsAnError) {
  for (SearchMethod m : {SearchMethod::kGrid, SearchMethod::kRandom, SearchMethod::kTpe}) {
    auto parsed = parse_search_method(search_method_name(m));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, m);
  }
  auto unknown = parse_search_method("bayes");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(unknown.status().message().find("'bayes'"), std::string::npos);
}

TEST(SearchSpaceTest, ChecksEveryKind) {
  EXPECT_TRUE(check_search_space(kEveryKind).ok());
  EXPECT_TRUE(check_search_space({}).ok());
  auto message = [](const SearchSpace& space) { return check_search_space(space).message(); };
  EXPECT_NE(message({uniform("a", 0, 1), uniform("a", 0, 2)}).find("'a' appears twice"), std::string::npos);
  EXPECT_NE(message({log_uniform("eta", 0, 1)}).find("low > 0"), std::string::npos);
  EXPECT_NE(message({uniform("a", 2, 1)}).find("low <= high"), std::string::npos);
  EXPECT_NE(message({uniform("a", 0, INFINITY)}).find("finite"), std::string::npos);
  EXPECT_NE(message({integer("depth", 0.2, 0.8)}).find("no whole number"), std::string::npos);
  EXPECT_NE(message({choice("loss", {})}).find("no choices"), std::string::npos);
  EXPECT_NE(message({uniform("", 0, 1)}).find("no name"), std::string::npos);
}

TEST(SearchGridTest, ExhaustsAfterTheProductAndCoversTheCorners) {
  SearchSpace space = {uniform("x", 0, 1), log_uniform("eta", 1e-3, 1e-1), integer("depth", 1, 4),
                       choice("loss", {"l1", "l2"})};
  auto history = run_search(SearchMethod::kGrid, space, {}, [](const Params&) { return 0.0; }, 1000);
  ASSERT_EQ(history.size(), 3u * 3u * 3u * 2u);
  std::set<std::string> seen;
  for (const Trial& t : history) {
    expect_inside(space, t.params);
    EXPECT_TRUE(seen.insert(params_to_json(t.params).dump()).second) << "proposed twice";
  }
  // The values per dimension: ends and middle (in log for eta, rounded for depth: 2.5 -> 3).
  std::set<double> xs, etas, depths;
  for (const Trial& t : history) {
    xs.insert(param_number(t.params, "x", NAN));
    etas.insert(param_number(t.params, "eta", NAN));
    depths.insert(param_number(t.params, "depth", NAN));
  }
  EXPECT_EQ(xs, (std::set<double>{0, 0.5, 1}));
  EXPECT_EQ(depths, (std::set<double>{1, 3, 4}));
  ASSERT_EQ(etas.size(), 3u);
  EXPECT_DOUBLE_EQ(*etas.begin(), 1e-3);
  EXPECT_NEAR(*std::next(etas.begin()), 1e-2, 1e-15);
  EXPECT_DOUBLE_EQ(*etas.rbegin(), 1e-1);
  // Every corner of the box, with each choice.
  for (double x : {0.0, 1.0})
    for (double eta : {1e-3, 1e-1})
      for (double depth : {1.0, 4.0})
        for (const char* loss : {"l1", "l2"}) {
          Params corner = {{"x", x}, {"eta", eta}, {"depth", depth}, {"loss", std::string(loss)}};
          EXPECT_TRUE(seen.count(params_to_json(corner).dump())) << params_to_json(corner).dump();
        }
  // Fixed order: declaration order, the last dimension fastest.
  EXPECT_EQ(param_text(history[0].params, "loss", ""), "l1");
  EXPECT_EQ(param_text(history[1].params, "loss", ""), "l2");
  EXPECT_EQ(param_number(history[1].params, "depth", NAN), 1);
  EXPECT_EQ(param_number(history[2].params, "depth", NAN), 3);
  EXPECT_EQ(param_number(history.back().params, "x", NAN), 1);
}

TEST(SearchGridTest, IntegersAreDeduplicatedAndPointsPerDimensionIsHonoured) {
  SearchOptions options;
  options.grid_points_per_dimension = 5;
  auto history = run_search(SearchMethod::kGrid, {integer("depth", 1, 2), uniform("x", 0, 1)}, options,
                            [](const Params&) { return 0.0; }, 1000);
  EXPECT_EQ(history.size(), 2u * 5u);  // 1, 1.25, 1.5, 1.75, 2 round to 1 and 2
  options.grid_points_per_dimension = 1;
  history = run_search(SearchMethod::kGrid, {uniform("x", 0, 1), choice("c", {"a", "b"})}, options,
                       [](const Params&) { return 0.0; }, 1000);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(param_number(history[0].params, "x", NAN), 0.5);
}

TEST(SearchTest, FirstPointsComeFirstForEveryMethod) {
  SearchOptions options;
  options.first_points = {{{"x", 0.123}, {"y", 0.5}}, {{"x", 0.9}}};
  for (SearchMethod m : {SearchMethod::kGrid, SearchMethod::kRandom, SearchMethod::kTpe}) {
    auto history = run_search(m, kBowlSpace, options, bowl, 12);
    ASSERT_GE(history.size(), 11u) << search_method_name(m);  // the grid has 9 points after them
    EXPECT_EQ(history[0].params, options.first_points[0]) << search_method_name(m);
    EXPECT_EQ(history[1].params, options.first_points[1]) << search_method_name(m);
    for (size_t i = 2; i < history.size(); ++i) expect_inside(kBowlSpace, history[i].params);
  }
}

TEST(TpeSearchTest, ScoresOfFirstPointsCount) {
  // Three first points fill the startup: "b" scored well, "a" badly. Drawing 24 candidates from l
  // (b: 2/5) and ranking by l/g (b: 2.4, c and d: 1.2, a: 0.4), TPE proposes b next.
  SearchSpace space = {choice("c", {"a", "b", "c", "d"})};
  for (uint64_t seed = 1; seed <= 10; ++seed) {
    SearchOptions options;
    options.seed = seed;
    options.startup_trials = 3;
    options.first_points = {{{"c", std::string("b")}}, {{"c", std::string("a")}}, {{"c", std::string("a")}}};
    auto history = run_search(SearchMethod::kTpe, space, options,
                              [](const Params& p) { return param_text(p, "c", "") == "b" ? 0.0 : 10.0; }, 4);
    ASSERT_EQ(history.size(), 4u);
    EXPECT_EQ(param_text(history[3].params, "c", ""), "b") << "seed " << seed;
  }
}

TEST(SearchTest, SameSeedSameProposalsAnotherSeedOthers) {
  for (SearchMethod m : {SearchMethod::kRandom, SearchMethod::kTpe}) {
    SearchOptions options;
    options.seed = 5;
    auto first = run_search(m, kEveryKind, options, every_kind_score, 40);
    auto again = run_search(m, kEveryKind, options, every_kind_score, 40);
    options.seed = 6;
    auto other = run_search(m, kEveryKind, options, every_kind_score, 40);
    ASSERT_EQ(first.size(), 40u);
    size_t differing = 0;
    for (size_t i = 0; i < first.size(); ++i) {
      EXPECT_EQ(first[i].params, again[i].params) << search_method_name(m) << " trial " << i;
      differing += first[i].params != other[i].params;
    }
    EXPECT_EQ(differing, first.size()) << search_method_name(m);
  }
}

TEST(SearchTest, ProposalsStayInsideBoundsForEveryKind) {
  for (SearchMethod m : {SearchMethod::kRandom, SearchMethod::kTpe, SearchMethod::kGrid}) {
    SearchOptions options;
    options.seed = 11;
    options.grid_points_per_dimension = 4;
    auto history = run_search(m, kEveryKind, options, every_kind_score, 300);
    EXPECT_EQ(history.size(), 300u);  // the grid has 4 * 4 * 3 * 1 * 1 * 3 * 4 = 576 points
    std::set<double> depths;
    std::set<std::string> losses;
    for (const Trial& t : history) {
      expect_inside(kEveryKind, t.params);
      depths.insert(param_number(t.params, "depth", NAN));
      losses.insert(param_text(t.params, "loss", ""));
      EXPECT_EQ(param_number(t.params, "leaves", NAN), 2);
      EXPECT_EQ(param_number(t.params, "fixed", NAN), 0.7);
    }
    EXPECT_EQ(depths, (std::set<double>{1, 2, 3})) << search_method_name(m);
    EXPECT_EQ(losses.size(), 3u) << search_method_name(m);
  }
}

TEST(TpeSearchTest, FailedTrialsAreToleratedAndAvoided) {
  // Scores are NaN on the right half: TPE keeps proposing valid points and moves to the left.
  SearchSpace space = {uniform("x", 0, 1)};
  SearchOptions options;
  auto history = run_search(SearchMethod::kTpe, space, options,
                            [](const Params& p) {
                              double x = param_number(p, "x", NAN);
                              return x > 0.5 ? NAN : (x - 0.4) * (x - 0.4);
                            },
                            60);
  ASSERT_EQ(history.size(), 60u);
  int left = 0;
  for (size_t i = 20; i < history.size(); ++i) {
    expect_inside(space, history[i].params);
    left += param_number(history[i].params, "x", NAN) <= 0.5;
  }
  EXPECT_GE(left, 30);
}

TEST(TpeSearchTest, FindsBetterPointsThanRandomOnATwoDimensionalBowl) {
  std::vector<double> tpe_best, random_best;
  int tpe_wins = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SearchOptions options;
    options.seed = seed;
    tpe_best.push_back(best_score(run_search(SearchMethod::kTpe, kBowlSpace, options, bowl, 60)));
    random_best.push_back(best_score(run_search(SearchMethod::kRandom, kBowlSpace, options, bowl, 60)));
    tpe_wins += tpe_best.back() < random_best.back();
  }
  RecordProperty("tpe_median_best", std::to_string(median(tpe_best)));
  RecordProperty("random_median_best", std::to_string(median(random_best)));
  std::printf("bowl, 60 trials, 20 seeds: median best TPE %.5f, random %.5f; TPE better on %d seeds\n",
              median(tpe_best), median(random_best), tpe_wins);
  EXPECT_LT(median(tpe_best), 0.5 * median(random_best));
  EXPECT_GE(tpe_wins, 14);
}

TEST(TpeSearchTest, PicksTheMuchBetterChoiceAfterStartup) {
  SearchSpace space = {uniform("x", 0, 1), choice("booster", {"gbtree", "dart", "linear", "stump"})};
  auto objective = [](const Params& p) {
    double x = param_number(p, "x", NAN);
    return (x - 0.3) * (x - 0.3) + (param_text(p, "booster", "") == "linear" ? 0.0 : 1.0);
  };
  int after_startup = 0, picked = 0;
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SearchOptions options;
    options.seed = seed;
    auto history = run_search(SearchMethod::kTpe, space, options, objective, 60);
    for (size_t i = static_cast<size_t>(options.startup_trials); i < history.size(); ++i) {
      ++after_startup;
      picked += param_text(history[i].params, "booster", "") == "linear";
    }
  }
  double share = static_cast<double>(picked) / after_startup;
  std::printf("choice: TPE proposed the best booster in %.1f%% of the trials after startup (random: 25%%)\n",
              100 * share);
  EXPECT_GT(share, 0.6);
}

}  // namespace
}  // namespace credo::train
