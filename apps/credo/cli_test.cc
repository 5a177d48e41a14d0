// End-to-end tests of the `credo` binary: help for every command, exit codes, and error
// messages a person reads, run as a user would run them.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <nlohmann/json.hpp>

#include "cli_testing.h"
#include "credo/base/temp_dir.h"
#include "credo/features/source_data.h"

namespace {

namespace fs = std::filesystem;

using credo::cli::testing::CommandRun;
using credo::cli::testing::credo;
using credo::cli::testing::credo_split;

class CliTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_ = new credo::TempDir("cli");
    dir_ = temp_->path();
  }
  static void TearDownTestSuite() { delete temp_; }
  static credo::TempDir* temp_;
  static fs::path dir_;
};
credo::TempDir* CliTest::temp_ = nullptr;
fs::path CliTest::dir_;

TEST_F(CliTest, HelpListsEveryCommandAndEachCommandHasHelp) {
  CommandRun help = credo("--help");
  EXPECT_EQ(help.exit_code, 0);
  for (const char* command : {"version", "synth", "inspect", "features", "experiments", "runs", "models"}) {
    EXPECT_NE(help.output.find(command), std::string::npos) << command;
    CommandRun sub = credo(std::string(command) + " --help");
    EXPECT_EQ(sub.exit_code, 0) << command;
    EXPECT_NE(sub.output.find("Usage"), std::string::npos) << command;
  }
}

TEST_F(CliTest, VersionAndUnknownCommand) {
  CommandRun v = credo("version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.output.rfind("credo 0.", 0), 0u) << v.output;
  nlohmann::json version = nlohmann::json::parse(credo("version --json").output);
  EXPECT_EQ(v.output.rfind("credo " + version["version"].get<std::string>() + " (C++20, ", 0), 0u) << version;
  EXPECT_NE(credo("frobnicate").exit_code, 0);
  EXPECT_NE(credo("").exit_code, 0);  // a command is required
}

TEST_F(CliTest, SynthThenInspectDescribesTheEightTables) {
  std::string data = (dir_ / "data").string();
  CommandRun synth = credo("synth --clients 1500 --seed 3 --quiet --out " + data);
  ASSERT_EQ(synth.exit_code, 0) << synth.output;
  EXPECT_NE(synth.output.find("Bayes AUC"), std::string::npos);
  CommandRun inspect = credo("inspect --quiet " + data);
  ASSERT_EQ(inspect.exit_code, 0) << inspect.output;
  EXPECT_NE(inspect.output.find("8 of 8 tables"), std::string::npos) << inspect.output;
  EXPECT_NE(inspect.output.find("Default rate"), std::string::npos);
  EXPECT_EQ(inspect.output.find("absent"), std::string::npos);
  // Every key relation of generated data joins: no orphan rows.
  size_t relations = 0;
  for (size_t at = inspect.output.find(" orphan rows"); at != std::string::npos;
       at = inspect.output.find(" orphan rows", at + 1)) {
    ++relations;
    EXPECT_EQ(inspect.output.substr(at - 2, 2), " 0") << inspect.output.substr(at - 80, 100);
  }
  EXPECT_EQ(relations, 9u);
  CommandRun json = credo("inspect --json " + data + "/bureau.csv");
  ASSERT_EQ(json.exit_code, 0);
  EXPECT_NE(json.output.find("\"name\": \"SK_ID_BUREAU\""), std::string::npos);
}

TEST_F(CliTest, FeaturesWritesMatrixDictionaryAndLeakageReport) {
  std::string data = (dir_ / "fdata").string();
  ASSERT_EQ(credo("synth --clients 800 --seed 5 --quiet --out " + data).exit_code, 0);
  std::string out = (dir_ / "f.credo").string();
  CommandRun run = credo("features --quiet --data " + data + " --out " + out + " --csv " + out + ".csv");
  ASSERT_EQ(run.exit_code, 0) << run.output;
  EXPECT_NE(run.output.find("for 800 clients"), std::string::npos) << run.output;
  EXPECT_NE(run.output.find("strongest 1"), std::string::npos);
  for (const char* suffix : {"", ".csv", ".dictionary.csv", ".leakage.txt"})
    EXPECT_TRUE(fs::exists(out + suffix)) << suffix;
  std::ifstream header(out + ".csv");
  std::string first;
  std::getline(header, first);
  EXPECT_EQ(first.rfind("SK_ID_CURR,TARGET,SET,", 0), 0u) << first.substr(0, 80);
  // The matrix says where its raw data is, absolute, so `credo serve` finds the applications.
  auto matrix = credo::read_feature_matrix(out);
  ASSERT_TRUE(matrix.ok()) << matrix.status().to_string();
  EXPECT_EQ(credo::source_data_of(*matrix), fs::absolute(data).lexically_normal().string());

  // A spec error names the spec file and line; a printed default spec is a valid spec.
  std::string spec = (dir_ / "bad.spec").string();
  std::ofstream(spec) << "table application\ntable bureau by SK_ID_CURR\n  aggregate AMT_CREDIT_SUMM : mean\n";
  CommandRun bad = credo("features --data " + data + " --out " + out + " --spec " + spec);
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.output.find("bad.spec:3: table bureau has no column 'AMT_CREDIT_SUMM'"), std::string::npos) << bad.output;
  std::string printed = (dir_ / "default.spec").string();
  ASSERT_EQ(std::system((std::string(CREDO_BINARY) + " features --print-spec > " + printed).c_str()), 0);
  EXPECT_EQ(credo("features --quiet --data " + data + " --out " + out + " --spec " + printed).exit_code, 0);
}

