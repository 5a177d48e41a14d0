// The dashboard's client-number suggestions: hand-listed ids and what each prefix must find.
#include "credo/serve/client_search.h"

#include <gtest/gtest.h>

namespace credo::serve {
namespace {

TEST(ClientSearch, FindsTheSmallestIdsStartingWithTheDigits) {
  std::vector<int64_t> ids = {100002, 100003, 456255, 10, 1000, 1099, 119, 12, 11, 0, 99999, 100010};
  struct Case {
    std::string digits;
    size_t limit;
    std::vector<int64_t> expected;
    size_t total;
  };
  std::vector<Case> cases = {
      {"1000", 10, {1000, 100002, 100003, 100010}, 4},
      {"10000", 2, {100002, 100003}, 2},  // not 100010: its fifth digit is 1
      {"10001", 10, {100010}, 1},
      {"11", 10, {11, 119}, 2},
      {"1", 3, {10, 11, 12}, 9},
      {"456255", 10, {456255}, 1},
      {"4562550", 10, {}, 0},
      {"9", 10, {99999}, 1},
      {"0", 10, {0}, 1},
      {"01", 10, {}, 0},  // no id is written with a leading zero
      {"999999999999999999", 10, {}, 0},
      {"", 10, {}, 0},
  };
  for (const Case& c : cases) {
    ClientMatches found = clients_with_prefix(ids, c.digits, c.limit);
    EXPECT_EQ(found.ids, c.expected) << c.digits;
    EXPECT_EQ(found.total, c.total) << c.digits;
  }
}

}  // namespace
}  // namespace credo::serve
