// Pins MLflow's /invocations protocol: the data-driven bodies of testdata/mlflow_cases.txt (every
// format, column orders, missing inputs, nulls, booleans and each error), then what the cases
// cannot say: the same data in all four formats gives the same rows, errors never echo huge
// inputs, hostile nesting is refused, and predictions read back as exactly the same floats.
#include "credo/serve/mlflow_protocol.h"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstring>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "credo/base/case_file_testing.h"
#include "credo/base/random.h"

namespace credo::serve {
namespace {

using TestJson = nlohmann::json;

const std::vector<std::string> kMlflowDefaultFeatures = {"AMT_CREDIT", "DAYS_BIRTH", "OWN_CAR"};

// A case of mlflow_cases.txt: "@features", "@max_rows", the body, then ">>> error: TEXT" or the
// expected rows.
struct MlflowCase {
  std::vector<std::string> features = kMlflowDefaultFeatures;
  size_t max_rows = 100;
  std::string body;
  std::vector<std::vector<float>> rows;  // expected rows, in the model's input order
  std::string error;                     // expected substring of the status, when non-empty
};

std::vector<float> mlflow_case_values(const std::string& text) {
  std::vector<float> values;
  std::istringstream in(text);
  std::string word;
  while (in >> word) {
    float value = 0;
    if (word == "nan") {
      value = std::numeric_limits<float>::quiet_NaN();
    } else {
      auto parsed = std::from_chars(word.data(), word.data() + word.size(), value);
      EXPECT_TRUE(parsed.ec == std::errc() && parsed.ptr == word.data() + word.size()) << "bad value " << word;
    }
    values.push_back(value);
  }
  return values;
}

MlflowCase mlflow_case(const TestCase& test_case) {
  MlflowCase c;
  if (const std::string* features = test_case.field("features")) {
    std::istringstream names(*features);
    c.features.clear();
    for (std::string name; names >> name;) c.features.push_back(name);
  }
  if (const std::string* max_rows = test_case.field("max_rows")) c.max_rows = std::stoul(*max_rows);
  c.body = test_case.body_text();
  for (const auto& expectation : test_case.expectations) {
    const std::string& text = expectation.head.text;
    if (text.rfind("error: ", 0) == 0) c.error = text.substr(7);
    else c.rows.push_back(mlflow_case_values(text));
    EXPECT_TRUE(expectation.block.empty()) << "line " << expectation.head.line << ": lines under a '>>>'";
  }
  return c;
}

// Exact equality, NaN equal to NaN (a missing value).
bool mlflow_same_value(float a, float b) { return (std::isnan(a) && std::isnan(b)) || a == b; }

std::string mlflow_rows_text(const InputRows& rows, size_t features) {
  std::string out;
  for (size_t r = 0; r < rows.rows; ++r) {
    for (size_t f = 0; f < features; ++f) out += (f ? " " : "") + std::to_string(rows.values[r * features + f]);
    out += "\n";
  }
  return out;
}

// What every error must be: short, and sendable as MLflow's error body.
void expect_presentable_error(const Status& status) {
  EXPECT_FALSE(status.message().empty());
  EXPECT_LE(status.message().size(), 400u) << status.message();
  TestJson answer = TestJson::parse(mlflow_error_json(status.message()));
  EXPECT_EQ(answer["error_code"], "BAD_REQUEST");
}

TEST(MlflowProtocolTest, DataDrivenCases) {
  auto cases = load_case_file("src/credo/serve/testdata/mlflow_cases.txt");
  ASSERT_GE(cases.size(), 80u);
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.where());
    const MlflowCase c = mlflow_case(test_case);
    ASSERT_TRUE(c.error.empty() != c.rows.empty()) << "a case expects rows or an error";
    auto parsed = parse_invocations_body(c.body, c.features, c.max_rows);
    if (!c.error.empty()) {
      ASSERT_FALSE(parsed.ok()) << "expected an error, got rows:\n" << mlflow_rows_text(*parsed, c.features.size());
      EXPECT_NE(parsed.status().to_string().find(c.error), std::string::npos)
          << "status: " << parsed.status().to_string() << "\nwanted: " << c.error;
      expect_presentable_error(parsed.status());
      continue;
    }
    ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
    ASSERT_EQ(parsed->rows, c.rows.size());
    ASSERT_EQ(parsed->values.size(), c.rows.size() * c.features.size());
    for (size_t r = 0; r < c.rows.size(); ++r) {
      ASSERT_EQ(c.rows[r].size(), c.features.size()) << "expected row " << r << " has the wrong width";
      for (size_t f = 0; f < c.features.size(); ++f) {
        EXPECT_TRUE(mlflow_same_value(parsed->values[r * c.features.size() + f], c.rows[r][f]))
            << "row " << r << " " << c.features[f] << ": got " << parsed->values[r * c.features.size() + f]
            << ", expected " << c.rows[r][f];
      }
    }
  }
}

