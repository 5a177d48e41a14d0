// Pins the error codes: each status its own code, unknown statuses to the catch-alls, no code twice.
#include "credo/serve/error_codes.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace credo::serve {
namespace {

TEST(ErrorCodes, EachStatusHasItsCode) {
  const std::pair<int, const char*> cases[] = {
      {400, "BAD_REQUEST"}, {401, "UNAUTHENTICATED"}, {403, "FORBIDDEN"},   {404, "NOT_FOUND"},
      {405, "METHOD_NOT_ALLOWED"}, {413, "PAYLOAD_TOO_LARGE"}, {415, "UNSUPPORTED_MEDIA_TYPE"},
      {414, "URI_TOO_LONG"}, {422, "UNPROCESSABLE"}, {431, "HEADERS_TOO_LARGE"}, {500, "INTERNAL"}, {503, "UNAVAILABLE"},
      {502, "INTERNAL"},    {408, "ERROR"},           {429, "ERROR"},
  };
  for (const auto& [status, code] : cases) EXPECT_STREQ(error_code_for_status(status), code) << status;
  std::set<std::string> codes;
  for (const ErrorCode& e : error_codes()) EXPECT_TRUE(codes.insert(e.code).second) << e.code;
  EXPECT_STREQ(error_codes().back().code, "ERROR");
}

}  // namespace
}  // namespace credo::serve
