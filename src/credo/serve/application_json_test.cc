// Pins posted applications: the data-driven bodies of testdata/application_json_cases.txt (values
// read, missing values, what-if rows, history tables and every error), then what the cases cannot
// say: errors are InvalidArgument and short, the history row limit, a row read back from its own
// JSON, and the promise that matters to the service: a known client posted as JSON (its real
// application row, and its history rows) gets exactly the features the batch matrix holds for it.
#include "credo/serve/application_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <set>
#include <sstream>

#include "credo/base/case_file_testing.h"
#include "credo/base/temp_dir.h"
#include "credo/data/csv_reader.h"
#include "credo/data/homecredit.h"
#include "credo/data/homecredit_loader.h"
#include "credo/features/feature_matrix.h"
#include "credo/synth/synth.h"

namespace credo::serve {
namespace {

using PostedJson = nlohmann::json;

// A case of application_json_cases.txt: "@base", "@call application", the body, then ">>> error:
// TEXT" or checks.
struct PostedCase {
  std::string base;  // fields of the base row, when a what-if
  bool application_only = false;
  std::string body;
  std::string error;
  std::vector<std::string> checks;  // ">>> " lines other than the error
};

PostedCase posted_case(const TestCase& test_case) {
  PostedCase c;
  if (const std::string* base = test_case.field("base")) c.base = *base;
  if (const std::string* call = test_case.field("call")) {
    EXPECT_EQ(*call, "application") << "@call takes only 'application'";
    c.application_only = true;
  }
  c.body = test_case.body_text();
  for (const auto& expectation : test_case.expectations) {
    const std::string& text = expectation.head.text;
    if (text.rfind("error: ", 0) == 0) c.error = text.substr(7);
    else c.checks.push_back(text);
    EXPECT_TRUE(expectation.block.empty()) << "line " << expectation.head.line << ": lines under a '>>>'";
  }
  return c;
}

// The value of `column` at `row` as JSON (null when missing).
PostedJson posted_cell(const Table& t, const std::string& column, size_t row) {
  const Column* c = t.find(column);
  if (!c) return "no such column";
  if (c->is_missing(row)) return nullptr;
  switch (c->type()) {
    case ColumnType::kInt64: return c->int64s()[row];
    case ColumnType::kDouble: return c->doubles()[row];
    case ColumnType::kCategorical: return std::string(c->category(row));
  }
  return nullptr;
}

bool same_posted_value(const PostedJson& got, const PostedJson& wanted) {
  if (got.is_number() && wanted.is_number()) return got.get<double>() == wanted.get<double>();
  return got == wanted;
}

// Runs one ">>> " check against the result; "" when it holds, else what went wrong.
std::string run_posted_check(const std::string& check, const ClientRows& rows, const Table* base) {
  if (check == "ok") return "";
  std::istringstream words(check);
  std::string first;
  words >> first;
  if (first == "rows") {
    std::string table;
    size_t wanted = 0;
    words >> table >> wanted;
    const HcTableInfo* info = find_homecredit_table(table);
    if (!info) return "no table " + table;
    const auto& slot = rows.history[static_cast<size_t>(info->id)];
    size_t got = slot ? slot->num_rows() : 0;
    return got == wanted ? "" : table + " has " + std::to_string(got) + " rows";
  }
  if (first == "changed") {
    if (!base) return "changed needs @base";
    std::string wanted, got;
    for (std::string w; words >> w;) wanted += (wanted.empty() ? "" : " ") + w;
    if (wanted == "-") wanted.clear();
    for (const auto& change : application_changes(*base, rows.application))
      got += (got.empty() ? "" : " ") + change.field;
    return got == wanted ? "" : "changed: " + got;
  }
  size_t equals = check.find(" = ");
  if (equals == std::string::npos) return "unreadable check";
  std::string where = check.substr(0, equals);
  PostedJson wanted = PostedJson::parse(check.substr(equals + 3));
  const Table* table = &rows.application;
  size_t row = 0;
  std::string column = where;
  if (size_t bracket = where.find('['); bracket != std::string::npos) {
    const HcTableInfo* info = find_homecredit_table(where.substr(0, bracket));
    if (!info || !rows.history[static_cast<size_t>(info->id)]) return "no posted table in " + where;
    table = &*rows.history[static_cast<size_t>(info->id)];
    row = std::stoul(where.substr(bracket + 1));
    column = where.substr(where.find("].") + 2);
  }
  if (row >= table->num_rows()) return "no row " + std::to_string(row);
  PostedJson got = posted_cell(*table, column, row);
  return same_posted_value(got, wanted) ? "" : where + " is " + got.dump();
}

TEST(ApplicationJsonTest, DataDrivenCases) {
  auto cases = load_case_file("src/credo/serve/testdata/application_json_cases.txt");
  ASSERT_GE(cases.size(), 90u);
  for (const auto& test_case : cases) {
    SCOPED_TRACE(test_case.where());
    const PostedCase c = posted_case(test_case);
    ASSERT_TRUE(c.error.empty() != c.checks.empty()) << "a case expects checks or an error";
    std::optional<Table> base;
    if (!c.base.empty()) {
      auto made = application_row_from_json(PostedJson::parse(c.base));
      ASSERT_TRUE(made.ok()) << made.status().to_string();
      base = std::move(*made);
    }
    const Table* base_row = base ? &*base : nullptr;
    PostedJson body = PostedJson::parse(c.body);
    StatusOr<ClientRows> result = Status::Internal("not run");
    if (c.application_only) {
      auto row = application_row_from_json(body, base_row);
      if (row.ok()) {
        ClientRows rows;
        rows.application = std::move(*row);
        result = std::move(rows);
      } else {
        result = row.status();
      }
    } else {
      result = client_rows_from_json(body, base_row);
    }
    if (!c.error.empty()) {
      ASSERT_FALSE(result.ok()) << "expected an error";
      EXPECT_EQ(result.status().code(), StatusCode::kInvalidArgument);
      EXPECT_NE(result.status().message().find(c.error), std::string::npos)
          << "message: " << result.status().message() << "\nwanted:  " << c.error;
      EXPECT_LE(result.status().message().size(), 400u);
      continue;
    }
    ASSERT_TRUE(result.ok()) << result.status().to_string();
    ASSERT_EQ(result->application.num_rows(), 1u);
    EXPECT_EQ(result->application.schema().size(), homecredit_schema(HcTable::kApplicationTest).size());
    EXPECT_EQ(result->application.find("TARGET"), nullptr);
    for (const auto& check : c.checks) EXPECT_EQ(run_posted_check(check, *result, base_row), "") << check;
  }
}

TEST(ApplicationJsonTest, AtMostTenThousandHistoryRows) {
  PostedJson bureau = PostedJson::array(), months = PostedJson::array();
  for (int i = 0; i < 5000; ++i) bureau.push_back({{"SK_ID_BUREAU", i}});
  for (int i = 0; i < 5000; ++i) months.push_back({{"SK_ID_BUREAU", i % 10}, {"MONTHS_BALANCE", -i}});
  PostedJson body = {{"application", PostedJson::object()}, {"history", {{"bureau", bureau}, {"bureau_balance", months}}}};
  auto rows = client_rows_from_json(body);
  ASSERT_TRUE(rows.ok()) << rows.status().to_string();
  EXPECT_EQ(rows->history[static_cast<size_t>(HcTable::kBureauBalance)]->num_rows(), 5000u);
  body["history"]["bureau_balance"].push_back({{"SK_ID_BUREAU", 1}});
  auto too_many = client_rows_from_json(body);
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_many.status().message().find("more than 10000 rows"), std::string::npos) << too_many.status().message();
}

TEST(ApplicationJsonTest, NanAndInfinityAreRefusedWhenTheJsonHoldsThem) {
  // JSON text cannot hold them, but a json value built in code can.
  for (double bad : {std::nan(""), HUGE_VAL, -HUGE_VAL}) {
    auto row = application_row_from_json({{"AMT_CREDIT", bad}});
    ASSERT_FALSE(row.ok());
    EXPECT_EQ(row.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(row.status().message().find("application.AMT_CREDIT: expected a finite number"), std::string::npos)
        << row.status().message();
  }
}

// ------------------------------------------------------------------------------------------
// Known clients posted as JSON, against the batch matrix.

class PostedClientsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_ = new TempDir("posted");
    dir_ = new std::filesystem::path(temp_->path());
    SynthOptions synth;
    synth.clients = 1200;
    synth.seed = 11;
    synth.out_dir = dir_->string();
    ASSERT_TRUE(generate_homecredit(synth).ok());
    auto spec = parse_feature_spec(default_feature_spec_text(), "default.spec");
    ASSERT_TRUE(spec.ok());
    auto p = FeaturePipeline::compile(std::move(*spec));
    ASSERT_TRUE(p.ok()) << p.status().to_string();
    auto source = HomeCreditSource::open(dir_->string());
    FeatureBuildOptions options;
    options.progress = nullptr;
    auto m = p->build(*source, options);
    ASSERT_TRUE(m.ok()) << m.status().to_string();
    matrix_ = new FeatureMatrix(std::move(*m));
    // As the service gets it: restored from the feature file's metadata.
    auto restored = FeaturePipeline::from_metadata(matrix_->metadata());
    ASSERT_TRUE(restored.ok()) << restored.status().to_string();
    pipeline_ = new FeaturePipeline(std::move(*restored));
    tables_ = new std::array<Table, kHcTableCount>();
    for (const auto& info : homecredit_tables()) {
      CsvReadOptions read;
      read.schema = &homecredit_schema(info.id);
      auto t = read_csv_file((*dir_ / info.file_name).string(), read);
      ASSERT_TRUE(t.ok()) << t.status().to_string();
      (*tables_)[static_cast<size_t>(info.id)] = std::move(*t);
    }
  }
  static void TearDownTestSuite() {
    delete tables_;
    delete matrix_;
    delete pipeline_;
    delete dir_;
    delete temp_;
  }