// One table of values (null = missing) sent in every format MLflow accepts.
TEST(MlflowProtocolTest, AllFourFormatsGiveTheSameRows) {
  const std::vector<std::string> features = {"EXT_SOURCE_2", "AMT_ANNUITY", "FLAG_OWN_CAR", "DAYS_EMPLOYED"};
  // The body names its columns in another order and leaves DAYS_EMPLOYED out entirely.
  const std::vector<std::string> columns = {"FLAG_OWN_CAR", "EXT_SOURCE_2", "AMT_ANNUITY"};
  const TestJson table = TestJson::parse(R"([[true, 0.262949, 24700.5],
                                             [false, null, 35698.5],
                                             [null, 0.555912, 6750],
                                             [true, 0.650442, 29686.5]])");
  const std::vector<std::vector<float>> expected = {{0.262949f, 24700.5f, 1, NAN},
                                                    {NAN, 35698.5f, 0, NAN},
                                                    {0.555912f, 6750, NAN, NAN},
                                                    {0.650442f, 29686.5f, 1, NAN}};
  TestJson records = TestJson::array();
  TestJson by_column = TestJson::object();
  for (const auto& row : table) {
    TestJson record = TestJson::object();
    for (size_t c = 0; c < columns.size(); ++c) {
      record[columns[c]] = row[c];
      by_column[columns[c]].push_back(row[c]);
    }
    records.push_back(record);
  }
  TestJson split = {{"columns", columns}, {"data", table}};
  TestJson split_with_index = split;
  split_with_index["index"] = {0, 1, 2, 3};
  auto body_of = [](const char* key, const TestJson& payload) {
    TestJson body = TestJson::object();
    body[key] = payload;
    return body;
  };
  TestJson inputs_with_params = body_of("inputs", by_column);
  inputs_with_params["params"] = {{"anything", 1}};
  std::vector<TestJson> bodies = {body_of("dataframe_split", split),  body_of("dataframe_split", split_with_index),
                                  body_of("dataframe_records", records), body_of("instances", records),
                                  body_of("instances", by_column),      body_of("inputs", records),
                                  body_of("inputs", by_column),         inputs_with_params};
  for (const auto& body : bodies) {
    SCOPED_TRACE(body.dump());
    auto parsed = parse_invocations_body(body.dump(), features, 10);
    ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
    ASSERT_EQ(parsed->rows, expected.size());
    for (size_t r = 0; r < expected.size(); ++r) {
      for (size_t f = 0; f < features.size(); ++f) {
        EXPECT_TRUE(mlflow_same_value(parsed->values[r * features.size() + f], expected[r][f]))
            << "row " << r << " " << features[f];
      }
    }
  }
}

