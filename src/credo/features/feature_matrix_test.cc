// Pins down the feature matrix: its defaults, the binary file round trip (bit for bit), the
// errors on foreign, truncated and corrupt files, the CSV export text and the id index.
#include "credo/features/feature_matrix.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

#include "credo/base/random.h"
#include "credo/base/temp_dir.h"

namespace credo {
namespace {

namespace fs = std::filesystem;
constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();

class FeatureMatrixFileTest : public ::testing::Test {
 protected:
  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  static std::string read_bytes(const std::string& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static void write_bytes(const std::string& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << bytes;
  }

  TempDir temp_{"feature_matrix"};
  fs::path dir_ = temp_.path();
};

// Features F0..F<n-1> (names built with += : GCC 12 warns falsely on "F" + std::to_string).
std::vector<FeatureInfo> numbered_features(size_t n) {
  std::vector<FeatureInfo> infos(n);
  for (size_t f = 0; f < n; ++f) {
    infos[f].name = "F";
    infos[f].name += std::to_string(f);
    infos[f].table = "bureau";
  }
  return infos;
}

std::vector<FeatureInfo> three_features() {
  return {{"AMT_CREDIT", "application", "", "", "AMT_CREDIT", "Credit amount of the loan"},
          {"BURO_ACTIVE_AMT_CREDIT_SUM_DEBT_MEAN", "bureau", "ACTIVE", "mean", "AMT_CREDIT_SUM_DEBT",
           "Mean current debt on active Credit Bureau credits"},
          {"PREV_NAME_CONTRACT_STATUS_SHARE_REFUSED", "previous_application", "", "share:Refused",
           "NAME_CONTRACT_STATUS", "Share of \"refused\" applications, ünïcode, commas, \n newline"}};
}

// A 4 x 3 matrix with awkward values: NaN, -0, infinities, denormals, extremes.
FeatureMatrix small_matrix() {
  FeatureMatrix m(three_features(), 4);
  m.set_client(0, 100002, 1, false);
  m.set_client(1, 100003, 0, false);
  m.set_client(2, 100001, -1, true);
  m.set_client(3, 456255, 0, false);
  float values[4][3] = {{406597.5f, 0.1f, 0.0f},
                        {kNaN, -0.0f, 1.0f},
                        {std::numeric_limits<float>::infinity(), std::numeric_limits<float>::denorm_min(), kNaN},
                        {-std::numeric_limits<float>::max(), 1e-7f, 3.0f}};
  for (size_t r = 0; r < 4; ++r) std::memcpy(m.row(r), values[r], sizeof values[r]);
  m.metadata()["spec"] = {{"version", 1}, {"tables", {"application", "bureau"}}};
  return m;
}

void expect_bitwise_equal(const FeatureMatrix& a, const FeatureMatrix& b) {
  ASSERT_EQ(a.num_rows(), b.num_rows());
  ASSERT_EQ(a.num_features(), b.num_features());
  EXPECT_EQ(a.features(), b.features());
  EXPECT_EQ(a.metadata(), b.metadata());
  for (size_t r = 0; r < a.num_rows(); ++r) {
    EXPECT_EQ(a.id(r), b.id(r)) << "row " << r;
    EXPECT_EQ(a.target(r), b.target(r)) << "row " << r;
    EXPECT_EQ(a.is_test(r), b.is_test(r)) << "row " << r;
  }
  if (a.num_rows() * a.num_features() > 0) {
    EXPECT_EQ(std::memcmp(a.values().data(), b.values().data(), a.values().size_bytes()), 0);
  }
}

TEST(FeatureMatrixTest, NewMatrixIsAllMissing) {
  FeatureMatrix m(three_features(), 2);
  EXPECT_EQ(m.num_rows(), 2u);
  EXPECT_EQ(m.num_features(), 3u);
  for (size_t r = 0; r < 2; ++r) {
    EXPECT_EQ(m.id(r), 0);
    EXPECT_EQ(m.target(r), -1);
    EXPECT_FALSE(m.is_test(r));
    for (size_t f = 0; f < 3; ++f) EXPECT_TRUE(std::isnan(m.value(r, f)));
  }
  EXPECT_EQ(m.feature_index("BURO_ACTIVE_AMT_CREDIT_SUM_DEBT_MEAN"), 1);
  EXPECT_EQ(m.feature_index("AMT_CREDIT"), 0);
  EXPECT_EQ(m.feature_index("NOPE"), -1);
  m.row(1)[2] = 7.5f;
  EXPECT_EQ(m.value(1, 2), 7.5f);
  EXPECT_EQ(m.row(1), m.row(0) + 3);  // row-major, contiguous
}

TEST(FeatureMatrixTest, DefaultMatrixIsEmpty) {
  FeatureMatrix m;
  EXPECT_EQ(m.num_rows(), 0u);
  EXPECT_EQ(m.num_features(), 0u);
  EXPECT_EQ(m.find_row(1), std::nullopt);
  EXPECT_TRUE(m.metadata().is_object());
}

TEST(FeatureMatrixTest, CopiesAreIndependentAndMovesKeepTheData) {
  FeatureMatrix a = small_matrix();
  FeatureMatrix b = a;
  b.row(0)[0] = 1.0f;
  b.set_client(0, 7, 0, true);
  EXPECT_EQ(a.value(0, 0), 406597.5f);
  EXPECT_EQ(a.id(0), 100002);
  EXPECT_EQ(a.find_row(100002), 0u);
  EXPECT_EQ(b.find_row(7), 0u);
  EXPECT_EQ(b.find_row(100002), std::nullopt);

  FeatureMatrix c = std::move(b);
  EXPECT_EQ(c.value(0, 0), 1.0f);
  EXPECT_EQ(c.feature_index("AMT_CREDIT"), 0);
  EXPECT_EQ(b.num_rows(), 0u);  // NOLINT(bugprone-use-after-move): a moved-from matrix is empty
  b = std::move(c);
  EXPECT_EQ(b.id(0), 7);
  EXPECT_EQ(b.find_row(7), 0u);
}

TEST(FeatureMatrixTest, FindRowWithUnsortedDenseIds) {
  FeatureMatrix m(three_features(), 5);
  int64_t ids[5] = {100010, 100002, 100007, 100003, 100002};  // the duplicate is found at its first row
  for (size_t r = 0; r < 5; ++r) m.set_client(r, ids[r], 0, false);
  EXPECT_EQ(m.find_row(100010), 0u);
  EXPECT_EQ(m.find_row(100002), 1u);
  EXPECT_EQ(m.find_row(100007), 2u);
  EXPECT_EQ(m.find_row(100003), 3u);
  EXPECT_EQ(m.find_row(100004), std::nullopt);
  EXPECT_EQ(m.find_row(100001), std::nullopt);
  EXPECT_EQ(m.find_row(100011), std::nullopt);
  EXPECT_EQ(m.find_row(-100002), std::nullopt);
  // set_client after a lookup is seen by the next lookup.
  m.set_client(2, 555, 0, false);
  EXPECT_EQ(m.find_row(555), 2u);
  EXPECT_EQ(m.find_row(100007), std::nullopt);
}

TEST(FeatureMatrixTest, FirstLookupsFromManyThreadsAgree) {
  FeatureMatrix m(three_features(), 10'000);
  for (size_t r = 0; r < m.num_rows(); ++r) m.set_client(r, 456'255 - static_cast<int64_t>(r), 0, false);
  std::vector<std::thread> threads;
  std::atomic<size_t> wrong{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (size_t r = 0; r < m.num_rows(); ++r) wrong += m.find_row(m.id(r)) != r;
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0u);
}

TEST(FeatureMatrixTest, FindRowWithSparseIds) {
  FeatureMatrix m(three_features(), 4);
  int64_t ids[4] = {std::numeric_limits<int64_t>::max(), -5, 1'000'000'000'000, std::numeric_limits<int64_t>::min()};
  for (size_t r = 0; r < 4; ++r) m.set_client(r, ids[r], 0, false);
  for (size_t r = 0; r < 4; ++r) EXPECT_EQ(m.find_row(ids[r]), r);
  EXPECT_EQ(m.find_row(0), std::nullopt);
  EXPECT_EQ(m.find_row(-4), std::nullopt);
}

TEST_F(FeatureMatrixFileTest, RoundTripIsBitwiseEqual) {
  FeatureMatrix m = small_matrix();
  ASSERT_TRUE(write_feature_matrix(m, path("m.cfm")).ok());
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);  // no temporary left
  auto loaded = read_feature_matrix(path("m.cfm"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_TRUE(loaded->is_mapped());
  expect_bitwise_equal(m, *loaded);
  EXPECT_TRUE(std::isnan(loaded->value(1, 0)));
  EXPECT_TRUE(std::signbit(loaded->value(1, 1)));
  EXPECT_EQ(loaded->feature_index("PREV_NAME_CONTRACT_STATUS_SHARE_REFUSED"), 2);
  EXPECT_EQ(loaded->find_row(456255), 3u);
  EXPECT_EQ(loaded->metadata()["spec"]["tables"][1], "bureau");
  // Sections start on 64-byte boundaries of the mapping.
  EXPECT_EQ(reinterpret_cast<uintptr_t>(loaded->values().data()) % 64, 0u);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(loaded->ids().data()) % 64, 0u);
}

TEST_F(FeatureMatrixFileTest, WritingToALoadedMatrixLeavesTheFileAlone) {
  ASSERT_TRUE(write_feature_matrix(small_matrix(), path("m.cfm")).ok());
  std::string before = read_bytes(path("m.cfm"));
  auto loaded = read_feature_matrix(path("m.cfm"));
  ASSERT_TRUE(loaded.ok());
  loaded->row(0)[0] = 42.0f;
  loaded->set_client(3, 9, 1, true);
  EXPECT_EQ(loaded->value(0, 0), 42.0f);
  EXPECT_EQ(loaded->find_row(9), 3u);
  EXPECT_EQ(read_bytes(path("m.cfm")), before);
  // A copy of a mapped matrix owns its values.
  FeatureMatrix copy = *loaded;
  EXPECT_FALSE(copy.is_mapped());
  expect_bitwise_equal(*loaded, copy);
  // Rewriting the file while it is mapped replaces it; the mapping keeps the old contents.
  FeatureMatrix other(three_features(), 1);
  ASSERT_TRUE(write_feature_matrix(other, path("m.cfm")).ok());
  EXPECT_EQ(loaded->value(0, 0), 42.0f);
  EXPECT_EQ(loaded->num_rows(), 4u);
}

TEST_F(FeatureMatrixFileTest, EmptyMatricesRoundTrip) {
  for (size_t features : {0, 3}) {
    std::vector<FeatureInfo> infos = features ? three_features() : std::vector<FeatureInfo>{};
    FeatureMatrix m(infos, 0);
    ASSERT_TRUE(write_feature_matrix(m, path("e.cfm")).ok());
    auto loaded = read_feature_matrix(path("e.cfm"));
    ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
    expect_bitwise_equal(m, *loaded);
    EXPECT_EQ(loaded->find_row(0), std::nullopt);
  }
  ASSERT_TRUE(write_feature_matrix(FeatureMatrix(), path("d.cfm")).ok());
  auto loaded = read_feature_matrix(path("d.cfm"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  EXPECT_EQ(loaded->num_rows(), 0u);
}

TEST_F(FeatureMatrixFileTest, LargeMatrixRoundTrip) {
  const size_t rows = 50'000, features = 300;
  std::vector<FeatureInfo> infos = numbered_features(features);
  FeatureMatrix m(infos, rows);
  Rng rng(7);
  for (size_t r = 0; r < rows; ++r) {
    m.set_client(r, 100002 + static_cast<int64_t>((r * 7919) % rows), static_cast<int>(rng.below(3)) - 1,
                 rng.bernoulli(0.1));
    float* values = m.row(r);
    for (size_t f = 0; f < features; ++f)
      values[f] = rng.bernoulli(0.2) ? kNaN : static_cast<float>(rng.normal(0, 1e4));
  }
  ASSERT_TRUE(write_feature_matrix(m, path("big.cfm")).ok());
  auto loaded = read_feature_matrix(path("big.cfm"));
  ASSERT_TRUE(loaded.ok()) << loaded.status().to_string();
  expect_bitwise_equal(m, *loaded);
  for (size_t r = 0; r < rows; r += 997) EXPECT_EQ(loaded->find_row(m.id(r)), r);
}

TEST_F(FeatureMatrixFileTest, MissingFileIsNotFound) {
  auto loaded = read_feature_matrix(path("absent.cfm"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().code(), StatusCode::kNotFound);
  EXPECT_NE(loaded.status().message().find(path("absent.cfm")), std::string::npos);
}

TEST_F(FeatureMatrixFileTest, ForeignFilesAreNotFeatureFiles) {
  for (const std::string& bytes : {std::string("SK_ID_CURR,TARGET\n100002,1\n"), std::string(), std::string("XY"),
                                   std::string(1000, '\0')}) {
    write_bytes(path("foreign.cfm"), bytes);
    auto loaded = read_feature_matrix(path("foreign.cfm"));
    ASSERT_FALSE(loaded.ok());
    EXPECT_EQ(loaded.status().code(), StatusCode::kParseError);
    EXPECT_EQ(loaded.status().message(), path("foreign.cfm") + ": not a credo feature file");
  }
  auto dir = read_feature_matrix(dir_.string());
  EXPECT_FALSE(dir.ok());
}

TEST_F(FeatureMatrixFileTest, TruncatedFilesSayTheyAreTruncated) {
  ASSERT_TRUE(write_feature_matrix(small_matrix(), path("m.cfm")).ok());
  std::string bytes = read_bytes(path("m.cfm"));
  for (size_t keep : {size_t{5}, size_t{20}, size_t{40}, bytes.size() / 2, bytes.size() - 1}) {
    write_bytes(path("cut.cfm"), bytes.substr(0, keep));
    auto loaded = read_feature_matrix(path("cut.cfm"));
    ASSERT_FALSE(loaded.ok()) << keep;
    EXPECT_EQ(loaded.status().code(), StatusCode::kParseError);
    EXPECT_EQ(loaded.status().message().rfind(path("cut.cfm") + ": truncated feature file", 0), 0u)
        << loaded.status().message();
  }
  write_bytes(path("long.cfm"), bytes + "x");
  auto loaded = read_feature_matrix(path("long.cfm"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.status().message().find("its header says"), std::string::npos);
}

TEST_F(FeatureMatrixFileTest, OtherVersionIsRefused) {
  ASSERT_TRUE(write_feature_matrix(small_matrix(), path("m.cfm")).ok());
  std::string bytes = read_bytes(path("m.cfm"));
  bytes[8] = 2;
  write_bytes(path("v2.cfm"), bytes);
  auto loaded = read_feature_matrix(path("v2.cfm"));
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.status().message(),
            path("v2.cfm") + ": feature file format version 2, this credo reads version 1");
}

TEST_F(FeatureMatrixFileTest, CorruptHeadersAndSectionsAreParseErrors) {
  ASSERT_TRUE(write_feature_matrix(small_matrix(), path("m.cfm")).ok());
  const std::string bytes = read_bytes(path("m.cfm"));
  auto expect_error = [&](std::string corrupted, const std::string& expected_part) {
    write_bytes(path("bad.cfm"), corrupted);
    auto loaded = read_feature_matrix(path("bad.cfm"));
    ASSERT_FALSE(loaded.ok()) << expected_part;
    EXPECT_EQ(loaded.status().code(), StatusCode::kParseError);
    EXPECT_EQ(loaded.status().message().rfind(path("bad.cfm") + ": ", 0), 0u);
    EXPECT_NE(loaded.status().message().find(expected_part), std::string::npos) << loaded.status().message();
  };
  std::string broken_json = bytes;
  broken_json[32] = '[';
  expect_error(broken_json, "corrupt feature file header");

  std::string other_rows = bytes;
  size_t at = other_rows.find("\"rows\":4");
  ASSERT_NE(at, std::string::npos);
  other_rows[at + 7] = '5';
  expect_error(other_rows, "section 'ids' holds 32 bytes, 5 x 3 needs 40");

  std::string moved_section = bytes;
  at = moved_section.find("\"offset\":");
  ASSERT_NE(at, std::string::npos);
  moved_section[at + 9] = '9';  // first digit of the first offset: outside the file or misaligned
  expect_error(moved_section, "lies outside the file or is misaligned");

  std::string bad_target = bytes;
  at = bytes.find("\"targets\":{\"bytes\":4,\"offset\":");
  ASSERT_NE(at, std::string::npos) << bytes.substr(32, 2000);
  size_t targets_offset = std::stoul(bytes.substr(at + 30));
  bad_target[targets_offset + 2] = 7;
  expect_error(bad_target, "row 2: target 7");

  std::string wrong_order = bytes;
  wrong_order[12] = 0x0A;
  wrong_order[15] = 0x0D;
  expect_error(wrong_order, "another byte order");
}

TEST_F(FeatureMatrixFileTest, WriteToMissingFolderIsIoError) {
  Status s = write_feature_matrix(small_matrix(), path("no/such/dir/m.cfm"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_NE(s.message().find(path("no/such/dir/m.cfm")), std::string::npos);
  EXPECT_FALSE(write_feature_matrix_csv(small_matrix(), path("no/such/dir/m.csv")).ok());
}

TEST_F(FeatureMatrixFileTest, CsvExport) {
  ASSERT_TRUE(write_feature_matrix_csv(small_matrix(), path("m.csv")).ok());
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_), fs::directory_iterator()), 1);  // no temporary left
  EXPECT_EQ(read_bytes(path("m.csv")),
            "SK_ID_CURR,TARGET,SET,AMT_CREDIT,BURO_ACTIVE_AMT_CREDIT_SUM_DEBT_MEAN,"
            "PREV_NAME_CONTRACT_STATUS_SHARE_REFUSED\n"
            "100002,1,train,406597.5,0.1,0.0\n"
            "100003,0,train,,-0.0,1.0\n"
            "100001,,test,inf,1e-45,\n"
            "456255,0,train,-3.4028235e+38,1e-07,3.0\n");
}

// The reference text of a value, by the slow general route: float's shortest round-trip digits,
// in plain decimals for 1e-5 <= |v| < 1e16 (as pandas writes), ".0" on whole numbers.
std::string reference_text(float v) {
  if (std::isnan(v)) return "";
  char buf[64];
  float a = std::fabs(v);
  bool plain = std::isfinite(v) && (a == 0 || (a >= 1e-5f && a < 1e16f));
  std::string text(buf, plain ? std::to_chars(buf, buf + sizeof buf, v, std::chars_format::fixed).ptr
                              : std::to_chars(buf, buf + sizeof buf, v).ptr);
  if (std::isfinite(v) && text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

TEST_F(FeatureMatrixFileTest, CsvNumbersAreShortestFloatText) {
  // Every whole number of the integer fast path and its edges, then awkward non-integers.
  std::vector<float> values;
  for (int i = -100'001; i <= 100'001; ++i) values.push_back(static_cast<float>(i));
  for (float v : {-0.0f, 1e5f, 1e6f, 123456.0f, 1e10f, 16777217.0f, 0.1f, 1.0f / 3, -2.5e-8f, 3.4028235e38f,
                  std::numeric_limits<float>::infinity(), -std::numeric_limits<float>::infinity(), kNaN})
    values.push_back(v);
  const size_t features = 100;
  values.resize((values.size() + features - 1) / features * features, kNaN);
  FeatureMatrix m(numbered_features(features), values.size() / features);
  std::memcpy(m.row(0), values.data(), values.size() * sizeof(float));
  ASSERT_TRUE(write_feature_matrix_csv(m, path("n.csv")).ok());
  std::string expected = "SK_ID_CURR,TARGET,SET";
  for (const auto& f : m.features()) {
    expected += ',';
    expected += f.name;
  }
  expected += "\n";
  for (size_t r = 0; r < m.num_rows(); ++r) {
    expected += "0,,train";
    for (size_t f = 0; f < features; ++f) {
      expected += ',';
      expected += reference_text(m.value(r, f));
    }
    expected += "\n";
  }
  EXPECT_TRUE(read_bytes(path("n.csv")) == expected);  // (not EXPECT_EQ: a diff of 2 MB is unreadable)
  EXPECT_EQ(reference_text(1e5f), "100000.0");  // no exponent form below 1e16
  EXPECT_EQ(reference_text(1e20f), "1e+20");
  EXPECT_EQ(reference_text(99999.0f), "99999.0");
}

TEST_F(FeatureMatrixFileTest, CsvExportIsTheSameWhateverTheThreadCount) {
  std::vector<FeatureInfo> infos = numbered_features(40);
  FeatureMatrix m(infos, 8000);  // several blocks of rows
  Rng rng(3);
  for (size_t r = 0; r < m.num_rows(); ++r) {
    m.set_client(r, static_cast<int64_t>(r), r % 2, r % 5 == 0);
    for (size_t f = 0; f < infos.size(); ++f)
      if (!rng.bernoulli(0.3)) m.row(r)[f] = static_cast<float>(rng.uniform(-100, 100));
  }
  ASSERT_TRUE(write_feature_matrix_csv(m, path("one.csv"), 1).ok());
  ASSERT_TRUE(write_feature_matrix_csv(m, path("four.csv"), 4).ok());
  std::string one = read_bytes(path("one.csv"));
  EXPECT_EQ(one, read_bytes(path("four.csv")));
  EXPECT_EQ(static_cast<size_t>(std::count(one.begin(), one.end(), '\n')), m.num_rows() + 1);
  // Every value reads back to the same float.
  std::istringstream lines(one);
  std::string line;
  std::getline(lines, line);
  for (size_t r = 0; r < 50; ++r) {
    std::getline(lines, line);
    std::vector<std::string> fields;
    std::stringstream ss(line);
    for (std::string field; std::getline(ss, field, ',');) fields.push_back(field);
    if (line.back() == ',') fields.emplace_back();
    ASSERT_EQ(fields.size(), 43u) << line;
    for (size_t f = 0; f < infos.size(); ++f) {
      float v = m.value(r, f);
      if (std::isnan(v)) EXPECT_EQ(fields[3 + f], "");
      else EXPECT_EQ(std::stof(fields[3 + f]), v) << fields[3 + f];
    }
  }
}

}  // namespace
}  // namespace credo