// New data's features with the fitted pipeline of an earlier feature file: its columns in its
// order (not the new data's own levels), its pipeline in the metadata, the new data recorded.
TEST_F(CliTest, FeaturesLikeAFeatureFileHaveItsColumns) {
  std::string data = (dir_ / "like_train").string(), fresh = (dir_ / "like_new").string();
  ASSERT_EQ(credo("synth --clients 600 --seed 5 --quiet --out " + data).exit_code, 0);
  ASSERT_EQ(credo("synth --clients 250 --seed 6 --drift 2 --quiet --out " + fresh).exit_code, 0);
  std::string fitted = (dir_ / "like_train.credo").string(), out = (dir_ / "like_new.credo").string();
  ASSERT_EQ(credo("features --quiet --data " + data + " --out " + fitted).exit_code, 0);
  CommandRun like = credo("features --json --data " + fresh + " --like " + fitted + " --out " + out);
  ASSERT_EQ(like.exit_code, 0) << like.output;
  auto summary = nlohmann::json::parse(like.output);
  auto model = credo::read_feature_matrix(fitted), matrix = credo::read_feature_matrix(out);
  ASSERT_TRUE(model.ok() && matrix.ok());
  EXPECT_EQ(summary["clients"], 250);
  EXPECT_EQ(summary["features"], model->num_features());
  EXPECT_TRUE(summary["unseen_levels"].is_array());
  EXPECT_EQ(matrix->num_rows(), 250u);
  EXPECT_EQ(matrix->features(), model->features());
  EXPECT_EQ(matrix->metadata()["fitted"], model->metadata()["fitted"]);
  EXPECT_EQ(credo::source_data_of(*matrix), fs::absolute(fresh).lexically_normal().string());
  // The text summary names the template and the unseen levels.
  CommandRun text = credo("features --quiet --data " + fresh + " --like " + fitted + " --out " + out);
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_NE(text.output.find("with the fitted pipeline of " + fitted), std::string::npos) << text.output;
  EXPECT_NE(text.output.find("unseen levels"), std::string::npos) << text.output;

  CommandRun missing = credo("features --data " + fresh + " --like " + (dir_ / "absent.credo").string() + " --out " + out);
  EXPECT_EQ(missing.exit_code, 2) << missing.output;
  CommandRun both = credo("features --data " + fresh + " --like " + fitted + " --spec x.spec --out " + out);
  EXPECT_EQ(both.exit_code, 2) << both.output;
}

// --json: the build's summary for scripts.
TEST_F(CliTest, FeaturesJsonSummary) {
  std::string data = (dir_ / "json_data").string(), out = (dir_ / "json.credo").string();
  ASSERT_EQ(credo("synth --clients 400 --seed 8 --quiet --out " + data).exit_code, 0);
  CommandRun run = credo("features --json --data " + data + " --out " + out);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  auto summary = nlohmann::json::parse(run.output);
  EXPECT_EQ(summary["clients"], 400);
  EXPECT_EQ(summary["train_clients"].get<int>() + summary["test_clients"].get<int>(), 400);
  EXPECT_GT(summary["features"].get<int>(), 700);
  EXPECT_EQ(summary["out"], out);
  EXPECT_TRUE(summary["leakage"]["top_auc"].is_array());
}