TEST(MlflowProtocolTest, CsvBodiesAreSplitByTheirHeader) {
  const std::vector<std::string> features = {"EXT_SOURCE_2", "AMT_ANNUITY", "FLAG_OWN_CAR", "DAYS_EMPLOYED"};
  // What pandas' to_csv(index=False) writes: columns in another order, one left out, empty = missing.
  auto parsed = parse_invocations_csv("FLAG_OWN_CAR,EXT_SOURCE_2,\"AMT_ANNUITY\"\r\n1,0.262949,24700.5\r\n0,,35698.5\r\n,0.555912,6750\n",
                                      features, 10);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  const std::vector<std::vector<float>> expected = {
      {0.262949f, 24700.5f, 1, NAN}, {NAN, 35698.5f, 0, NAN}, {0.555912f, 6750, NAN, NAN}};
  ASSERT_EQ(parsed->rows, expected.size());
  for (size_t r = 0; r < expected.size(); ++r)
    for (size_t f = 0; f < features.size(); ++f)
      EXPECT_TRUE(mlflow_same_value(parsed->values[r * features.size() + f], expected[r][f])) << "row " << r << " " << features[f];

  struct Case {
    const char* body;
    const char* says;
  };
  for (const Case& c : {Case{"", "empty"}, Case{"EXT_SOURCE_2\n", "no rows"},
                        Case{"EXT_SOURCE_2,AMT_ANNUITY\n0.1\n", "line 2 has 1 field but the header has 2"},
                        Case{"EXT_SOURCE_2\nyoung\n", "got the string \"young\""},
                        Case{"EXT_SOURCE_2\n1e999\n", "line 2, column \"EXT_SOURCE_2\": the number \"1e999\" is beyond"},
                        Case{"EXT_SOURCE_3\n0.5\n", "\"EXT_SOURCE_3\" is not an input"},
                        Case{"EXT_SOURCE_2\n\"0.5\n", "never closes"},
                        Case{"EXT_SOURCE_2\n1\n2\n3\n", "limit of 2 rows"}}) {
    auto refused = parse_invocations_csv(std::string_view(c.body), features, 2);
    ASSERT_FALSE(refused.ok()) << c.body;
    EXPECT_NE(refused.status().message().find(c.says), std::string::npos) << refused.status().message();
  }
  auto binary = parse_invocations_csv(std::string_view("EXT_SOURCE_2\n\0\x1f\x8b", 16), features, 2);
  ASSERT_FALSE(binary.ok());
  EXPECT_NE(binary.status().message().find("NUL byte"), std::string::npos) << binary.status().message();
}

TEST(MlflowProtocolTest, SingleInputModelTakesAPlainListLikeItsColumn) {
  const std::vector<std::string> features = {"EXT_SOURCE_3"};
  std::vector<std::string> bodies = {R"({"inputs": [0.1, null, true]})", R"({"instances": [0.1, null, true]})",
                                     R"({"inputs": {"EXT_SOURCE_3": [0.1, null, true]}})",
                                     R"({"dataframe_split": {"columns": ["EXT_SOURCE_3"], "data": [[0.1], [null], [true]]}})"};
  for (const auto& body : bodies) {
    SCOPED_TRACE(body);
    auto parsed = parse_invocations_body(body, features, 3);
    ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
    ASSERT_EQ(parsed->values.size(), 3u);
    EXPECT_EQ(parsed->values[0], 0.1f);
    EXPECT_TRUE(std::isnan(parsed->values[1]));
    EXPECT_EQ(parsed->values[2], 1.0f);
  }
}

TEST(MlflowProtocolTest, NotJsonIsAParseErrorAndTheRestInvalidArgument) {
  const std::vector<std::string> features = {"A"};
  for (std::string body : {"", "  \n", "{", "{\"inputs\": [1,]}", "nul", "{\"inputs\": [1]} {}", "\xff"}) {
    auto parsed = parse_invocations_body(body, features, 10);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.status().code(), StatusCode::kParseError) << body << ": " << parsed.status().to_string();
  }
  for (std::string body : {"[]", "{}", "{\"inputs\": [\"1\"]}", "{\"x\": 1}", "{\"inputs\": [1], \"inputs2\": 1}"}) {
    auto parsed = parse_invocations_body(body, features, 10);
    ASSERT_FALSE(parsed.ok()) << body;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << body << ": " << parsed.status().to_string();
  }
}

