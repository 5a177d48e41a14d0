// Pins the AUC against hand-computed cases, ties included.
#include "credo/base/auc.h"

#include <gtest/gtest.h>

namespace credo {
namespace {

TEST(RocAuc, HandComputed) {
  EXPECT_DOUBLE_EQ(roc_auc({0.1, 0.2, 0.8, 0.9}, {0, 0, 1, 1}), 1.0);
  EXPECT_DOUBLE_EQ(roc_auc({0.9, 0.8, 0.2, 0.1}, {0, 0, 1, 1}), 0.0);
  // Positives at 0.4 and 0.9, negatives at 0.1, 0.5, 0.9: pairs won 1 + (2 + 0.5) of 6.
  EXPECT_DOUBLE_EQ(roc_auc({0.4, 0.9, 0.1, 0.5, 0.9}, {1, 1, 0, 0, 0}), 3.5 / 6);
  EXPECT_DOUBLE_EQ(roc_auc({0.3, 0.4}, {1, 1}), 0.5);
}

}  // namespace
}  // namespace credo
