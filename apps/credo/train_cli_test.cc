// `credo train` and `credo predict` end to end on a small feature file: the leaderboard printed,
// the champion registered, its predictions written with decisions under its threshold.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "cli_testing.h"
#include "credo/base/temp_dir.h"
#include "credo/features/feature_matrix.h"
#include "credo/train/synthetic_matrix_testing.h"

namespace credo::cli {
namespace {

using testing::CommandRun;
using testing::credo;

// Writes features.credo and, as `credo synth` does, synth_truth.csv with each client's true
// probability of default.
std::string small_features(const std::filesystem::path& dir) {
  std::vector<double> true_pd;
  FeatureMatrix m = credo::testing::synthetic_matrix(
      {.clients = 2200, .test_clients = 200, .intercept = -2.2, .seed = 9, .first_id = 200000}, &true_pd);
  std::ofstream truth(dir / "synth_truth.csv");
  truth << "SK_ID_CURR,SET,TRUE_PD,APP_PD\n";
  for (size_t r = 0; r < m.num_rows(); ++r)
    truth << m.id(r) << "," << (m.is_test(r) ? "test" : "train") << "," << true_pd[r] << "," << true_pd[r] << "\n";
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

  // models show: each version's algorithm and cost matrix beside its metrics.
  CommandRun show = credo("models show credit-default" + store);
  ASSERT_EQ(show.exit_code, 0) << show.output;
  for (const char* expected : {"ALGORITHM", "COST MATRIX", "FN 10, FP 1, TP 0, TN 0", "business_cost"})
    EXPECT_NE(show.output.find(expected), std::string::npos) << expected << "\n" << show.output;

  CommandRun unknown = credo("predict --model models:/nope@champion --features " + features + " --out " + out + store);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("no registered model named 'nope'"), std::string::npos) << unknown.output;
  CommandRun bad_algorithm = credo("train --features " + features + store + " --algorithms logistic,svm -q");
  EXPECT_EQ(bad_algorithm.exit_code, 2);
  EXPECT_NE(bad_algorithm.output.find("unknown algorithm 'svm'"), std::string::npos) << bad_algorithm.output;
  CommandRun missing = credo("train --features " + (dir / "absent.credo").string() + store + " -q");
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
}

// With the generator's truth: the hold-out compared with the true probabilities; --json gives the
// whole result to scripts.
TEST(TrainCliTest, ComparesWithTheGeneratorsTruthAndPrintsJson) {
  TempDir dir("train_cli_truth");
  std::string features = small_features(dir.path());
  std::string store = " --store " + (dir / "store").string();
  std::string common = "train --features " + features + store +
                       " --algorithms dummy,logistic --trials 1 --refine-trials 0 --folds 2 --threads 1 -q";
  CommandRun text = credo(common + " --truth " + (dir / "synth_truth.csv").string());
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("vs the truth"), std::string::npos) << text.output;

  CommandRun json_run = credo(common + " --json --truth " + (dir / "synth_truth.csv").string());
  ASSERT_EQ(json_run.exit_code, 0) << json_run.output;
  auto json = nlohmann::json::parse(json_run.output);
  EXPECT_EQ(json["alias"], "challenger");  // the first run made the champion
  EXPECT_EQ(json["leaderboard"].size(), 2u);
  EXPECT_EQ(json["leaderboard"][0]["chosen"], true);
  EXPECT_EQ(json["algorithm"], json["leaderboard"][0]["algorithm"]);
  double bayes = json["truth"]["bayes_auc"], holdout = json["holdout"]["auc"];
  // The true probabilities rank the hold-out better than chance; a logistic model on the right
  // features comes close to them.
  EXPECT_GT(bayes, 0.6);
  EXPECT_NEAR(json["truth"]["auc_gap"].get<double>(), bayes - holdout, 1e-12);
  EXPECT_LT(std::abs(bayes - holdout), 0.08);
  EXPECT_GT(json["holdout"]["business_cost"].get<double>(), 0);

  // A truth file that does not cover the hold-out clients is an error naming the file and a client.
  std::ofstream(dir / "other_truth.csv") << "SK_ID_CURR,SET,TRUE_PD,APP_PD\n1,train,0.1,0.1\n";
  CommandRun wrong = credo(common + " --truth " + (dir / "other_truth.csv").string());
  EXPECT_EQ(wrong.exit_code, 2) << wrong.output;
  EXPECT_NE(wrong.output.find("other_truth.csv: no client 2"), std::string::npos) << wrong.output;
}

// A lender's month: a model trained on one generated data set scores new clients' raw data
// (another seed, drifted) with its own fitted pipeline; --json gives the summary.
TEST(TrainCliTest, PredictsNewClientsFromRawData) {
  TempDir dir("predict_data");
  std::string data = (dir / "train_data").string(), fresh = (dir / "new_data").string();
  std::string features = (dir / "features.credo").string(), store = " --store " + (dir / "store").string();
  ASSERT_EQ(credo("synth --clients 1500 --seed 21 --quiet --out " + data).exit_code, 0);
  ASSERT_EQ(credo("synth --clients 300 --seed 22 --drift 2 --quiet --out " + fresh).exit_code, 0);
  ASSERT_EQ(credo("features --quiet --threads 2 --data " + data + " --out " + features).exit_code, 0);
  CommandRun train = credo("train --features " + features + store +
                           " --algorithms logistic --trials 1 --refine-trials 0 --folds 2 --threads 2 -q");
  ASSERT_EQ(train.exit_code, 0) << train.output;

  std::string out = (dir / "scores.csv").string();
  CommandRun predict = credo("predict --json --threads 2 --model models:/credit-default@champion --data " + fresh +
                             " --out " + out + store);
  ASSERT_EQ(predict.exit_code, 0) << predict.output;
  auto summary = nlohmann::json::parse(predict.output);
  EXPECT_EQ(summary["clients"], 300);
  EXPECT_EQ(summary["refused"].get<int>() + summary["accepted"].get<int>(), 300);
  EXPECT_TRUE(summary["unseen_levels"].is_array());
  EXPECT_EQ(summary["algorithm"], "logistic");
  std::ifstream in(out);
  std::string line;
  size_t rows = 0, refused = 0;
  std::getline(in, line);
  EXPECT_EQ(line, "SK_ID_CURR,probability,decision");
  while (std::getline(in, line)) {
    ++rows;
    refused += line.find(",REFUSED") != std::string::npos;
  }
  EXPECT_EQ(rows, 300u);
  EXPECT_EQ(refused, summary["refused"].get<size_t>());

  // The text summary; the same scores from a feature file built --like the model.
  CommandRun text = credo("predict -q --model models:/credit-default@champion --data " + fresh + " --out " + out + store);
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("scored             300 clients"), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("unseen levels"), std::string::npos) << text.output;
  std::string like = (dir / "new.credo").string(), out_like = (dir / "scores_like.csv").string();
  ASSERT_EQ(credo("features -q --data " + fresh + " --like models:/credit-default@champion --out " + like + store).exit_code, 0);
  ASSERT_EQ(credo("predict -q --model models:/credit-default@champion --features " + like + " --out " + out_like + store)
                .exit_code,
            0);
  std::ifstream a(out), b(out_like);
  std::stringstream text_a, text_b;
  text_a << a.rdbuf();
  text_b << b.rdbuf();
  EXPECT_EQ(text_a.str(), text_b.str());

  CommandRun both = credo("predict --model models:/credit-default@champion --features " + like + " --data " + fresh +
                          " --out " + out + store);
  EXPECT_EQ(both.exit_code, 2) << both.output;
}

}  // namespace
}  // namespace credo::cli