  // Rows of table `t` whose `key` is in `ids`.
  static Table rows_of(HcTable t, const std::string& key, const std::set<int64_t>& ids) {
    const Table& table = (*tables_)[static_cast<size_t>(t)];
    std::vector<size_t> rows;
    auto keys = table.find(key)->int64s();
    for (size_t r = 0; r < keys.size(); ++r)
      if (ids.count(keys[r])) rows.push_back(r);
    return take_rows(table, rows);
  }

  // The rows of a table as the JSON array a client would post (missing values left out).
  static PostedJson rows_json(const Table& t) {
    PostedJson out = PostedJson::array();
    for (size_t r = 0; r < t.num_rows(); ++r) {
      PostedJson row = PostedJson::object();
      for (const auto& c : t.columns()) {
        PostedJson v = posted_cell(t, c.name(), r);
        if (!v.is_null()) row[c.name()] = v;
      }
      out.push_back(row);
    }
    return out;
  }

  // Posts the body (through its JSON text) and compares the features of `tables` ("" = all) to row
  // `row` of the batch matrix.
  static void expect_batch_features(size_t row, const PostedJson& body, const std::string& only_table) {
    int64_t id = matrix_->id(row);
    auto rows = client_rows_from_json(PostedJson::parse(body.dump()));
    ASSERT_TRUE(rows.ok()) << id << ": " << rows.status().to_string();
    int fold = matrix_->is_test(row) ? -1 : pipeline_->training_fold_of(id);
    auto online = pipeline_->compute_client(*rows, fold);
    ASSERT_TRUE(online.ok()) << online.status().to_string();
    ASSERT_EQ(online->size(), matrix_->num_features());
    for (size_t f = 0; f < online->size(); ++f) {
      const FeatureInfo& info = matrix_->features()[f];
      if (!only_table.empty() && info.table != only_table) continue;
      float batch = matrix_->value(row, f), now = static_cast<float>((*online)[f]);
      if (std::isnan(batch)) {
        ASSERT_TRUE(std::isnan(now)) << id << " " << info.name << " = " << now;
      } else {
        ASSERT_EQ(now, batch) << id << " " << info.name;
      }
    }
  }

