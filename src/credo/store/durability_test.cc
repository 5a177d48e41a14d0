// The store under the conditions of real use: several processes and threads writing at once, a
// process killed in the middle of a run, and a store made by an older credo.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <thread>

#include "credo/base/temp_dir.h"
#include "credo/store/active_run.h"
#include "credo/store/artifacts.h"
#include "credo/store/schema.h"
#include "credo/store/sqlite.h"
#include "credo/store/store.h"

namespace credo::store {
namespace {
namespace fs = std::filesystem;

int64_t count_rows(const fs::path& store_dir, const std::string& sql) {
  auto db = sql::Database::open((store_dir / "store.db").string(), false);
  EXPECT_TRUE(db.ok());
  auto stmt = db->prepare(sql);
  EXPECT_TRUE(stmt.ok()) << stmt.status().to_string();
  EXPECT_TRUE(stmt->step().value());
  return stmt->int64(0);
}

// Runs `body` in a child process; returns its pid.
template <typename Body>
pid_t spawn(Body body) {
  pid_t pid = ::fork();
  if (pid == 0) {
    int code = body();
    ::_exit(code);
  }
  return pid;
}

int wait_exit_code(pid_t pid) {
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

TEST(StoreDurabilityTest, SeveralProcessesWriteAtOnceWithoutLosingAPoint) {
  TempDir dir("store_procs");
  fs::path store_dir = dir / "store";
  ASSERT_TRUE(open_store(store_dir).ok());
  constexpr int kProcesses = 4, kPoints = 3000;
  std::vector<pid_t> children;
  for (int p = 0; p < kProcesses; ++p) {
    children.push_back(spawn([&, p] {
      auto store = open_store(store_dir);
      if (!store.ok()) return 1;
      RunOptions options;
      options.experiment = "parallel";
      options.run_name = "worker-" + std::to_string(p);
      options.batch_points = 100;  // many small transactions, to make the processes contend
      options.heartbeat_interval_ms = 5;
      auto run = ActiveRun::start(**store, options);
      if (!run.ok()) return 2;
      for (int i = 0; i < kPoints; ++i)
        if (!(*run)->log_metric("loss", 1.0 / (i + 1), i).ok()) return 3;
      if (!(*run)->log_param("worker", std::to_string(p)).ok()) return 4;
      return (*run)->end().ok() ? 0 : 5;
    }));
  }
  for (pid_t child : children) EXPECT_EQ(wait_exit_code(child), 0);
  EXPECT_EQ(count_rows(store_dir, "SELECT count(*) FROM metrics"), kProcesses * kPoints);
  EXPECT_EQ(count_rows(store_dir, "SELECT count(*) FROM runs WHERE status = 'FINISHED'"), kProcesses);
  EXPECT_EQ(count_rows(store_dir, "SELECT count(*) FROM experiments WHERE name = 'parallel'"), 1);
}

TEST(StoreDurabilityTest, ThreadsShareOneRun) {
  TempDir dir("store_threads");
  auto store = open_store(dir / "store").value();
  RunOptions options;
  options.batch_points = 64;
  auto run = ActiveRun::start(*store, options).value();
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 1000; ++i) ASSERT_TRUE(run->log_metric("fold_" + std::to_string(t), i, i).ok());
    });
  for (auto& t : threads) t.join();
  ASSERT_TRUE(run->end().ok());
  for (int t = 0; t < 4; ++t) EXPECT_EQ(store->metric_history(run->id(), "fold_" + std::to_string(t))->size(), 1000u);
}

