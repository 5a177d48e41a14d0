// The asynchronous prediction log: many threads recording at once lose nothing, a small queue
// makes callers wait instead of dropping, and close() writes what is queued.
#include "credo/serve/prediction_log.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>
#include <thread>

#include "credo/base/temp_dir.h"

namespace credo::serve {
namespace {

store::PredictionEvent logged_event(int thread, int i) {
  store::PredictionEvent e;
  e.request_id = std::to_string(thread) + "-" + std::to_string(i);
  e.time_ms = 1000 + i;
  e.model_name = "credit-default";
  e.model_version = 1;
  e.kind = "client";
  e.client_id = 100000 + i;
  e.probability = 0.01 * (i % 100);
  e.threshold = 0.3;
  e.refused = e.probability >= 0.3;
  return e;
}

TEST(PredictionLogTest, ConcurrentRecordsAreAllWrittenByClose) {
  TempDir dir("prediction_log");
  auto store = store::open_store(dir / "store").value();
  // A queue far smaller than the load: recorders must wait for the writer, never drop.
  PredictionLog log(*store, {.capacity = 64, .batch_size = 50, .flush_interval_ms = 5});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2500; ++i) ASSERT_TRUE(log.record(logged_event(t, i)).ok());
    });
  for (auto& t : threads) t.join();
  log.close();
  EXPECT_EQ(log.written(), 10000u);
  EXPECT_EQ(log.failed(), 0u);
  EXPECT_EQ(log.queued(), 0u);
  auto events = store->list_predictions(0, 0, 0).value();
  ASSERT_EQ(events.size(), 10000u);
  std::set<std::string> ids;
  for (const auto& e : events) ids.insert(e.request_id);
  EXPECT_EQ(ids.size(), 10000u);
  EXPECT_FALSE(log.record(logged_event(9, 0)).ok());  // closed
}

TEST(PredictionLogTest, APartialBatchIsWrittenAfterTheFlushInterval) {
  TempDir dir("prediction_log_flush");
  auto store = store::open_store(dir / "store").value();
  PredictionLog log(*store, {.capacity = 100, .batch_size = 1000, .flush_interval_ms = 10});
  ASSERT_TRUE(log.record(logged_event(0, 1)).ok());
  for (int i = 0; i < 500 && log.written() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  EXPECT_EQ(log.written(), 1u);
  EXPECT_EQ(store->list_predictions(0, 0, 0)->size(), 1u);
}

TEST(PredictionLogTest, ARefusedBatchIsCountedNotRetried) {
  TempDir dir("prediction_log_fail");
  auto store = store::open_store(dir / "store").value();
  PredictionLog log(*store, {.capacity = 100, .batch_size = 10, .flush_interval_ms = 5});
  ASSERT_TRUE(log.record(logged_event(0, 1)).ok());
  store::PredictionEvent broken = logged_event(0, 2);
  broken.probability = std::nan("");  // stored as NULL: the table refuses the batch
  ASSERT_TRUE(log.record(std::move(broken)).ok());
  log.close();
  EXPECT_EQ(log.written() + log.failed(), 2u);
  EXPECT_GE(log.failed(), 1u);
}

}  // namespace
}  // namespace credo::serve
