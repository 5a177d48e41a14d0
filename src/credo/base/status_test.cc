// Pins StatusOr's value/error behaviour and the error macros.
#include "credo/base/status.h"

#include <gtest/gtest.h>

namespace credo {
namespace {

StatusOr<int> half(int x) {
  if (x % 2) return Status::InvalidArgument("odd value " + std::to_string(x));
  return x / 2;
}

StatusOr<int> quarter(int x) {
  CREDO_ASSIGN_OR_RETURN(int h, half(x));
  CREDO_ASSIGN_OR_RETURN(int q, half(h));
  return q;
}

TEST(StatusTest, OkAndErrors) {
  EXPECT_TRUE(Status::Ok().ok());
  Status s = Status::NotFound("client 42");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.to_string(), "not found: client 42");
}

TEST(StatusTest, AssignOrReturnPropagatesTheFirstError) {
  EXPECT_EQ(*quarter(8), 2);
  auto r = quarter(6);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().message(), "odd value 3");
}

}  // namespace
}  // namespace credo
