// Loopback is decided on the addresses a host resolves to, not on how its name begins.
#include "credo/serve/listen_address.h"

#include <gtest/gtest.h>

namespace credo::serve {
namespace {

TEST(ListenAddress, LoopbackAddressesAndNames) {
  for (const char* host : {"127.0.0.1", "127.3.4.5", "::1", "localhost"}) EXPECT_TRUE(is_loopback_host(host)) << host;
  for (const char* host : {"0.0.0.0", "::", "10.1.2.3", "128.0.0.1", "127.evil.invalid", "", "not a host"})
    EXPECT_FALSE(is_loopback_host(host)) << host;
}

TEST(ListenAddress, BeyondLoopbackNeedsTokens) {
  EXPECT_TRUE(check_listen_address("127.0.0.1", false).ok());
  Status open = check_listen_address("0.0.0.0", false);
  EXPECT_EQ(open.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(open.message().find("--token-file"), std::string::npos);
  EXPECT_FALSE(check_listen_address("127.example.invalid", false).ok());
  EXPECT_TRUE(check_listen_address("0.0.0.0", true).ok());
}

}  // namespace
}  // namespace credo::serve
