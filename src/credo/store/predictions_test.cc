// The prediction log and outcomes: events come back as logged (inputs bit for bit), in time
// order and window; a batch is all or nothing; outcomes are corrected in place.
#include <gtest/gtest.h>

#include <cmath>

#include "credo/base/temp_dir.h"
#include "credo/store/store.h"

namespace credo::store {
namespace {

PredictionEvent prediction_event(std::string id, int64_t time_ms, std::optional<int64_t> client,
                                 std::vector<float> features) {
  PredictionEvent e;
  e.request_id = std::move(id);
  e.time_ms = time_ms;
  e.model_name = "credit-default";
  e.model_version = 3;
  e.kind = client ? "client" : "application";
  e.client_id = client;
  e.probability = 0.125 + static_cast<double>(time_ms % 7) / 100;
  e.refused = e.probability >= 0.15;
  e.threshold = 0.15;
  e.latency_us = 80 + time_ms % 5;
  e.features = std::move(features);
  return e;
}

TEST(PredictionStoreTest, EventsRoundTripInTimeOrderAndWindow) {
  TempDir dir("predictions");
  auto store = open_store(dir / "store").value();
  std::vector<PredictionEvent> batch = {prediction_event("b", 2000, 100002, {}),
                                        prediction_event("a", 1000, std::nullopt, {0.5f, NAN, -1e-30f, 3.25f}),
                                        prediction_event("c", 3000, 100003, {})};
  ASSERT_TRUE(store->log_predictions(batch).ok());
  auto all = store->list_predictions(0, 0, 0);
  ASSERT_TRUE(all.ok()) << all.status().to_string();
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].request_id, "a");  // oldest first
  EXPECT_EQ((*all)[1].request_id, "b");
  const PredictionEvent& a = (*all)[0];
  EXPECT_FALSE(a.client_id.has_value());
  EXPECT_EQ(a.kind, "application");
  ASSERT_EQ(a.features.size(), 4u);
  EXPECT_EQ(a.features[0], 0.5f);
  EXPECT_TRUE(std::isnan(a.features[1]));
  EXPECT_EQ(a.features[2], -1e-30f);
  EXPECT_EQ((*all)[1].client_id, 100002);
  EXPECT_TRUE((*all)[1].features.empty());
  EXPECT_EQ((*all)[1].probability, batch[0].probability);
  EXPECT_EQ((*all)[1].refused, batch[0].refused);
  EXPECT_EQ((*all)[1].latency_us, batch[0].latency_us);
  EXPECT_EQ((*all)[1].model_version, 3);

  auto window = store->list_predictions(1500, 3000, 0);  // [since, until)
  ASSERT_EQ(window->size(), 1u);
  EXPECT_EQ((*window)[0].request_id, "b");
  EXPECT_EQ(store->list_predictions(0, 0, 2)->size(), 2u);

  // A batch with an event the table refuses (no probability: SQLite stores NaN as NULL) is
  // refused whole: nothing of it is written.
  PredictionEvent broken = prediction_event("e", 5000, 2, {});
  broken.probability = std::nan("");
  auto again = store->log_predictions({prediction_event("d", 4000, 1, {}), broken});
  EXPECT_FALSE(again.ok());
  EXPECT_NE(again.message().find("prediction e"), std::string::npos) << again.message();
  EXPECT_EQ(store->list_predictions(0, 0, 0)->size(), 3u);
}

TEST(PredictionStoreTest, OutcomesAreRecordedAndCorrected) {
  TempDir dir("outcomes");
  auto store = open_store(dir / "store").value();
  ASSERT_TRUE(store->record_outcome({100002, 1, 1000, "collections"}).ok());
  ASSERT_TRUE(store->record_outcome({100001, 0, 1100, ""}).ok());
  ASSERT_TRUE(store->record_outcome({100002, 0, 1200, "corrected"}).ok());
  auto outcomes = store->list_outcomes().value();
  ASSERT_EQ(outcomes.size(), 2u);
  EXPECT_EQ(outcomes[0].client_id, 100001);
  EXPECT_EQ(outcomes[1].target, 0);
  EXPECT_EQ(outcomes[1].source, "corrected");
  Status bad = store->record_outcome({7, 2, 0, ""});
  EXPECT_FALSE(bad.ok());
  EXPECT_NE(bad.message().find("target 2 is not 0 or 1"), std::string::npos);
}

}  // namespace
}  // namespace credo::store
