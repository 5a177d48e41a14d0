// The prediction log: record() returns once its event is committed, many threads share commits,
// a small queue makes callers wait instead of dropping, an event the store refuses fails its own
// caller only, and close() commits what was recorded. (A crash and a locked store:
// prediction_log_durability_test.cc.)
#include "credo/serve/prediction_log.h"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <set>
#include <thread>

#include "credo/base/temp_dir.h"
#include "credo/serve/prediction_log_testing.h"

namespace credo::serve {
namespace {

std::set<std::string> logged_ids(store::Store& store) {
  std::set<std::string> ids;
  for (const auto& e : store.list_predictions(0, 0, 0).value()) ids.insert(e.request_id);
  return ids;
}

TEST(PredictionLogTest, EveryRecordIsCommittedWhenItReturns) {
  TempDir dir("prediction_log");
  auto store = store::open_store(dir / "store").value();
  // A queue far smaller than the load: recorders must wait for room, never drop.
  PredictionLog log(*store, {.capacity = 64, .batch_size = 50});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2500; ++i) ASSERT_TRUE(log.record(testing_event(t, i)).ok());
    });
  for (auto& t : threads) t.join();
  // No close(): what record() acknowledged is already in the store.
  EXPECT_EQ(log.written(), 10000u);
  EXPECT_EQ(log.failed(), 0u);
  EXPECT_EQ(log.queued(), 0u);
  EXPECT_EQ(store->list_predictions(0, 0, 0)->size(), 10000u);
  EXPECT_EQ(logged_ids(*store).size(), 10000u);
  log.close();
  EXPECT_FALSE(log.record(testing_event(9, 0)).ok());  // closed
}

TEST(PredictionLogTest, ALoneRecordIsInTheStoreWhenItReturns) {
  TempDir dir("prediction_log_lone");
  auto store = store::open_store(dir / "store").value();
  PredictionLog log(*store);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(log.record(testing_event(0, i)).ok());
    EXPECT_EQ(store->list_predictions(0, 0, 0)->size(), static_cast<size_t>(i + 1));
  }
  EXPECT_EQ(log.written(), 3u);
}

TEST(PredictionLogTest, ARefusedEventFailsItsOwnCallerOnly) {
  TempDir dir("prediction_log_refused");
  auto store = store::open_store(dir / "store").value();
  PredictionLog log(*store);
  std::atomic<int> refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        store::PredictionEvent e = testing_event(t, i);
        bool broken = t == 3 && i == 100;
        if (broken) e.probability = std::nan("");  // stored as NULL: the table refuses it
        Status recorded = log.record(std::move(e));
        EXPECT_EQ(recorded.ok(), !broken) << recorded.to_string();
        if (!recorded.ok()) ++refused;
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(refused.load(), 1);
  EXPECT_EQ(log.failed(), 1u);
  EXPECT_EQ(log.written(), 1599u);
  std::set<std::string> ids = logged_ids(*store);
  EXPECT_EQ(ids.size(), 1599u);
  EXPECT_FALSE(ids.count("3-100"));
}

TEST(PredictionLogTest, CloseCommitsEveryAcknowledgedRecordAndRefusesTheRest) {
  TempDir dir("prediction_log_close");
  auto store = store::open_store(dir / "store").value();
  PredictionLog log(*store, {.capacity = 16, .batch_size = 8});
  std::atomic<int> answered{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0;; ++i) {
        if (!log.record(testing_event(t, i)).ok()) {
          ++refused;
          return;
        }
        ++answered;
      }
    });
  while (answered < 500) std::this_thread::yield();
  log.close();  // what a SIGTERM does once the server has stopped
  for (auto& t : threads) t.join();
  EXPECT_EQ(refused.load(), 8);
  EXPECT_EQ(log.written(), static_cast<uint64_t>(answered.load()));
  EXPECT_EQ(logged_ids(*store).size(), static_cast<size_t>(answered.load()));
}

}  // namespace
}  // namespace credo::serve
