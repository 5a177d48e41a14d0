// End-to-end tests of the store commands (`experiments`, `runs`, `models`) on a real store
// filled through the library, read and changed through the binary.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cli_testing.h"
#include "credo/base/temp_dir.h"
#include "credo/store/active_run.h"
#include "credo/store/store.h"

namespace credo::cli {
namespace {

using testing::CommandRun;
using testing::credo;
using testing::credo_split;

class StoreCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = store::open_store(store_dir()).value();
    struct Row {
      const char* algo;
      double auc, cost;
    };
    for (Row row : {Row{"logreg", 0.74, 0.52}, Row{"xgboost", 0.78, 0.47}, Row{"xgboost", 0.77, 0.49},
                    Row{"dummy", 0.50, 0.60}}) {
      store::RunOptions options;
      options.experiment = "credit";
      options.run_name = std::string(row.algo) + "-" + std::to_string(ids_.size());
      options.heartbeat_interval_ms = 0;
      auto run = store::ActiveRun::start(*store_, options).value();
      ASSERT_TRUE(run->log_param("algo", row.algo).ok());
      ASSERT_TRUE(run->log_metric("auc", row.auc).ok());
      ASSERT_TRUE(run->log_metric("business_cost", row.cost).ok());
      ASSERT_TRUE(run->log_text("model/MLmodel", std::string("flavor: ") + row.algo).ok());
      ASSERT_TRUE(run->end().ok());
      ids_.push_back(run->id());
    }
  }
  std::string store_dir() const { return (dir_ / "store").string(); }
  std::string flag() const { return " --store " + store_dir(); }

  TempDir dir_{"store_cli"};
  std::unique_ptr<store::Store> store_;
  std::vector<std::string> ids_;  // logreg, xgboost (best), xgboost, dummy
};

TEST_F(StoreCliTest, ExperimentsListCountsRuns) {
  CommandRun list = credo("experiments list" + flag());
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_NE(list.output.find("credit"), std::string::npos);
  auto json = nlohmann::json::parse(credo("experiments list --json" + flag()).output);
  ASSERT_EQ(json.size(), 2u);
  EXPECT_EQ(json[1]["name"], "credit");
  EXPECT_EQ(json[1]["runs"], 4);
}

TEST_F(StoreCliTest, RunsListFiltersAndOrders) {
  CommandRun list = credo("runs list -e credit --filter \"metrics.auc > 0.75 and params.algo = 'xgboost'\" "
                          "--order-by metrics.business_cost" + flag());
  ASSERT_EQ(list.exit_code, 0) << list.output;
  size_t best = list.output.find(ids_[1].substr(0, 8)), second = list.output.find(ids_[2].substr(0, 8));
  ASSERT_NE(best, std::string::npos) << list.output;
  ASSERT_NE(second, std::string::npos) << list.output;
  EXPECT_LT(best, second);
  EXPECT_EQ(list.output.find(ids_[0].substr(0, 8)), std::string::npos);
  EXPECT_NE(list.output.find("metrics.business_cost"), std::string::npos);  // the ordered-by column is shown
  EXPECT_NE(list.output.find("2 runs in experiment credit"), std::string::npos);

  auto json = nlohmann::json::parse(credo("runs list -e credit --order-by 'metrics.auc DESC' --json" + flag()).output);
  ASSERT_EQ(json.size(), 4u);
  EXPECT_EQ(json[0]["info"]["run_id"], ids_[1]);
  EXPECT_EQ(json[3]["info"]["run_id"], ids_[3]);
  EXPECT_EQ(json[0]["params"]["algo"], "xgboost");
  EXPECT_DOUBLE_EQ(json[0]["metrics"]["auc"]["value"].get<double>(), 0.78);

  // CREDO_STORE stands in for --store.
  CommandRun env = credo("runs list -e credit", "CREDO_STORE=" + store_dir());
  EXPECT_EQ(env.exit_code, 0) << env.output;
  EXPECT_NE(env.output.find("4 runs"), std::string::npos);
}