TEST(StoreDurabilityTest, AKilledRunStaysVisibleThenIsFailedAndTheStoreIsIntact) {
  TempDir dir("store_crash");
  fs::path store_dir = dir / "store";
  ASSERT_TRUE(open_store(store_dir).ok());
  constexpr size_t kBatch = 50, kBlobBytes = 1 << 20;
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  pid_t child = spawn([&] {
    auto store = open_store(store_dir);
    if (!store.ok()) return 1;
    RunOptions options;
    options.experiment = "crash";
    options.batch_points = kBatch;
    auto run = ActiveRun::start(**store, options);
    if (!run.ok()) return 2;
    std::string blob(kBlobBytes, 'x');
    for (int64_t i = 0;; ++i) {
      (void)(*run)->log_metric("loss", static_cast<double>(i), i);
      if (i % 97 == 0) (void)(*run)->log_text("blobs/blob-" + std::to_string(i % 5), blob);
      if (i == 500) (void)!::write(ready[1], "r", 1);  // well into the run: kill me now
    }
  });
  char byte;
  ASSERT_EQ(::read(ready[0], &byte, 1), 1);
  ::kill(child, SIGKILL);
  EXPECT_EQ(wait_exit_code(child), 128 + SIGKILL);

  auto store = open_store(store_dir).value();
  auto runs = store->search_runs(RunSearch{});
  ASSERT_TRUE(runs.ok());
  ASSERT_EQ(runs->size(), 1u);
  const store::Run& run = (*runs)[0];
  EXPECT_EQ(run.info.status, RunStatus::kRunning);  // still visible as it was left
  EXPECT_EQ(count_rows(store_dir, "SELECT count(*) FROM metrics") % kBatch, 0);  // whole batches only
  EXPECT_GE(count_rows(store_dir, "SELECT count(*) FROM metrics"), 500);
  auto integrity = sql::Database::open((store_dir / "store.db").string(), false).value().prepare("PRAGMA integrity_check");
  ASSERT_TRUE(integrity->step().value());
  EXPECT_EQ(integrity->text(0), "ok");
  // Every artifact that is visible is whole: copies in progress hide under a temporary name.
  auto artifacts = list_artifacts(run.info.artifact_dir);
  ASSERT_TRUE(artifacts.ok());
  for (const ArtifactEntry& entry : *artifacts) {
    if (!entry.is_dir) {
      EXPECT_EQ(entry.bytes, kBlobBytes) << entry.path;
    }
  }

  // The next run to start finds it dead (its process is gone from this host: at once, whatever
  // the staleness threshold) and marks it FAILED.
  RunOptions next;
  next.stale_after_ms = 24LL * 3600 * 1000;
  auto next_run = ActiveRun::start(*store, next);
  ASSERT_TRUE(next_run.ok());
  auto dead = store->get_run(run.info.run_id);
  EXPECT_EQ(dead->info.status, RunStatus::kFailed);
  EXPECT_NE(dead->tags.at("credo.failure").find("stopped without ending"), std::string::npos);
  EXPECT_TRUE(store->fail_dead_runs(next.stale_after_ms)->empty());  // the new run is alive
}

TEST(StoreDurabilityTest, AnEndlessRunIsFailedWhenItsOwnerReturnsEarly) {
  TempDir dir("store_early");
  auto store = open_store(dir / "store").value();
  std::string id;
  {
    auto run = ActiveRun::start(*store, RunOptions{}).value();
    id = run->id();
    ASSERT_TRUE(run->log_metric("auc", 0.7).ok());
  }  // no end(): an error path
  auto run = store->get_run(id);
  EXPECT_EQ(run->info.status, RunStatus::kFailed);
  EXPECT_DOUBLE_EQ(run->metrics.at("auc").value, 0.7);  // what was logged is kept
}

TEST(StoreMigrationTest, AStoreOfTheFirstSchemaIsMigratedWithItsData) {
  TempDir dir("store_migrate");
  fs::path store_dir = dir / "store";
  fs::create_directories(store_dir);
  {
    auto db = sql::Database::open((store_dir / "store.db").string(), true).value();
    ASSERT_TRUE(migrate(db, 1).ok());
    EXPECT_EQ(schema_version(db).value(), 1);
    // A run as the first release wrote it: no host, pid or heartbeat columns yet.
    ASSERT_TRUE(db.exec("INSERT INTO experiments (name, creation_time, last_update_time) VALUES ('old', 5, 5);"
                        "INSERT INTO runs (run_uuid, experiment_id, name, status, start_time, end_time, artifact_dir) "
                        "VALUES ('00112233445566778899aabbccddeeff', 1, 'legacy', 'FINISHED', 1000, 2000, "
                        "'artifacts/1/00112233445566778899aabbccddeeff');"
                        "INSERT INTO latest_metrics VALUES ('00112233445566778899aabbccddeeff', 'auc', 0.71, 0, 3, 0);")
                    .ok());
  }
  auto store = open_store(store_dir);
  ASSERT_TRUE(store.ok()) << store.status().to_string();
  auto run = (*store)->get_run("001122334455");
  ASSERT_TRUE(run.ok()) << run.status().to_string();
  EXPECT_EQ(run->info.run_name, "legacy");
  EXPECT_EQ(run->info.heartbeat_ms, 2000);  // filled in by the migration
  EXPECT_DOUBLE_EQ(run->metrics.at("auc").value, 0.71);
  auto db = sql::Database::open((store_dir / "store.db").string(), false).value();
  EXPECT_EQ(schema_version(db).value(), current_schema_version());
  // The registry tables of later versions work on the migrated store.
  EXPECT_TRUE((*store)->create_registered_model("credit-default", "").ok());
}

