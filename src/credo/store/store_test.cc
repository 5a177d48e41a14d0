// Tracking against a real SQLite file: experiments, runs, params, metrics, tags, search.
#include <gtest/gtest.h>

#include <cmath>

#include "credo/base/temp_dir.h"
#include "credo/store/store.h"

namespace credo::store {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    clock_ = std::make_shared<ManualClock>(1'700'000'000'000);
    auto opened = open_store(dir_.path() / "store", true, clock_);
    ASSERT_TRUE(opened.ok()) << opened.status().to_string();
    store_ = std::move(opened).value();
  }

  RunInfo new_run(const std::string& experiment, const std::string& name) {
    NewRun run;
    run.experiment_name = experiment;
    run.run_name = name;
    auto info = store_->create_run(run);
    EXPECT_TRUE(info.ok()) << info.status().to_string();
    clock_->advance_ms(1000);
    return info.value();
  }

  std::vector<std::string> names(const std::string& filter, const std::string& order = "") {
    RunSearch search;
    auto parsed = parse_run_filter(filter);
    EXPECT_TRUE(parsed.ok()) << parsed.status().to_string();
    search.filter = parsed.value();
    if (!order.empty()) search.order_by.push_back(parse_run_order(order).value());
    auto runs = store_->search_runs(search);
    EXPECT_TRUE(runs.ok()) << runs.status().to_string();
    std::vector<std::string> out;
    for (const store::Run& r : runs.value()) out.push_back(r.info.run_name);
    return out;
  }

  TempDir dir_{"store"};
  std::shared_ptr<ManualClock> clock_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, NewStoreHasTheDefaultExperimentAndCreatesOthersOnce) {
  auto experiments = store_->list_experiments();
  ASSERT_TRUE(experiments.ok());
  ASSERT_EQ(experiments->size(), 1u);
  EXPECT_EQ((*experiments)[0].id, 0);
  EXPECT_EQ((*experiments)[0].name, "Default");
  auto a = store_->get_or_create_experiment("credit");
  auto b = store_->get_or_create_experiment("credit");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->id, b->id);
  EXPECT_EQ(a->creation_time_ms, 1'700'000'000'000);
  ASSERT_TRUE(store_->set_experiment_tag(a->id, "team", "risk").ok());
  EXPECT_EQ(store_->get_experiment_by_name("credit")->tags.at("team"), "risk");
  EXPECT_EQ(store_->get_experiment_by_name("nope").status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(std::filesystem::exists(dir_.path() / "store" / "store.db"));
}

