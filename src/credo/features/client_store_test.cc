// ClientStore over a real feature file: lookups by id (unsorted ids), the not-found message,
// and the errors of read_feature_matrix passed through.
#include "credo/features/client_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "credo/base/temp_dir.h"

namespace credo {
namespace {

namespace fs = std::filesystem;

class ClientStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (dir_ / "features.cfm").string();
    FeatureMatrix m({{"A", "application", "", "", "A", ""}, {"B", "bureau", "", "max", "B", ""}}, 3);
    int64_t ids[3] = {456255, 100002, 200000};  // unsorted
    for (size_t r = 0; r < 3; ++r) {
      m.set_client(r, ids[r], r == 2 ? -1 : 0, r == 2);
      m.row(r)[0] = static_cast<float>(r);
      m.row(r)[1] = static_cast<float>(10 * r) + 0.5f;
    }
    ASSERT_TRUE(write_feature_matrix(m, path_).ok());
  }

  TempDir temp_{"client_store"};
  fs::path dir_ = temp_.path();
  std::string path_;
};

TEST_F(ClientStoreTest, FindsClientsByIdInAnyOrder) {
  auto store = ClientStore::open(path_);
  ASSERT_TRUE(store.ok()) << store.status().to_string();
  EXPECT_EQ(store->num_clients(), 3u);
  EXPECT_EQ(store->find(100002), 1u);
  EXPECT_EQ(store->find(456255), 0u);
  EXPECT_EQ(store->find(200000), 2u);
  EXPECT_EQ(store->find(100003), std::nullopt);
  auto features = store->features_of(200000);
  ASSERT_TRUE(features.ok());
  ASSERT_EQ(features->size(), 2u);
  EXPECT_EQ((*features)[0], 2.0f);
  EXPECT_EQ((*features)[1], 20.5f);
  EXPECT_TRUE(store->matrix().is_test(*store->find(200000)));
  EXPECT_EQ(store->matrix().feature_index("B"), 1);
}

TEST_F(ClientStoreTest, UnknownClientIsNotFound) {
  auto store = ClientStore::open(path_);
  ASSERT_TRUE(store.ok());
  auto features = store->features_of(123);
  ASSERT_FALSE(features.ok());
  EXPECT_EQ(features.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(features.status().message(), "client 123 is not in " + path_);
}

TEST_F(ClientStoreTest, StoreSurvivesAMove) {
  auto store = ClientStore::open(path_);
  ASSERT_TRUE(store.ok());
  ClientStore moved = std::move(store).value();
  EXPECT_EQ(moved.find(100002), 1u);
  EXPECT_EQ((*moved.features_of(456255))[1], 0.5f);
}

TEST_F(ClientStoreTest, OpenErrorsNameThePath) {
  auto missing = ClientStore::open((dir_ / "absent.cfm").string());
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().code(), StatusCode::kNotFound);
  EXPECT_NE(missing.status().message().find("absent.cfm"), std::string::npos);
}

}  // namespace
}  // namespace credo
