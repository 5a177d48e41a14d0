// Pins the CSV reader: the data-driven dialect and error cases of testdata/csv_cases.txt,
// schema typing, key checks, chunking on several threads, zip archives and the writer round trip.
#include "credo/data/csv_reader.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "credo/base/case_file_testing.h"
#include "credo/base/random.h"
#include "credo/base/temp_dir.h"
#include "credo/data/csv_writer.h"
#include "credo/data/homecredit.h"
#include "credo/data/homecredit_loader.h"

namespace credo {
namespace {

namespace fs = std::filesystem;

// Renders a table as "name:type" header + the writer's rows: what the cases file expects.
std::string dump(const Table& table) {
  std::string out;
  for (size_t c = 0; c < table.num_columns(); ++c) {
    if (c) out += ",";
    out += table.column(c).name() + ":" + column_type_name(table.column(c).type());
  }
  out += "\n";
  for (size_t r = 0; r < table.num_rows(); ++r) {
    for (size_t c = 0; c < table.num_columns(); ++c) {
      if (c) out += ",";
      append_csv_value(out, table.column(c), r);
    }
    out += "\n";
  }
  return out;
}

// The case's CSV input: its body lines, each ending in a newline, with <CR> for a carriage
// return, <xHH> for the byte HH and a last line "<no newline>" removing the final newline.
std::string csv_case_input(const TestCase& c) {
  std::string input;
  for (const auto& line : c.body) {
    if (line.text == "<no newline>") {
      if (!input.empty()) input.pop_back();
      continue;
    }
    std::string text = line.text;
    for (size_t cr; (cr = text.find("<CR>")) != std::string::npos;) text.replace(cr, 4, "\r");
    for (size_t x; (x = text.find("<x")) != std::string::npos && x + 5 <= text.size() && text[x + 4] == '>';)
      text.replace(x, 5, 1, static_cast<char>(std::stoi(text.substr(x + 2, 2), nullptr, 16)));
    input += text + "\n";
  }
  return input;
}

TEST(CsvReaderTest, DataDrivenCases) {
  auto cases = load_case_file("src/credo/data/testdata/csv_cases.txt", {.verbatim_body = true});
  ASSERT_GE(cases.size(), 15u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.where());
    ASSERT_EQ(c.expectations.size(), 1u) << "one '>>>' (a table) or '>>> error' (a message) per case";
    const CaseExpectation& expected = c.expectations[0];
    const bool expect_error = expected.head.text == "error";
    std::string expected_text;
    for (const auto& line : expected.block) expected_text += line.text + "\n";
    std::string input = csv_case_input(c);
    // Every case must give the same answer whether read as one chunk or many tiny ones.
    for (size_t chunk : {size_t(8) << 20, size_t(16)}) {
      CsvReadOptions options;
      options.chunk_bytes = chunk;
      options.threads = 2;
      auto table = read_csv_string(input, "t.csv", options);
      if (expect_error) {
        ASSERT_FALSE(table.ok()) << "expected an error";
        std::string want = expected_text.substr(0, expected_text.size() - 1);
        EXPECT_NE(table.status().message().find(want), std::string::npos)
            << "message: " << table.status().message() << "\nwanted: " << want;
      } else {
        ASSERT_TRUE(table.ok()) << table.status().to_string();
        EXPECT_EQ(dump(*table), expected_text);
      }
    }
  }
}

TEST(CsvReaderTest, ValuesThatAreNoNumbersAreNamedWithBinaryBytesEscaped) {
  Schema schema{{{"ID", ColumnType::kInt64}, {"AMT", ColumnType::kDouble}}};
  CsvReadOptions options;
  options.schema = &schema;
  auto t = read_csv_string(std::string("ID,AMT\n1,2.5\n2,1\x01\xff\n", 19), "x.csv", options);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "x.csv:3: column 'AMT': '1\\x01\\xff' is not a number (expected a decimal number)");
  // A schema's whole-number column refuses infinity as its decimal columns do.
  t = read_csv_string("ID,AMT\n1,2.5\ninf,3\n", "x.csv", options);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("x.csv:3: column 'ID': 'inf' is not a finite number"), std::string::npos)
      << t.status().message();
}