TEST_F(StoreCliTest, RunsShowAndCompare) {
  CommandRun show = credo("runs show " + ids_[1].substr(0, 8) + flag());
  ASSERT_EQ(show.exit_code, 0) << show.output;
  for (const char* expected : {"xgboost-1", "FINISHED", "algo", "business_cost", "model/MLmodel", "credit"})
    EXPECT_NE(show.output.find(expected), std::string::npos) << expected;
  auto json = nlohmann::json::parse(credo("runs show " + ids_[1] + " --json" + flag()).output);
  EXPECT_EQ(json["metrics"]["auc"]["points"], 1);
  EXPECT_EQ(json["experiment"]["name"], "credit");

  CommandRun compare = credo("runs compare " + ids_[1] + " " + ids_[2] + flag());
  ASSERT_EQ(compare.exit_code, 0) << compare.output;
  // Same algorithm, different metrics: only the differing lines are marked.
  EXPECT_NE(compare.output.find("*  metrics.auc"), std::string::npos) << compare.output;
  EXPECT_EQ(compare.output.find("*  params.algo"), std::string::npos) << compare.output;
  EXPECT_NE(compare.output.find("   params.algo"), std::string::npos) << compare.output;
  auto diff = nlohmann::json::parse(credo("runs compare " + ids_[0] + " " + ids_[1] + " --json" + flag()).output);
  EXPECT_NE(std::find(diff["differences"].begin(), diff["differences"].end(), "params.algo"), diff["differences"].end());
}

TEST_F(StoreCliTest, ModelsRegisterAliasShow) {
  CommandRun reg = credo("models register " + ids_[0] + " --name credit-default" + flag());
  ASSERT_EQ(reg.exit_code, 0) << reg.output;
  EXPECT_NE(reg.output.find("version 1 (models:/credit-default/1)"), std::string::npos) << reg.output;
  ASSERT_EQ(credo("models register " + ids_[1] + " --name credit-default --description 'tuned xgboost'" + flag()).exit_code, 0);
  ASSERT_EQ(credo("models alias credit-default@champion 1 --reason 'first model' --by ana" + flag()).exit_code, 0);
  CommandRun move = credo("models alias credit-default@champion 2 --reason 'lower business cost' --by ben" + flag());
  ASSERT_EQ(move.exit_code, 0) << move.output;

  CommandRun show = credo("models show credit-default" + flag());
  ASSERT_EQ(show.exit_code, 0) << show.output;
  for (const char* expected : {"champion", "lower business cost", "ben", "auc", "business_cost"})
    EXPECT_NE(show.output.find(expected), std::string::npos) << expected << "\n" << show.output;
  auto json = nlohmann::json::parse(credo("models show credit-default --json" + flag()).output);
  EXPECT_EQ(json["aliases"]["champion"], 2);
  ASSERT_EQ(json["versions"].size(), 2u);
  EXPECT_EQ(json["versions"][1]["description"], "tuned xgboost");
  EXPECT_DOUBLE_EQ(json["versions"][1]["metrics"]["auc"].get<double>(), 0.78);
  ASSERT_EQ(json["alias_history"].size(), 2u);
  EXPECT_EQ(json["alias_history"][1]["from_version"], 1);
  EXPECT_EQ(json["alias_history"][1]["moved_by"], "ben");

  CommandRun list = credo("models list" + flag());
  EXPECT_NE(list.output.find("champion=v2"), std::string::npos) << list.output;
  ASSERT_EQ(credo("models archive credit-default 1" + flag()).exit_code, 0);
  CommandRun archived = credo("models alias credit-default@challenger 1 --reason x" + flag());
  EXPECT_EQ(archived.exit_code, 2);
  EXPECT_NE(archived.output.find("ARCHIVED"), std::string::npos);
}