TEST_F(StoreTest, RunRecordsWhatItLogsAndTheLatestPointOfEachMetric) {
  RunInfo info = new_run("credit", "xgb");
  EXPECT_EQ(info.run_id.size(), 32u);
  EXPECT_EQ(info.status, RunStatus::kRunning);
  EXPECT_EQ(info.start_time_ms, 1'700'000'000'000);
  EXPECT_NE(info.artifact_dir.find(info.run_id), std::string::npos);
  std::vector<Metric> points = {{"auc", 0.70, 10, 0}, {"auc", 0.75, 11, 1}, {"auc", 0.74, 12, 2},
                                {"auc", 0.60, 13, 1}, {"loss", NAN, 10, 0}, {"cost", INFINITY, 10, 0}};
  ASSERT_TRUE(store_->log_batch(info.run_id, points, {{"algo", "xgboost"}, {"depth", "6"}}, {{"stage", "dev"}}).ok());
  // Logging the same param value again is fine; another value is refused and nothing is written.
  EXPECT_TRUE(store_->log_batch(info.run_id, {}, {{"algo", "xgboost"}}, {}).ok());
  Status changed = store_->log_batch(info.run_id, {{"auc", 0.99, 20, 9}}, {{"algo", "logreg"}}, {});
  EXPECT_EQ(changed.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(changed.message().find("can't change"), std::string::npos);
  ASSERT_TRUE(store_->set_run_status(info.run_id, RunStatus::kFinished).ok());

  auto run = store_->get_run(info.run_id.substr(0, 8));  // a prefix finds it
  ASSERT_TRUE(run.ok()) << run.status().to_string();
  EXPECT_EQ(run->info.status, RunStatus::kFinished);
  EXPECT_EQ(run->info.end_time_ms, 1'700'000'001'000);
  EXPECT_EQ(run->params.at("algo"), "xgboost");
  EXPECT_EQ(run->tags.at("stage"), "dev");
  EXPECT_DOUBLE_EQ(run->metrics.at("auc").value, 0.74);  // highest step wins, not the last logged
  EXPECT_EQ(run->metrics.at("auc").step, 2);
  EXPECT_TRUE(std::isnan(run->metrics.at("loss").value));
  EXPECT_TRUE(std::isinf(run->metrics.at("cost").value));
  auto history = store_->metric_history(info.run_id, "auc");
  ASSERT_TRUE(history.ok());
  ASSERT_EQ(history->size(), 4u);  // the refused batch left no point
  EXPECT_EQ((*history)[0].step, 0);
  EXPECT_EQ((*history)[3].step, 2);
}

TEST_F(StoreTest, BadInputIsRefusedWithAClearError) {
  RunInfo info = new_run("credit", "a");
  EXPECT_EQ(store_->get_run("0123456789abcdef0123456789abcdef").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->get_run("xyz").status().code(), StatusCode::kNotFound);
  EXPECT_EQ(store_->log_batch(info.run_id, {{"../escape", 1, 0, 0}}, {}, {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->log_batch(info.run_id, {{"a;b", 1, 0, 0}}, {}, {}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->log_batch(info.run_id, {}, {{"k", std::string(6001, 'x')}}, {}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->log_batch("0123456789abcdef0123456789abcdef", {{"a", 1, 0, 0}}, {}, {}).code(),
            StatusCode::kNotFound);
  NewRun orphan;
  orphan.parent_run_id = "0123456789abcdef0123456789abcdef";
  EXPECT_EQ(store_->create_run(orphan).status().code(), StatusCode::kNotFound);
}

TEST_F(StoreTest, NestedRunsKeepTheirParent) {
  RunInfo parent = new_run("search", "tpe");
  NewRun child;
  child.experiment_name = "search";
  child.parent_run_id = parent.run_id;
  auto trial = store_->create_run(child);
  ASSERT_TRUE(trial.ok());
  EXPECT_EQ(trial->parent_run_id, parent.run_id);
  EXPECT_FALSE(trial->run_name.empty());  // a readable default name
  RunSearch search;
  search.filter = parse_run_filter("attributes.parent_run_id = '" + parent.run_id + "'").value();
  auto children = store_->search_runs(search);
  ASSERT_TRUE(children.ok());
  ASSERT_EQ(children->size(), 1u);
  EXPECT_EQ((*children)[0].info.run_id, trial->run_id);
}

TEST_F(StoreTest, SearchFiltersAndOrdersAsMlflowDoes) {
  struct Row {
    const char* name;
    const char* algo;
    double auc;
    double cost;
  };
  for (Row row : {Row{"dummy", "dummy", 0.5, 0.60}, Row{"logreg", "logreg", 0.74, 0.52}, Row{"rf", "rf", 0.76, 0.50},
                  Row{"xgb-1", "xgboost", 0.78, 0.47}, Row{"xgb-2", "xgboost", 0.77, 0.48}}) {
    RunInfo info = new_run("credit", row.name);
    ASSERT_TRUE(store_->log_batch(info.run_id, {{"auc", row.auc, 0, 0}, {"business_cost", row.cost, 0, 0}},
                                  {{"algo", row.algo}}, {}).ok());
  }
  RunInfo unscored = new_run("credit", "unscored");  // no metrics at all
  ASSERT_TRUE(store_->log_batch(unscored.run_id, {}, {{"algo", "xgboost"}}, {}).ok());

  EXPECT_EQ(names("metrics.auc > 0.75 and params.algo = 'xgboost'", "metrics.business_cost"),
            (std::vector<std::string>{"xgb-1", "xgb-2"}));
  EXPECT_EQ(names("", "metrics.business_cost ASC"),
            (std::vector<std::string>{"xgb-1", "xgb-2", "rf", "logreg", "dummy", "unscored"}));  // missing last
  EXPECT_EQ(names("", "metrics.auc DESC"),
            (std::vector<std::string>{"xgb-1", "xgb-2", "rf", "logreg", "dummy", "unscored"}));
  EXPECT_EQ(names("params.algo != 'xgboost'", "attributes.run_name"),
            (std::vector<std::string>{"dummy", "logreg", "rf"}));
  EXPECT_EQ(names("params.algo LIKE 'xg%'", "attributes.start_time ASC"),
            (std::vector<std::string>{"xgb-1", "xgb-2", "unscored"}));
  EXPECT_EQ(names("params.algo LIKE 'XG%'"), std::vector<std::string>{});  // LIKE is case-sensitive
  EXPECT_EQ(names("params.algo ILIKE 'XG%'", "attributes.run_name").size(), 3u);
  EXPECT_EQ(names("params.algo IN ('rf', 'logreg')", "attributes.run_name"),
            (std::vector<std::string>{"logreg", "rf"}));
  EXPECT_EQ(names("metrics.auc <= 0.5"), std::vector<std::string>{"dummy"});
  EXPECT_EQ(names("attributes.status = 'RUNNING' and attributes.run_name = 'rf'"), std::vector<std::string>{"rf"});
  // Newest first by default.
  EXPECT_EQ(names("").front(), "unscored");

  RunSearch limited;
  limited.order_by.push_back(parse_run_order("metrics.business_cost").value());
  limited.max_results = 2;
  limited.experiment_ids = {store_->get_experiment_by_name("credit")->id};
  auto top = store_->search_runs(limited);
  ASSERT_TRUE(top.ok());
  ASSERT_EQ(top->size(), 2u);
  EXPECT_EQ((*top)[0].metrics.at("business_cost").value, 0.47);
  limited.experiment_ids = {0};
  EXPECT_TRUE(store_->search_runs(limited)->empty());
}

TEST_F(StoreTest, ADeadRunIsFailedByTheStalenessOfItsHeartbeat) {
  NewRun remote;
  remote.experiment_name = "credit";
  remote.host = "another-machine";  // its pid means nothing here: only the heartbeat tells
  remote.pid = 1;
  auto run = store_->create_run(remote);
  ASSERT_TRUE(run.ok());
  clock_->advance_ms(30'000);
  EXPECT_TRUE(store_->fail_dead_runs(60'000)->empty());
  ASSERT_TRUE(store_->heartbeat(run->run_id).ok());
  clock_->advance_ms(59'000);
  EXPECT_TRUE(store_->fail_dead_runs(60'000)->empty());
  clock_->advance_ms(2'000);
  auto failed = store_->fail_dead_runs(60'000);
  ASSERT_TRUE(failed.ok());
  ASSERT_EQ(failed->size(), 1u);
  auto after = store_->get_run(run->run_id);
  EXPECT_EQ(after->info.status, RunStatus::kFailed);
  EXPECT_NE(after->tags.at("credo.failure").find("stopped without ending"), std::string::npos);
}

}  // namespace
}  // namespace credo::store