TEST(CsvReaderTest, SchemaGivesTypesAndMissingColumnsAreNamed) {
  Schema schema{{{"SK_ID_CURR", ColumnType::kInt64}, {"CODE", ColumnType::kCategorical}, {"AMT", ColumnType::kDouble}}};
  CsvReadOptions options;
  options.schema = &schema;
  auto t = read_csv_string("SK_ID_CURR,AMT,CODE,EXTRA\n100002,5,1,7\n", "x.csv", options);
  ASSERT_TRUE(t.ok()) << t.status().to_string();
  EXPECT_EQ((*t->get("CODE"))->type(), ColumnType::kCategorical);  // digits, but the schema says text
  EXPECT_EQ((*t->get("CODE"))->category(0), "1");
  EXPECT_EQ((*t->get("AMT"))->type(), ColumnType::kDouble);
  EXPECT_EQ((*t->get("EXTRA"))->type(), ColumnType::kInt64);  // not in the schema: inferred

  options.reject_unknown_columns = true;
  auto unknown = read_csv_string("SK_ID_CURR,AMT,CODE,EXTRA,MORE\n100002,5,1,7,8\n", "x.csv", options);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "x.csv:1: unexpected column(s) EXTRA, MORE (not in the expected header)");
  options.reject_unknown_columns = false;

  auto missing = read_csv_string("SK_ID_CURR,AMT\n1,2\n", "x.csv", options);
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "x.csv:1: missing required column(s): CODE");
}

TEST(CsvReaderTest, NonNumericValueInNumericColumnNamesLineColumnAndValue) {
  Schema schema{{{"A", ColumnType::kInt64}, {"B", ColumnType::kDouble}}};
  CsvReadOptions options;
  options.schema = &schema;
  auto t = read_csv_string("A,B\n1,2\n3,abc\n", "x.csv", options);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kParseError);
  EXPECT_EQ(t.status().message(), "x.csv:3: column 'B': 'abc' is not a number (expected a decimal number)");
  auto u = read_csv_string("A,B\n1x,2\n", "x.csv", options);
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().message(), "x.csv:2: column 'A': '1x' is not a number (expected an integer)");
}

TEST(CsvReaderTest, InferredNumberColumnMeetingTextLaterIsAnError) {
  CsvReadOptions options;
  options.chunk_bytes = 16;
  options.infer_bytes = 16;  // types are inferred from the first bytes only
  std::string text = "a,b\n1,2\n3,4\n5,6\n7,8\n9,x\n";
  auto t = read_csv_string(text, "x.csv", options);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("x.csv:6: column 'b': 'x' is not a number"), std::string::npos)
      << t.status().message();
}

TEST(CsvReaderTest, DuplicateKeyNamesValueAndBothLines) {
  CsvReadOptions options;
  options.unique_key = "SK_ID_CURR";
  auto t = read_csv_string("SK_ID_CURR,X\n5,a\n6,b\n5,c\n", "app.csv", options);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "app.csv: duplicate SK_ID_CURR 5 (line 2 and line 4); SK_ID_CURR must be unique");
}

// Builds a random CSV with every hard case (quotes, embedded newlines, missing values).
std::string random_csv(size_t rows, uint64_t seed) {
  Rng rng(seed);
  std::string s = "id,amount,level,note\n";
  const char* levels[] = {"Cash loans", "Revolving loans", "XNA", "Spouse, partner"};
  for (size_t r = 0; r < rows; ++r) {
    s += std::to_string(r) + ",";
    if (!rng.bernoulli(0.1)) s += std::to_string(rng.uniform(-1e5, 1e5));
    s += ",";
    const char* level = levels[rng.below(4)];
    s += std::string_view(level).find(',') != std::string_view::npos ? "\"" + std::string(level) + "\"" : level;
    s += ",";
    switch (rng.below(4)) {
      case 0: break;
      case 1: s += "plain"; break;
      case 2: s += "\"with \"\"quote\"\"\""; break;
      case 3: s += "\"multi\nline\""; break;
    }
    s += "\n";
  }
  return s;
}

