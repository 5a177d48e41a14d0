// The poller follows the alias: moved in the registry, the new version is served without a call.
#include "credo/serve/reload_poller.h"

#include "credo/serve/api_testing.h"

namespace credo::serve {
namespace {

using testing::ServedApi;

TEST(ReloadPoller, ServesTheVersionTheAliasMovedTo) {
  ServedApi api;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  ReloadPoller poller(api.server(), std::chrono::milliseconds(20), nullptr);
  ASSERT_TRUE(api.store().set_alias("credit-default", "champion", 2, "test", "promote the challenger").ok());
  for (int i = 0; i < 500 && api.service().current()->version != 2; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(api.service().current()->version, 2);
  EXPECT_EQ(api.get("/api/v1/model").second["algorithm"], "logistic");
  poller.stop();
  int checks = poller.checks();
  EXPECT_GT(checks, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_EQ(poller.checks(), checks);  // stopped means stopped
}

TEST(ReloadPoller, ZeroIntervalNeverChecks) {
  ServedApi api;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  ReloadPoller poller(api.server(), std::chrono::milliseconds(0), nullptr);
  ASSERT_TRUE(api.store().set_alias("credit-default", "champion", 2, "test", "promote the challenger").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_EQ(poller.checks(), 0);
  EXPECT_EQ(api.service().current()->version, 1);
}

}  // namespace
}  // namespace credo::serve