TEST_F(CliTest, BadInputGivesAClearErrorAndNonZeroExit) {
  CommandRun missing = credo("inspect /nonexistent/folder");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("/nonexistent/folder: no such file or folder"), std::string::npos) << missing.output;

  std::string bad = (dir_ / "bad.csv").string();
  std::ofstream(bad) << "a,b\n1,2\n3,\"open\n";
  CommandRun malformed = credo("inspect " + bad);
  EXPECT_EQ(malformed.exit_code, 2);
  EXPECT_NE(malformed.output.find("bad.csv:3: column 'b': unterminated quoted field"), std::string::npos)
      << malformed.output;

  // A Home Credit file with a wrong value in a numeric column names file, line, column, value.
  std::string folder = (dir_ / "broken").string();
  fs::create_directories(folder);
  std::ofstream(folder + "/bureau_balance.csv") << "SK_ID_BUREAU,MONTHS_BALANCE,STATUS\n5000000,-1,C\n5000000,x,0\n";
  CommandRun typed = credo("inspect " + folder + "/bureau_balance.csv");
  EXPECT_EQ(typed.exit_code, 2);
  EXPECT_NE(typed.output.find("bureau_balance.csv:3: column 'MONTHS_BALANCE': 'x' is not a number"),
            std::string::npos)
      << typed.output;

  CommandRun empty = credo("inspect " + folder.substr(0, folder.size() - 6) + "/nothing_here_dir");
  EXPECT_EQ(empty.exit_code, 2);

  EXPECT_NE(credo("synth --clients 0 --out " + (dir_ / "zero").string()).exit_code, 0);
  EXPECT_NE(credo("synth --clients abc --out x").exit_code, 0);
}

// A usage error is bad input like any other: exit 2 with a message, never CLI11's own codes
// (105 for a wrong type, 106 for a missing option, 109 for an unknown flag...).
TEST_F(CliTest, UsageErrorsExit2) {
  std::string out = " --out " + (dir_ / "never_written").string();
  for (const std::string& args : std::vector<std::string>{
           "frobnicate", "", "synth --frobnicate" + out, "synth --clients 10", "synth --clients abc" + out,
           "synth --out", "inspect", "inspect a b", "train --folds three", "runs", "runs list --max-results many",
           "models show", "experiments create", "export", "export mlflow", "export mlflow --store x --json=maybe",
           "serve --port not-a-port", "version --frobnicate"}) {
    CommandRun run = credo(args);
    EXPECT_EQ(run.exit_code, 2) << "credo " << args << "\n" << run.output;
    EXPECT_EQ(run.output.rfind("credo: ", 0), 0u) << "credo " << args << "\n" << run.output;  // says what is wrong
  }
  EXPECT_EQ(credo("--version").exit_code, 0);
  EXPECT_EQ(credo("synth --help").exit_code, 0);
  EXPECT_FALSE(fs::exists(dir_ / "never_written"));
}

// -q: nothing on stderr; --json: stdout is one JSON document, the summary synth_summary.json holds.
TEST_F(CliTest, SynthQuietAndJson) {
  std::string data = (dir_ / "jdata").string();
  auto run = credo_split("synth --clients 300 --seed 4 -q --json --out " + data);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  nlohmann::json printed = nlohmann::json::parse(run.out);  // throws (test fails) if not JSON alone
  EXPECT_EQ(printed["clients"], 300);
  EXPECT_EQ(printed["seed"], 4);
  EXPECT_EQ(printed["out"], data);
  EXPECT_GT(printed["rows"]["bureau.csv"].get<int64_t>(), 0);
  nlohmann::json written = nlohmann::json::parse(std::ifstream(data + "/synth_summary.json"));
  printed.erase("out");
  EXPECT_EQ(printed, written);

  auto loud = credo_split("synth --clients 300 --seed 4 --out " + data);
  ASSERT_EQ(loud.exit_code, 0) << loud.err;
  EXPECT_NE(loud.err.find("synth"), std::string::npos) << "the progress goes to stderr";
  EXPECT_NE(loud.out.find("Bayes AUC"), std::string::npos) << loud.out;
  EXPECT_EQ(loud.out.find('{'), std::string::npos);
}

}  // namespace