TEST(CsvReaderTest, ChunkedParallelReadEqualsSingleChunkRead) {
  std::string text = random_csv(20000, 7);
  CsvReadOptions one;
  one.chunk_bytes = 64 << 20;
  one.threads = 1;
  auto a = read_csv_string(text, "r.csv", one);
  ASSERT_TRUE(a.ok()) << a.status().to_string();
  ASSERT_EQ(a->num_rows(), 20000u);
  for (size_t chunk : {size_t(100), size_t(4096), size_t(65536)}) {
    CsvReadOptions many;
    many.chunk_bytes = chunk;
    many.threads = 3;
    auto b = read_csv_string(text, "r.csv", many);
    ASSERT_TRUE(b.ok()) << b.status().to_string();
    EXPECT_EQ(dump(*a), dump(*b)) << "chunk " << chunk;
  }
  // The writer's output reads back to the same table.
  auto c = read_csv_string(to_csv_string(*a), "w.csv", one);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(dump(*a), dump(*c));
}

TEST(CsvReaderTest, ErrorLineIsExactAcrossChunks) {
  std::string text = "a,b\n";
  for (int i = 0; i < 5000; ++i) text += std::to_string(i) + "," + std::to_string(i) + "\n";
  text += "1,2,3\n";
  for (int i = 0; i < 100; ++i) text += "1,2\n";
  CsvReadOptions options;
  options.chunk_bytes = 256;
  auto t = read_csv_string(text, "big.csv", options);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().message(), "big.csv:5002: expected 2 fields as in the header, found 3");
}

TEST(CsvReaderTest, ProjectionKeepsOnlyTheListedColumns) {
  std::string text = random_csv(3000, 11);
  CsvReadOptions all;
  auto full = read_csv_string(text, "p.csv", all);
  ASSERT_TRUE(full.ok());
  for (size_t chunk : {size_t(128), size_t(8) << 20}) {
    CsvReadOptions some;
    some.columns = {"note", "id"};
    some.chunk_bytes = chunk;
    auto part = read_csv_string(text, "p.csv", some);
    ASSERT_TRUE(part.ok()) << part.status().to_string();
    ASSERT_EQ(part->num_columns(), 2u);
    EXPECT_EQ(part->column(0).name(), "id");  // file order
    EXPECT_EQ(part->column(1).name(), "note");
    for (size_t r = 0; r < full->num_rows(); r += 97) {
      EXPECT_EQ(part->column(0).int64s()[r], full->find("id")->int64s()[r]);
      EXPECT_EQ(part->column(1).category(r), full->find("note")->category(r));
    }
  }
  CsvReadOptions absent;
  absent.columns = {"id", "nope"};
  auto bad = read_csv_string(text, "p.csv", absent);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "p.csv:1: no column(s) nope in the header");
}

TEST(CsvWriterTest, NumbersAsPandasWritesThemAndExactly) {
  auto text = [](auto v) {
    char buf[kMaxCsvNumberChars];
    return std::string(buf, format_csv_number(buf, v));
  };
  EXPECT_EQ(text(100000.0), "100000.0");
  EXPECT_EQ(text(202500.0), "202500.0");
  EXPECT_EQ(text(-3648.0), "-3648.0");
  EXPECT_EQ(text(0.018801), "0.018801");
  EXPECT_EQ(text(0.1f), "0.1");
  EXPECT_EQ(text(1e20), "1e+20");
  EXPECT_EQ(text(-0.0), "-0.0");
  EXPECT_EQ(text(1e-7), "1e-07");
  EXPECT_EQ(text(std::nan("")), "");
  Rng rng(3);
  for (int i = 0; i < 20000; ++i) {
    double v = rng.normal() * std::pow(10.0, static_cast<double>(rng.below(30)) - 12);
    std::string t = text(v);
    EXPECT_EQ(std::strtod(t.c_str(), nullptr), v) << t;
    float f = static_cast<float>(v);
    std::string tf = text(f);
    EXPECT_EQ(std::strtof(tf.c_str(), nullptr), f) << tf;
  }
}

TEST(CsvReaderTest, MissingFileIsNotFound) {
  auto t = read_csv_file("/nonexistent/x.csv");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(t.status().message(), "/nonexistent/x.csv: no such file");
}

class HomeCreditFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One small file per table, with the exact header and one plausible row of zeros / text.
    for (const auto& info : homecredit_tables()) {
      const Schema& schema = homecredit_schema(info.id);
      std::string text;
      for (size_t c = 0; c < schema.size(); ++c) text += (c ? "," : "") + schema.columns[c].name;
      text += "\n";
      for (int row = 0; row < 2; ++row) {
        for (size_t c = 0; c < schema.size(); ++c) {
          if (c) text += ",";
          const auto& name = schema.columns[c].name;
          if (name == "SK_ID_CURR") text += std::to_string(100002 + row);
          else if (name == "SK_ID_BUREAU") text += std::to_string(5000000 + row);
          else if (name == "SK_ID_PREV") text += std::to_string(1000000 + row);
          else if (schema.columns[c].type == ColumnType::kCategorical) text += "XNA";
          else if (schema.columns[c].type == ColumnType::kDouble) text += "1.5";
          else text += "0";
        }
        text += "\n";
      }
      std::ofstream(dir_ / info.file_name) << text;
    }
  }
  TempDir temp_{"homecredit_files"};
  fs::path dir_ = temp_.path();
};

TEST_F(HomeCreditFilesTest, LoadsAllEightTablesFromFolderAndZip) {
  HomeCreditLoadOptions options;
  options.progress = nullptr;
  auto folder = load_homecredit(dir_.string(), options);
  ASSERT_TRUE(folder.ok()) << folder.status().to_string();
  for (const auto& info : homecredit_tables()) {
    const Table* t = folder->get(info.id);
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->num_rows(), 2u);
    EXPECT_EQ(t->num_columns(), homecredit_schema(info.id).size());
  }
  std::string zip = (dir_ / "hc.zip").string();
  ASSERT_EQ(std::system(("cd " + dir_.string() + " && zip -q hc.zip *.csv").c_str()), 0);
  auto zipped = load_homecredit(zip, options);
  ASSERT_TRUE(zipped.ok()) << zipped.status().to_string();
  EXPECT_EQ(zipped->get(HcTable::kBureau)->num_rows(), 2u);
  EXPECT_EQ(dump(*zipped->get(HcTable::kApplicationTrain)), dump(*folder->get(HcTable::kApplicationTrain)));
}

TEST_F(HomeCreditFilesTest, MissingTableAndDuplicateIdAreClearErrors) {
  HomeCreditLoadOptions options;
  options.progress = nullptr;
  fs::remove(dir_ / "bureau_balance.csv");
  auto a = load_homecredit(dir_.string(), options);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.status().message().find("bureau_balance.csv is missing"), std::string::npos);

  // Duplicate SK_ID_PREV in previous_application.
  std::string path = (dir_ / "previous_application.csv").string();
  std::ifstream in(path);
  std::stringstream buf;
  buf << in.rdbuf();
  std::string text = buf.str();
  size_t second = text.find("1000001");
  text.replace(second, 7, "1000000");
  std::ofstream(path) << text;
  options.tables = {HcTable::kPreviousApplication};
  auto b = load_homecredit(dir_.string(), options);
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.status().message().find("duplicate SK_ID_PREV 1000000 (line 2 and line 3)"), std::string::npos)
      << b.status().message();
}

TEST(HomeCreditSchemaTest, HeadersFollowTheProfile) {
  EXPECT_EQ(homecredit_schema(HcTable::kApplicationTrain).size(), 122u);
  EXPECT_EQ(homecredit_schema(HcTable::kApplicationTest).size(), 121u);
  EXPECT_EQ(homecredit_schema(HcTable::kBureau).size(), 17u);
  EXPECT_EQ(homecredit_schema(HcTable::kBureauBalance).size(), 3u);
  EXPECT_EQ(homecredit_schema(HcTable::kPreviousApplication).size(), 37u);
  EXPECT_EQ(homecredit_schema(HcTable::kPosCashBalance).size(), 8u);
  EXPECT_EQ(homecredit_schema(HcTable::kInstallmentsPayments).size(), 8u);
  EXPECT_EQ(homecredit_schema(HcTable::kCreditCardBalance).size(), 23u);
  const Schema& train = homecredit_schema(HcTable::kApplicationTrain);
  EXPECT_EQ(train.columns[0].name, "SK_ID_CURR");
  EXPECT_EQ(train.columns[1].name, "TARGET");
  EXPECT_EQ(train.columns[121].name, "AMT_REQ_CREDIT_BUREAU_YEAR");
  EXPECT_EQ(train.find("DAYS_EMPLOYED")->type, ColumnType::kInt64);
  EXPECT_EQ(train.find("NAME_TYPE_SUITE")->type, ColumnType::kCategorical);
}

}  // namespace
}  // namespace credo