  static Table application_of(size_t row) {
    HcTable app = matrix_->is_test(row) ? HcTable::kApplicationTest : HcTable::kApplicationTrain;
    return rows_of(app, "SK_ID_CURR", {matrix_->id(row)});
  }

  static TempDir* temp_;
  static std::filesystem::path* dir_;
  static FeaturePipeline* pipeline_;
  static FeatureMatrix* matrix_;
  static std::array<Table, kHcTableCount>* tables_;
};
TempDir* PostedClientsTest::temp_ = nullptr;
std::filesystem::path* PostedClientsTest::dir_ = nullptr;
FeaturePipeline* PostedClientsTest::pipeline_ = nullptr;
FeatureMatrix* PostedClientsTest::matrix_ = nullptr;
std::array<Table, kHcTableCount>* PostedClientsTest::tables_ = nullptr;

TEST_F(PostedClientsTest, AKnownClientsApplicationPostedGivesItsBatchApplicationFeatures) {
  size_t compared = 0;
  for (size_t row = 0; row < matrix_->num_rows(); row += 3) {
    PostedJson fields = application_row_to_json(application_of(row));
    for (auto it = fields.begin(); it != fields.end();) it = it->is_null() ? fields.erase(it) : std::next(it);
    expect_batch_features(row, {{"application", fields}}, "application");
    ++compared;
  }
  EXPECT_GE(compared, 400u);
}