TEST(MlflowProtocolTest, ErrorsNeverEchoHugeInputs) {
  const std::vector<std::string> features = {"AMT_CREDIT"};
  const std::string huge(1 << 20, 'x');
  // Bodies that make the parser quote something huge from them; each quote must be cut and marked.
  std::vector<std::string> bodies = {
      R"({"inputs": {"AMT_CREDIT": [")" + huge + R"("]}})",                           // a string value
      R"({"inputs": {")" + huge + R"(": [1]}})",                                       // an unknown column
      R"({")" + huge + R"(": 1})",                                                     // an unknown key
      R"({"inputs": {"AMT_CREDIT": [")" + huge,                                        // an unterminated string
      R"({"dataframe_records": [{")" + huge + R"(": 1, ")" + huge + R"(": 2}]})",      // a key twice
      R"({"dataframe_split": {"columns": [")" + huge + R"(", ")" + huge + R"("], "data": [[1, 2]]}})",
      R"({"inputs": [1)" + std::string(1 << 20, '0') + R"(e400]})",                  // a number beyond a double
  };
  for (const auto& body : bodies) {
    auto parsed = parse_invocations_body(body, features, 10);
    ASSERT_FALSE(parsed.ok());
    SCOPED_TRACE(parsed.status().to_string());
    EXPECT_LE(parsed.status().message().size(), 300u);
    const std::string& message = parsed.status().message();
    EXPECT_TRUE(message.find("...\"") != std::string::npos || message.find("\"...") != std::string::npos)
        << "the cut value is marked";
    expect_presentable_error(parsed.status());
  }
  // Huge garbage: the parser stops at its first byte.
  auto garbage = parse_invocations_body(huge, features, 10);
  ASSERT_FALSE(garbage.ok());
  EXPECT_LE(garbage.status().message().size(), 300u) << garbage.status().message();
}

TEST(MlflowProtocolTest, CutValuesStayValidUtf8) {
  const std::vector<std::string> features = {"AMT_CREDIT"};
  std::string accented;
  for (int i = 0; i < 100; ++i) accented += "\xC3\xA9";  // é, two bytes each
  for (std::string prefix : {"", "a"}) {
    auto parsed = parse_invocations_body(R"({"inputs": [")" + prefix + accented + R"("]})", features, 10);
    ASSERT_FALSE(parsed.ok());
    // nlohmann's strict dump throws on invalid UTF-8: a cut inside a character would fail here.
    EXPECT_NO_THROW(TestJson(parsed.status().message()).dump()) << parsed.status().message();
    EXPECT_NE(parsed.status().message().find("\xC3\xA9..."), std::string::npos) << parsed.status().message();
  }
}

TEST(MlflowProtocolTest, DeepNestingIsRefusedWithoutCrashing) {
  const std::vector<std::string> features = {"AMT_CREDIT"};
  for (const std::string& body : {std::string(200000, '['), std::string(100000, '[') + std::string(100000, ']'),
                                  R"({"params": )" + std::string(1000, '[') + std::string(1000, ']') + "}"}) {
    auto parsed = parse_invocations_body(body, features, 10);
    ASSERT_FALSE(parsed.ok());
    EXPECT_NE(parsed.status().message().find("more than 64 deep"), std::string::npos) << parsed.status().message();
  }
  // params nested within the bound are fine.
  std::string nested = R"({"inputs": [1], "params": {"p": )" + std::string(60, '[') + std::string(60, ']') + "}}";
  EXPECT_TRUE(parse_invocations_body(nested, features, 10).ok());
}

TEST(MlflowProtocolTest, ManyRowsParseInOrder) {
  const std::vector<std::string> features = {"A", "B"};
  TestJson records = TestJson::array();
  for (int r = 0; r < 20000; ++r) records.push_back({{"B", r}, {"A", -r}});
  auto parsed = parse_invocations_body(TestJson{{"dataframe_records", records}}.dump(), features, 20000);
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  ASSERT_EQ(parsed->rows, 20000u);
  for (size_t r = 0; r < parsed->rows; ++r) {
    ASSERT_EQ(parsed->values[2 * r], -static_cast<float>(r));
    ASSERT_EQ(parsed->values[2 * r + 1], static_cast<float>(r));
  }
  EXPECT_FALSE(parse_invocations_body(TestJson{{"dataframe_records", records}}.dump(), features, 19999).ok());
}