TEST(StoreMigrationTest, TheVersion4PredictionLogIsKeptWhenItBecomesAppendOnly) {
  TempDir dir("store_migrate_predictions");
  fs::path store_dir = dir / "store";
  fs::create_directories(store_dir);
  {
    auto db = sql::Database::open((store_dir / "store.db").string(), true).value();
    ASSERT_TRUE(migrate(db, 4).ok());
    // Two events as schema 4 kept them (a WITHOUT ROWID table keyed by request id).
    ASSERT_TRUE(db.exec("INSERT INTO predictions VALUES ('bbbb', 20, 'credit-default', 1, 'client', 7, 0.25, "
                        "'ACCEPTED', 0.4, 90, NULL);"
                        "INSERT INTO predictions VALUES ('aaaa', 10, 'credit-default', 1, 'application', NULL, 0.75, "
                        "'REFUSED', 0.4, 120, x'0000803f');")
                    .ok());
  }
  auto store = open_store(store_dir);
  ASSERT_TRUE(store.ok()) << store.status().to_string();
  auto events = (*store)->list_predictions(0, 0, 0).value();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].request_id, "aaaa");  // by time
  EXPECT_EQ(events[0].features, std::vector<float>{1.0f});
  EXPECT_FALSE(events[0].client_id.has_value());
  EXPECT_EQ(events[1].client_id, 7);
  EXPECT_EQ(events[1].latency_us, 90);
  // New events append after them; one request may log several (a batch), kept in their order.
  store::PredictionEvent e;
  e.request_id = "cccc";
  e.time_ms = 30;
  e.model_name = "credit-default";
  e.kind = "batch";
  std::vector<store::PredictionEvent> batch(3, e);
  for (int i = 0; i < 3; ++i) batch[i].probability = 0.1 * i;
  ASSERT_TRUE((*store)->log_predictions(batch).ok());
  events = (*store)->list_predictions(0, 0, 0).value();
  ASSERT_EQ(events.size(), 5u);
  for (int i = 0; i < 3; ++i) EXPECT_DOUBLE_EQ(events[2 + i].probability, 0.1 * i);
}

TEST(StoreMigrationTest, ANewerOrForeignDatabaseIsRefused) {
  TempDir dir("store_refuse");
  fs::path newer = dir / "newer";
  ASSERT_TRUE(open_store(newer).ok());
  {
    auto db = sql::Database::open((newer / "store.db").string(), false).value();
    ASSERT_TRUE(db.exec("PRAGMA user_version = 99").ok());
  }
  auto refused = open_store(newer);
  EXPECT_EQ(refused.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("newer than this credo"), std::string::npos);

  fs::path foreign = dir / "foreign";
  fs::create_directories(foreign);
  {
    auto db = sql::Database::open((foreign / "store.db").string(), true).value();
    ASSERT_TRUE(db.exec("CREATE TABLE customers (id INTEGER)").ok());
  }
  EXPECT_NE(open_store(foreign).status().message().find("not a credo store"), std::string::npos);

  fs::path garbage = dir / "garbage";
  fs::create_directories(garbage);
  { std::ofstream(garbage / "store.db") << "this is not a database, just some text that is long enough to matter"; }
  auto unreadable = open_store(garbage);
  EXPECT_FALSE(unreadable.ok());
  EXPECT_EQ(open_store(dir / "absent", false).status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace credo::store
