// Pins where a feature file says its raw data is: recorded absolute, kept through a write and a
// read, and absent (not an error) in files written before it was recorded.
#include "credo/features/source_data.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "credo/base/temp_dir.h"

namespace credo {
namespace {

namespace fs = std::filesystem;

TEST(SourceDataTest, RecordedAbsoluteAndReadBackFromTheFile) {
  FeatureMatrix m({FeatureInfo{"X", "application", "", "", "X", "x"}}, 1);
  EXPECT_FALSE(source_data_of(m).has_value());
  record_source_data(m, "some/../data_dir");
  ASSERT_TRUE(source_data_of(m).has_value());
  EXPECT_EQ(*source_data_of(m), (fs::current_path() / "data_dir").string());

  TempDir dir("source_data");
  fs::path file = dir / "features.credo";
  ASSERT_TRUE(write_feature_matrix(m, file.string()).ok());
  auto loaded = read_feature_matrix(file.string());
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(source_data_of(*loaded), source_data_of(m));
}

TEST(SourceDataTest, AbsentOrNotTextIsNone) {
  FeatureMatrix m({FeatureInfo{"X", "application", "", "", "X", "x"}}, 1);
  m.metadata()[kSourceDataKey] = 42;
  EXPECT_FALSE(source_data_of(m).has_value());
  m.metadata()[kSourceDataKey] = "";
  EXPECT_FALSE(source_data_of(m).has_value());
}

}  // namespace
}  // namespace credo