TEST_F(StoreCliTest, BadInputGivesAClearErrorAndExitCode2) {
  struct Case {
    std::string args, expected;
  };
  for (const Case& c : std::vector<Case>{
           {"runs list --filter 'metrics.auc >'", "filter: at"},
           {"runs list --filter 'metrics.auc > 1 or params.a = \"b\"'", "only AND"},
           {"runs list --order-by 'metrics.auc SIDEWAYS'", "order by"},
           {"runs list -e nope", "no experiment named 'nope'"},
           {"runs show 0123456789abcdef0123456789abcdef", "no run"},
           {"models register " + ids_[0] + " --name 'bad/name'", "model name"},
           {"models register " + ids_[0] + " --name m --artifact-path nothing", "no artifact 'nothing'"},
           {"models show nope", "no registered model named 'nope'"},
           {"models alias credit-default@champion 1 --reason x", "no registered model"},
           {"models alias nonsense 1 --reason x", "NAME@ALIAS"}}) {
    CommandRun run = credo(c.args + flag());
    EXPECT_EQ(run.exit_code, 2) << c.args << "\n" << run.output;
    EXPECT_NE(run.output.find(c.expected), std::string::npos) << c.args << "\n" << run.output;
  }
  ASSERT_EQ(credo("models register " + ids_[0] + " --name m" + flag()).exit_code, 0);
  CommandRun missing_version = credo("models alias m@champion 9 --reason x" + flag());
  EXPECT_EQ(missing_version.exit_code, 2);
  EXPECT_NE(missing_version.output.find("no version 9"), std::string::npos) << missing_version.output;
  CommandRun no_store = credo("runs list --store " + (dir_ / "absent").string());
  EXPECT_EQ(no_store.exit_code, 2);
  EXPECT_NE(no_store.output.find("no credo store"), std::string::npos);
}

TEST_F(StoreCliTest, GcFailsTheRunsOfDeadProcesses) {
  pid_t child = ::fork();
  if (child == 0) ::_exit(0);
  int status;
  ::waitpid(child, &status, 0);  // `child` is now a pid that no process has
  store::NewRun orphan;
  orphan.experiment_name = "credit";
  orphan.run_name = "killed";
  orphan.pid = child;
  ASSERT_TRUE(store_->create_run(orphan).ok());
  CommandRun gc = credo("runs gc" + flag());
  ASSERT_EQ(gc.exit_code, 0) << gc.output;
  EXPECT_NE(gc.output.find("1 dead run marked FAILED"), std::string::npos) << gc.output;
  EXPECT_EQ(nlohmann::json::parse(credo("runs gc --json" + flag()).output), nlohmann::json::array());
  EXPECT_NE(credo("runs list --filter \"attributes.status = 'FAILED'\"" + flag()).output.find("killed"), std::string::npos);
}

// `export mlflow`: -q leaves stderr empty, --json prints what was exported as one JSON document.
TEST_F(StoreCliTest, ExportQuietAndJson) {
  std::string out = (dir_ / "mlruns").string();
  auto run = credo_split("export mlflow -q --json --out " + out + flag());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  nlohmann::json printed = nlohmann::json::parse(run.out);
  EXPECT_EQ(printed["out"], out);
  EXPECT_EQ(printed["experiments"], 2);  // Default and credit
  EXPECT_EQ(printed["runs"], 4);
  EXPECT_EQ(printed["metric_points"], 8);
  EXPECT_EQ(printed["registered_models"], 0);
  EXPECT_EQ(printed["artifacts"], true);

  auto text = credo_split("export mlflow --overwrite --no-artifacts --out " + out + flag());
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("exported           2 experiments, 4 runs"), std::string::npos) << text.out;
  EXPECT_NE(text.err.find("mlflow ui --backend-store-uri " + out), std::string::npos) << text.err;
}

}  // namespace
}  // namespace credo::cli
