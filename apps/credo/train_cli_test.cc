// `credo train` and `credo predict` end to end on a small feature file: the leaderboard printed,
// the champion registered, its predictions written with decisions under its threshold.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "cli_testing.h"
#include "credo/base/random.h"
#include "credo/base/temp_dir.h"
#include "credo/features/feature_matrix.h"

namespace credo::cli {
namespace {

using testing::CommandRun;
using testing::credo;

std::string small_features(const std::filesystem::path& dir) {
  std::vector<FeatureInfo> features;
  for (int f = 0; f < 5; ++f) features.push_back({"F" + std::to_string(f), "application", "", "", "F", "feature"});
  FeatureMatrix m(features, 2200);
  Rng rng(9);
  for (size_t r = 0; r < 2200; ++r) {
    double z = -2.2;
    for (size_t f = 0; f < 5; ++f) {
      double v = rng.normal();
      z += (f < 2 ? 1.0 : 0.0) * v;
      m.row(r)[f] = static_cast<float>(v);
    }
    bool test = r >= 2000;
    m.set_client(r, 200000 + static_cast<int64_t>(r), test ? -1 : rng.bernoulli(1 / (1 + std::exp(-z))), test);
  }
  std::string path = (dir / "features.credo").string();
  EXPECT_TRUE(write_feature_matrix(m, path).ok());
  return path;
}

TEST(TrainCliTest, TrainsRegistersAndPredicts) {
  TempDir dir("train_cli");
  std::string features = small_features(dir.path());
  std::string store = " --store " + (dir / "store").string();
  CommandRun train = credo("train --features " + features + store +
                           " --algorithms dummy,logistic --trials 1 --refine-trials 0 --folds 2 --threads 1 -q");
  ASSERT_EQ(train.exit_code, 0) << train.output;
  for (const char* expected : {"leaderboard", "logistic", "dummy", "hold-out", "vs the dummy", "credit-default@champion"})
    EXPECT_NE(train.output.find(expected), std::string::npos) << expected << "\n" << train.output;

  std::string out = (dir / "predictions.csv").string();
  CommandRun predict = credo("predict --model models:/credit-default@champion --features " + features + " --out " + out + store);
  ASSERT_EQ(predict.exit_code, 0) << predict.output;
  std::ifstream in(out);
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "SK_ID_CURR,probability,decision");
  size_t rows = 0, refused = 0;
  while (std::getline(in, line)) {
    ++rows;
    std::stringstream fields(line);
    std::string id, probability, decision;
    std::getline(fields, id, ',');
    std::getline(fields, probability, ',');
    std::getline(fields, decision, ',');
    EXPECT_TRUE(decision == "ACCEPTED" || decision == "REFUSED") << line;
    double p = std::stod(probability);
    EXPECT_TRUE(p >= 0 && p <= 1) << line;
    refused += decision == "REFUSED";
  }
  EXPECT_EQ(rows, 2200u);
  EXPECT_GT(refused, 0u);
  EXPECT_LT(refused, rows);

  CommandRun unknown = credo("predict --model models:/nope@champion --features " + features + " --out " + out + store);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("no registered model named 'nope'"), std::string::npos) << unknown.output;
  CommandRun bad_algorithm = credo("train --features " + features + store + " --algorithms logistic,svm -q");
  EXPECT_EQ(bad_algorithm.exit_code, 2);
  EXPECT_NE(bad_algorithm.output.find("unknown algorithm 'svm'"), std::string::npos) << bad_algorithm.output;
  CommandRun missing = credo("train --features " + (dir / "absent.credo").string() + store + " -q");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
}

}  // namespace
}  // namespace credo::cli