TEST_F(PostedClientsTest, AKnownClientsRowsPostedGiveItsWholeBatchVector) {
  size_t compared = 0, with_history = 0, unlinked = 0;
  for (size_t row = 0; row < matrix_->num_rows(); row += 5) {
    int64_t id = matrix_->id(row);
    PostedJson body = {{"application", application_row_to_json(application_of(row))}, {"history", PostedJson::object()}};
    std::set<int64_t> credits, previous;
    Table bureau = rows_of(HcTable::kBureau, "SK_ID_CURR", {id});
    for (int64_t b : bureau.find("SK_ID_BUREAU")->int64s()) credits.insert(b);
    Table prev = rows_of(HcTable::kPreviousApplication, "SK_ID_CURR", {id});
    for (int64_t p : prev.find("SK_ID_PREV")->int64s()) previous.insert(p);
    body["history"]["bureau"] = rows_json(bureau);
    body["history"]["bureau_balance"] = rows_json(rows_of(HcTable::kBureauBalance, "SK_ID_BUREAU", credits));
    body["history"]["previous_application"] = rows_json(prev);
    // The generator's monthly rows may name previous credits it did not write, which a client
    // could not post beside its previous applications: such clients are left out.
    bool linked = true;
    for (HcTable t : {HcTable::kPosCashBalance, HcTable::kInstallmentsPayments, HcTable::kCreditCardBalance}) {
      Table monthly = rows_of(t, "SK_ID_CURR", {id});
      for (int64_t p : monthly.find("SK_ID_PREV")->int64s()) linked &= previous.empty() || previous.count(p) > 0;
      body["history"][std::string(homecredit_table(t).name)] = rows_json(monthly);
    }
    if (!linked) {
      ++unlinked;
      continue;
    }
    with_history += bureau.num_rows() + prev.num_rows() > 0;
    expect_batch_features(row, body, "");
    ++compared;
  }
  EXPECT_GE(compared, 150u) << unlinked << " clients left out";
  EXPECT_GE(with_history, 100u);
}

TEST_F(PostedClientsTest, WhatIfOnAKnownRowChangesOnlyTheGivenFields) {
  Table known = application_of(0);
  auto same = client_rows_from_json({{"client_id", matrix_->id(0)}}, &known);
  ASSERT_TRUE(same.ok()) << same.status().to_string();
  EXPECT_TRUE(application_changes(known, same->application).empty());
  EXPECT_EQ(application_row_to_json(same->application), application_row_to_json(known));
  auto changed = client_rows_from_json({{"application", {{"AMT_CREDIT", 1234.5}, {"OCCUPATION_TYPE", nullptr}}}}, &known);
  ASSERT_TRUE(changed.ok()) << changed.status().to_string();
  auto changes = application_changes(known, changed->application);
  ASSERT_GE(changes.size(), 1u);
  EXPECT_EQ(changes[0].field, "AMT_CREDIT");
  EXPECT_EQ(changes[0].after, 1234.5);
  EXPECT_EQ(changes[0].before, posted_cell(known, "AMT_CREDIT", 0));
  for (const auto& c : changes) EXPECT_TRUE(c.field == "AMT_CREDIT" || c.field == "OCCUPATION_TYPE") << c.field;
}

}  // namespace
}  // namespace credo::serve