// A 1 MB body of 250,000 empty records: parsing must take time linear in the body (nlohmann's
// parse callbacks, once used here, took minutes on it: each object's end rescanned its array).
TEST(MlflowProtocolTest, ParsingTimeIsLinearInTheBody) {
  const std::vector<std::string> features = {"A"};
  std::string body = R"({"dataframe_records": [{})";
  for (int r = 1; r < 250000; ++r) body += ",{}";
  body += "]}";
  auto start = std::chrono::steady_clock::now();
  auto parsed = parse_invocations_body(body, features, 250000);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ(parsed->rows, 250000u);
  EXPECT_LT(seconds, 10.0);  // ~0.1 s in a release build, ~1 s under sanitizers
}

TEST(MlflowProtocolTest, ErrorBodyHasMlflowsShape) {
  TestJson answer = TestJson::parse(mlflow_error_json("inputs: column \"A\", row 0: \"quoted\"\n"));
  EXPECT_EQ(answer, (TestJson{{"error_code", "BAD_REQUEST"}, {"message", "inputs: column \"A\", row 0: \"quoted\"\n"}}));
  // A message that is not UTF-8 still gives valid JSON.
  EXPECT_NO_THROW(TestJson::parse(mlflow_error_json("bad \xff\xfe byte")));
}

TEST(MlflowProtocolTest, PredictionsAreWrittenInShortestText) {
  std::vector<float> probabilities = {0.5f, 0.25f, 0.1f, 0.0f, 1.0f, 1e-8f, NAN};
  EXPECT_EQ(predictions_json(probabilities), R"({"predictions": [0.5, 0.25, 0.1, 0, 1, 1e-08, null]})");
  EXPECT_EQ(predictions_json({}), R"({"predictions": []})");
}

// Every text item of the answer reads back (as a float, and as JSON) as exactly the float written.
TEST(MlflowProtocolTest, PredictionsRoundTripFloatsExactly) {
  std::vector<float> probabilities = {0.0f, -0.0f, 1.0f, 0.1f, 1.0f / 3, std::nextafter(1.0f, 0.0f),
                                      std::numeric_limits<float>::denorm_min(), std::numeric_limits<float>::min(),
                                      std::numeric_limits<float>::max(), -std::numeric_limits<float>::max(),
                                      0.99999994f, 1e-45f};
  Rng rng(20240611);
  for (int i = 0; i < 20000; ++i) probabilities.push_back(static_cast<float>(rng.next_u64() >> 40) / (1 << 24));
  while (probabilities.size() < 40000) {
    float any = std::bit_cast<float>(static_cast<uint32_t>(rng.next_u64()));
    if (std::isfinite(any)) probabilities.push_back(any);
  }
  std::string answer = predictions_json(probabilities);
  TestJson parsed = TestJson::parse(answer);
  ASSERT_EQ(parsed["predictions"].size(), probabilities.size());
  std::string_view items(answer);
  items.remove_prefix(std::strlen("{\"predictions\": ["));
  for (size_t i = 0; i < probabilities.size(); ++i) {
    float back = 0;
    auto read = std::from_chars(items.data(), items.data() + items.size(), back);
    ASSERT_EQ(read.ec, std::errc()) << i;
    ASSERT_EQ(std::bit_cast<uint32_t>(back), std::bit_cast<uint32_t>(probabilities[i]))
        << i << ": " << std::string(items.data(), read.ptr) << " read back as " << back;
    EXPECT_EQ(static_cast<float>(parsed["predictions"][i].get<double>()), probabilities[i]) << i;
    items.remove_prefix(read.ptr - items.data());
    items.remove_prefix(items.rfind(", ", 0) == 0 ? 2 : 0);
  }
  EXPECT_EQ(items, "]}");
}

}  // namespace
}  // namespace credo::serve
