// Pins the feature pipeline: hand-computed aggregations on a few hand-made clients, spec
// errors with their lines, and the promise that one client's features computed online from its
// raw rows equal the batch matrix, for more than a thousand generated clients.
#include "credo/features/pipeline.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include "credo/base/temp_dir.h"
#include "credo/data/csv_reader.h"
#include "credo/data/homecredit_files_testing.h"
#include "credo/data/homecredit_ranges.h"
#include "credo/features/leakage.h"
#include "credo/features/client_rows_testing.h"
#include "credo/synth/synth.h"

namespace credo {
namespace {

namespace fs = std::filesystem;
StatusOr<FeaturePipeline> compile_text(const std::string& text) {
  CREDO_ASSIGN_OR_RETURN(FeatureSpec spec, parse_feature_spec(text, "test.spec"));
  return FeaturePipeline::compile(std::move(spec));
}

class HandMadeClientsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write_homecredit_rows(dir_, HcTable::kApplicationTrain,
                          {{{"SK_ID_CURR", "100001"}, {"TARGET", "1"}, {"AMT_CREDIT", "1000"}, {"AMT_INCOME_TOTAL", "500"},
                            {"NAME_CONTRACT_TYPE", "Cash loans"}, {"DAYS_EMPLOYED", "365243"}},
                           {{"SK_ID_CURR", "100002"}, {"TARGET", "0"}, {"AMT_CREDIT", "300"}, {"AMT_INCOME_TOTAL", "0"},
                            {"NAME_CONTRACT_TYPE", "Revolving loans"}, {"DAYS_EMPLOYED", "-100"}}});
    write_homecredit_rows(dir_, HcTable::kApplicationTest,
                          {{{"SK_ID_CURR", "100003"}, {"AMT_CREDIT", "200"}, {"AMT_INCOME_TOTAL", "400"},
                            {"NAME_CONTRACT_TYPE", "Cash loans"}, {"DAYS_EMPLOYED", "-5"}}});
    write_homecredit_rows(dir_, HcTable::kBureau,
                          {{{"SK_ID_CURR", "100001"}, {"SK_ID_BUREAU", "1"}, {"CREDIT_ACTIVE", "Active"}, {"AMT_CREDIT_SUM", "100"}},
                           {{"SK_ID_CURR", "100001"}, {"SK_ID_BUREAU", "2"}, {"CREDIT_ACTIVE", "Closed"}, {"AMT_CREDIT_SUM", "300"}},
                           {{"SK_ID_CURR", "100001"}, {"SK_ID_BUREAU", "3"}, {"CREDIT_ACTIVE", "Active"}},
                           {{"SK_ID_CURR", "100003"}, {"SK_ID_BUREAU", "4"}, {"CREDIT_ACTIVE", "Closed"}, {"AMT_CREDIT_SUM", "50"}},
                           {{"SK_ID_CURR", "999999"}, {"SK_ID_BUREAU", "5"}, {"CREDIT_ACTIVE", "Closed"}, {"AMT_CREDIT_SUM", "7"}}});
    write_homecredit_rows(dir_, HcTable::kBureauBalance,
                          {{{"SK_ID_BUREAU", "1"}, {"MONTHS_BALANCE", "-2"}, {"STATUS", "0"}},
                           {{"SK_ID_BUREAU", "1"}, {"MONTHS_BALANCE", "-1"}, {"STATUS", "1"}},
                           {{"SK_ID_BUREAU", "4"}, {"MONTHS_BALANCE", "-7"}, {"STATUS", "C"}}});
  }
  float value(const FeatureMatrix& m, int64_t id, const std::string& feature) {
    int f = m.feature_index(feature);
    EXPECT_GE(f, 0) << feature;
    auto row = m.find_row(id);
    EXPECT_TRUE(row.has_value()) << id;
    return f < 0 || !row ? NAN : m.value(*row, static_cast<size_t>(f));
  }

  TempDir temp_{"feat_hand"};
  fs::path dir_ = temp_.path();
};

constexpr const char* kHandSpec = R"(
table application "the application"
  missing DAYS_EMPLOYED == 365243
  derive CREDIT_TO_INCOME "Credit relative to income" = AMT_CREDIT / AMT_INCOME_TOTAL
  encode onehot NAME_CONTRACT_TYPE
table bureau_balance by SK_ID_BUREAU "months"
  aggregate MONTHS_BALANCE : min count
  aggregate STATUS : share
table bureau by SK_ID_CURR prefix B "credits"
  join bureau_balance
  count
  aggregate AMT_CREDIT_SUM : min max mean sum var count nunique
  aggregate CREDIT_ACTIVE : share
  aggregate MONTHS_BALANCE_MIN : min
  aggregate STATUS_*_SHARE : mean
  filter ACTIVE "active" : CREDIT_ACTIVE == 'Active'
  count
  aggregate AMT_CREDIT_SUM : sum mean
)";

TEST_F(HandMadeClientsTest, EveryAggregationAndFilterByHand) {
  auto pipeline = compile_text(kHandSpec);
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().to_string();
  auto source = HomeCreditSource::open(dir_.string());
  ASSERT_TRUE(source.ok());
  FeatureBuildOptions options;
  options.progress = nullptr;
  FeatureBuildReport report;
  auto m = pipeline->build(*source, options, &report);
  ASSERT_TRUE(m.ok()) << m.status().to_string();
  ASSERT_EQ(m->num_rows(), 3u);
  EXPECT_EQ(m->id(0), 100001);
  EXPECT_EQ(m->target(0), 1);
  EXPECT_EQ(m->target(2), -1);
  EXPECT_TRUE(m->is_test(2));
  // Application: cleaning, derived ratio (division by zero is missing), one-hot levels.
  EXPECT_TRUE(std::isnan(value(*m, 100001, "DAYS_EMPLOYED")));
  EXPECT_EQ(value(*m, 100002, "DAYS_EMPLOYED"), -100);
  EXPECT_EQ(value(*m, 100001, "CREDIT_TO_INCOME"), 2);
  EXPECT_TRUE(std::isnan(value(*m, 100002, "CREDIT_TO_INCOME")));
  EXPECT_EQ(value(*m, 100003, "NAME_CONTRACT_TYPE_Cash_loans"), 1);
  EXPECT_EQ(value(*m, 100002, "NAME_CONTRACT_TYPE_Cash_loans"), 0);
  EXPECT_EQ(value(*m, 100002, "NAME_CONTRACT_TYPE_Revolving_loans"), 1);
  EXPECT_EQ(m->feature_index("SK_ID_CURR"), -1);  // ids are never features
  EXPECT_EQ(m->feature_index("TARGET"), -1);
  // Client 100001: credits of 100, 300 and an unknown amount; two active.
  EXPECT_EQ(value(*m, 100001, "B_COUNT"), 3);
  EXPECT_EQ(value(*m, 100001, "B_AMT_CREDIT_SUM_MIN"), 100);
  EXPECT_EQ(value(*m, 100001, "B_AMT_CREDIT_SUM_MAX"), 300);
  EXPECT_EQ(value(*m, 100001, "B_AMT_CREDIT_SUM_MEAN"), 200);
  EXPECT_EQ(value(*m, 100001, "B_AMT_CREDIT_SUM_SUM"), 400);
  EXPECT_EQ(value(*m, 100001, "B_AMT_CREDIT_SUM_VAR"), 20000);  // ddof = 1
  EXPECT_EQ(value(*m, 100001, "B_AMT_CREDIT_SUM_COUNT"), 2);
  EXPECT_EQ(value(*m, 100001, "B_AMT_CREDIT_SUM_NUNIQUE"), 2);
  EXPECT_FLOAT_EQ(value(*m, 100001, "B_CREDIT_ACTIVE_Active_SHARE"), 2.0f / 3);
  EXPECT_FLOAT_EQ(value(*m, 100001, "B_CREDIT_ACTIVE_Closed_SHARE"), 1.0f / 3);
  EXPECT_EQ(value(*m, 100001, "B_ACTIVE_COUNT"), 2);
  EXPECT_EQ(value(*m, 100001, "B_ACTIVE_AMT_CREDIT_SUM_SUM"), 100);
  EXPECT_EQ(value(*m, 100001, "B_ACTIVE_AMT_CREDIT_SUM_MEAN"), 100);
  // Nested: bureau_balance per credit, then per client. Credit 1 has months -2 and -1
  // (statuses 0 and 1); credits 2 and 3 have no balance rows.
  EXPECT_EQ(value(*m, 100001, "B_MONTHS_BALANCE_MIN_MIN"), -2);
  EXPECT_EQ(value(*m, 100001, "B_STATUS_0_SHARE_MEAN"), 0.5f);
  EXPECT_EQ(value(*m, 100001, "B_STATUS_C_SHARE_MEAN"), 0.0f);
  EXPECT_EQ(value(*m, 100003, "B_STATUS_C_SHARE_MEAN"), 1.0f);
  // Client 100002 has no credit at all: everything missing, counts included (as a left join).
  for (const char* f : {"B_COUNT", "B_AMT_CREDIT_SUM_SUM", "B_CREDIT_ACTIVE_Active_SHARE", "B_ACTIVE_COUNT"})
    EXPECT_TRUE(std::isnan(value(*m, 100002, f))) << f;
  // Client 100003: one closed credit of 50: a variance needs two values; no active credit.
  EXPECT_EQ(value(*m, 100003, "B_AMT_CREDIT_SUM_MEAN"), 50);
  EXPECT_TRUE(std::isnan(value(*m, 100003, "B_AMT_CREDIT_SUM_VAR")));
  EXPECT_EQ(value(*m, 100003, "B_CREDIT_ACTIVE_Active_SHARE"), 0);
  EXPECT_TRUE(std::isnan(value(*m, 100003, "B_ACTIVE_COUNT")));
  // The row of client 999999 (not an applicant) is ignored and reported.
  bool reported = false;
  for (const auto& [table, ignored] : report.ignored_rows) reported |= table == "bureau" && ignored == 1;
  EXPECT_TRUE(reported);
}

TEST(FeatureSpecTest, ErrorsNameTheLine) {
  struct Case {
    const char* spec;
    const char* error;
  } cases[] = {
      {"aggregate X : mean\n", "test.spec:1: 'aggregate' outside a table"},
      {"table application\n  frobnicate X\n", "test.spec:2: unknown statement 'frobnicate'"},
      {"table application\ntable bureau by SK_ID_CURR\n  aggregate AMT_CREDIT_SUM mean\n",
       "test.spec:3: expected 'aggregate COLUMN... : AGGREGATION...'"},
      {"table application\ntable bureau by SK_ID_CURR\n  aggregate AMT_CREDIT_SUM : median\n",
       "test.spec:3: unknown aggregation 'median'"},
      {"table application\ntable bureau\n  count\n", "test.spec:3: count needs a grouping key"},
      {"table application\ntable application\n", "test.spec:2: table 'application' is declared twice"},
      {"table application\ntable bureau by SK_ID_CURR\n  join bureau_balance\n",
       "test.spec:3: join bureau_balance: declare table bureau_balance before"},
      {"table application\n  missing DAYS_EMPLOYED == abc\n", "test.spec:2: 'abc' is neither a number, a quoted text nor a code of the data (NO_DATE)"},
  };
  for (const auto& c : cases) {
    auto spec = parse_feature_spec(c.spec, "test.spec");
    ASSERT_FALSE(spec.ok()) << c.spec;
    EXPECT_NE(spec.status().message().find(c.error), std::string::npos)
        << "got: " << spec.status().message() << "\nwanted: " << c.error;
  }
}

// The spec names the data's codes instead of repeating their numbers: NO_DATE is the data
// stage's kHcNoDate, and the default spec's "no date" rules use it.
TEST(FeatureSpecTest, NamedCodesAreTheDataStagesNumbers) {
  auto spec = parse_feature_spec("table application\n  missing DAYS_EMPLOYED == NO_DATE\n", "test.spec");
  ASSERT_TRUE(spec.ok()) << spec.status().to_string();
  const MissingStatement& rule = spec->tables[0].missing[0];
  EXPECT_FALSE(rule.text);
  EXPECT_EQ(std::strtod(rule.value.c_str(), nullptr), static_cast<double>(kHcNoDate));

  auto shipped = parse_feature_spec(default_feature_spec_text(), "default.spec");
  ASSERT_TRUE(shipped.ok()) << shipped.status().to_string();
  size_t no_date_rules = 0;
  for (const auto& table : shipped->tables)
    for (const auto& m : table.missing)
      if (!m.text) {
        EXPECT_EQ(std::strtod(m.value.c_str(), nullptr), static_cast<double>(kHcNoDate)) << table.name << " " << m.column;
        ++no_date_rules;
      }
  EXPECT_EQ(no_date_rules, 6u);  // DAYS_EMPLOYED and five DAYS_* of previous applications
  EXPECT_EQ(std::string(default_feature_spec_text()).find(std::to_string(kHcNoDate)), std::string::npos)
      << "the default spec names the code NO_DATE rather than repeating its number";
}

TEST(FeatureSpecTest, CompileChecksTablesColumnsAndExpressions) {
  struct Case {
    const char* spec;
    const char* error;
  } cases[] = {
      {"table application\ntable bureaux by SK_ID_CURR\n", "test.spec:2: unknown table 'bureaux'"},
      {"table application\ntable bureau by AMT_CREDIT_SUM\n", "test.spec:2: 'AMT_CREDIT_SUM' is not an id column of bureau"},
      {"table application\ntable bureau by SK_ID_CURR\n  aggregate AMT_CREDIT_SUMM : mean\n",
       "test.spec:3: table bureau has no column 'AMT_CREDIT_SUMM'"},
      {"table application\ntable bureau by SK_ID_CURR\n  derive X = AMT_CREDIT_SUM / (AMT_ANNUITY\n",
       "test.spec:3: derive X: at character"},
      {"table application\ntable bureau by SK_ID_CURR\n  aggregate CREDIT_ACTIVE : mean\n",
       "test.spec:3: 'CREDIT_ACTIVE' is text: only share, count and nunique apply to it"},
      {"table application\ntable bureau by SK_ID_CURR\n  aggregate AMT_CREDIT_SUM : share\n",
       "test.spec:3: 'AMT_CREDIT_SUM' is a number: share applies to text columns"},
      {"table application\n  derive LEAK = TARGET * 2\n", "test.spec:2: table application has no column 'TARGET'"},
      {"table bureau by SK_ID_CURR\n", "the spec needs a 'table application'"},
      {"table application\n  encode onehot AMT_CREDIT\n", "test.spec:2: 'AMT_CREDIT' is a number"},
  };
  for (const auto& c : cases) {
    auto p = compile_text(c.spec);
    ASSERT_FALSE(p.ok()) << c.spec;
    EXPECT_NE(p.status().message().find(c.error), std::string::npos)
        << "got: " << p.status().message() << "\nwanted: " << c.error;
  }
}

TEST(FeatureSpecTest, DefaultSpecCompiles) {
  auto p = compile_text(std::string(default_feature_spec_text()));
  ASSERT_TRUE(p.ok()) << p.status().to_string();
}

// Generated data, features in batch, then online for more than a thousand clients.
class GeneratedDataTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_ = new TempDir("feat_gen");
    dir_ = new fs::path(temp_->path());
    SynthOptions synth;
    synth.clients = 3000;
    synth.seed = 7;
    synth.out_dir = dir_->string();
    ASSERT_TRUE(generate_homecredit(synth).ok());
    auto spec = parse_feature_spec(default_feature_spec_text(), "default.spec");
    ASSERT_TRUE(spec.ok());
    auto p = FeaturePipeline::compile(std::move(*spec));
    ASSERT_TRUE(p.ok()) << p.status().to_string();
    pipeline_ = new FeaturePipeline(std::move(*p));
    auto source = HomeCreditSource::open(dir_->string());
    FeatureBuildOptions options;
    options.progress = nullptr;
    auto m = pipeline_->build(*source, options);
    ASSERT_TRUE(m.ok()) << m.status().to_string();
    matrix_ = new FeatureMatrix(std::move(*m));
  }
  static void TearDownTestSuite() {
    delete matrix_;
    delete pipeline_;
    delete dir_;
    delete temp_;
  }
  static TempDir* temp_;
  static fs::path* dir_;
  static FeaturePipeline* pipeline_;
  static FeatureMatrix* matrix_;
};
TempDir* GeneratedDataTest::temp_ = nullptr;
fs::path* GeneratedDataTest::dir_ = nullptr;
FeaturePipeline* GeneratedDataTest::pipeline_ = nullptr;
FeatureMatrix* GeneratedDataTest::matrix_ = nullptr;

TEST_F(GeneratedDataTest, FeatureCountNamesAndReport) {
  EXPECT_GE(matrix_->num_features(), 700u);
  EXPECT_LE(matrix_->num_features(), 900u);
  EXPECT_EQ(matrix_->num_rows(), 3000u);
  for (const char* f : {"PAYMENT_RATE", "EXT_SOURCES_MEAN", "BURO_ACTIVE_AMT_CREDIT_SUM_DEBT_MEAN",
                        "PREV_REFUSED_COUNT", "INSTAL_DPD_MAX", "CC_UTILISATION_MEAN", "POS_SK_DPD_MAX",
                        "ORGANIZATION_TYPE_TARGET_MEAN", "BURO_MONTHS_BALANCE_COUNT_SUM"})
    EXPECT_GE(matrix_->feature_index(f), 0) << f;
  for (const auto& info : matrix_->features()) EXPECT_FALSE(info.description.empty()) << info.name;
  // No feature is constant or always missing without the report saying so.
  LeakageReport report = check_leakage(*matrix_);
  EXPECT_TRUE(leakage_status(report).ok());
  EXPECT_TRUE(report.high_auc.empty());
  for (size_t f = 0; f < matrix_->num_features(); ++f) {
    std::set<float> values;
    for (size_t r = 0; r < matrix_->num_rows() && values.size() < 2; ++r)
      if (!std::isnan(matrix_->value(r, f))) values.insert(matrix_->value(r, f));
    const std::string& name = matrix_->features()[f].name;
    bool listed = std::count(report.constant.begin(), report.constant.end(), name) +
                  std::count(report.all_missing.begin(), report.all_missing.end(), name);
    EXPECT_EQ(values.size() < 2, listed) << name;
  }
}

TEST_F(GeneratedDataTest, OnlineFeaturesEqualTheBatchMatrix) {
  // Every table in memory, then each client's own rows picked out, as the service will get them.
  credo::testing::RawClientTables raw(*dir_);
  size_t compared = 0;
  for (size_t row = 0; row < matrix_->num_rows(); row += 2) {  // 1500 clients, train and test
    int64_t id = matrix_->id(row);
    ClientRows client = raw.client(id);
    int fold = matrix_->is_test(row) ? -1 : pipeline_->training_fold_of(id);
    auto online = pipeline_->compute_client(client, fold);
    ASSERT_TRUE(online.ok()) << online.status().to_string();
    ASSERT_EQ(online->size(), matrix_->num_features());
    for (size_t f = 0; f < online->size(); ++f) {
      float batch = matrix_->value(row, f);
      float now = static_cast<float>((*online)[f]);
      if (std::isnan(batch)) {
        ASSERT_TRUE(std::isnan(now)) << id << " " << matrix_->features()[f].name;
      } else {
        ASSERT_EQ(now, batch) << id << " " << matrix_->features()[f].name;
      }
    }
    ++compared;
  }
  EXPECT_GE(compared, 1000u);
}

TEST_F(GeneratedDataTest, SameDataSameMatrixWhateverTheThreadCount) {
  auto spec = parse_feature_spec(default_feature_spec_text(), "default.spec");
  ASSERT_TRUE(spec.ok());
  auto p = FeaturePipeline::compile(std::move(*spec));
  ASSERT_TRUE(p.ok());
  auto source = HomeCreditSource::open(dir_->string());
  FeatureBuildOptions options;
  options.progress = nullptr;
  options.threads = 1;
  auto again = p->build(*source, options);
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->num_features(), matrix_->num_features());
  ASSERT_EQ(again->num_rows(), matrix_->num_rows());
  EXPECT_EQ(std::memcmp(again->values().data(), matrix_->values().data(), matrix_->values().size_bytes()), 0);
  EXPECT_EQ(again->metadata().dump(), matrix_->metadata().dump());
}

TEST_F(GeneratedDataTest, TargetEncodingIsOutOfFold) {
  // A training client's encoding must not see its own label: recompute each level's smoothed
  // default rate from the clients of the other folds and compare.
  int te = matrix_->feature_index("ORGANIZATION_TYPE_TARGET_MEAN");
  ASSERT_GE(te, 0);
  CsvReadOptions options;
  options.schema = &homecredit_schema(HcTable::kApplicationTrain);
  auto train = read_csv_file((*dir_ / "application_train.csv").string(), options);
  ASSERT_TRUE(train.ok());
  const Column* org = train->find("ORGANIZATION_TYPE");
  const Column* target = train->find("TARGET");
  const Column* ids = train->find("SK_ID_CURR");
  std::map<std::pair<int, std::string>, std::pair<double, double>> by_fold;  // (fold, level) -> n, defaults
  std::array<double, 5> fold_n{}, fold_y{};
  for (size_t r = 0; r < train->num_rows(); ++r) {
    int fold = pipeline_->training_fold_of(ids->int64s()[r]);
    std::string level = org->category(r) == "XNA" ? "" : std::string(org->category(r));
    auto& s = by_fold[{fold, level}];
    s.first += 1;
    s.second += target->int64s()[r];
    fold_n[fold] += 1;
    fold_y[fold] += target->int64s()[r];
  }
  double all_n = 0, all_y = 0;
  for (int f = 0; f < 5; ++f) { all_n += fold_n[f]; all_y += fold_y[f]; }
  size_t checked = 0;
  for (size_t r = 0; r < train->num_rows(); r += 7) {
    int fold = pipeline_->training_fold_of(ids->int64s()[r]);
    std::string level = org->category(r) == "XNA" ? "" : std::string(org->category(r));
    double n = 0, y = 0;
    for (int f = 0; f < 5; ++f) {
      if (f == fold) continue;
      auto it = by_fold.find({f, level});
      if (it != by_fold.end()) { n += it->second.first; y += it->second.second; }
    }
    double prior = (all_y - fold_y[fold]) / (all_n - fold_n[fold]);
    double expected = (y + prior * 20) / (n + 20);
    auto row = matrix_->find_row(ids->int64s()[r]);
    ASSERT_TRUE(row.has_value());
    EXPECT_NEAR(matrix_->value(*row, static_cast<size_t>(te)), expected, 1e-6) << ids->int64s()[r];
    ++checked;
  }
  EXPECT_GT(checked, 300u);
}

TEST_F(GeneratedDataTest, ApplyingTheFitComputesWhatTheOnlinePathComputes) {
  // Applied to data it was fitted on: nothing refitted, no level unseen, and each client's row
  // is compute_client's for a new client (target encodings from every training client).
  const std::string before = pipeline_->metadata().dump();
  auto source = HomeCreditSource::open(dir_->string());
  ASSERT_TRUE(source.ok());
  FeatureBuildReport report;
  auto applied = pipeline_->apply(*source, {.threads = 2, .progress = nullptr}, &report);
  ASSERT_TRUE(applied.ok()) << applied.status().to_string();
  EXPECT_EQ(pipeline_->metadata().dump(), before);
  EXPECT_TRUE(report.unseen_levels.empty()) << report.unseen_levels[0].column << " " << report.unseen_levels[0].level;
  ASSERT_EQ(applied->features(), matrix_->features());
  ASSERT_EQ(applied->num_rows(), matrix_->num_rows());
  CsvReadOptions options;
  options.schema = &homecredit_schema(HcTable::kApplicationTest);
  auto test = read_csv_file((*dir_ / "application_test.csv").string(), options);
  ASSERT_TRUE(test.ok());
  for (size_t r = 0; r < test->num_rows(); r += 25) {
    ClientRows client;  // application only: compared on the application's features
    client.application = take_rows(*test, {r});
    int64_t id = client.application.find("SK_ID_CURR")->int64s()[0];
    auto online = pipeline_->compute_client(client);
    ASSERT_TRUE(online.ok());
    auto row = applied->find_row(id);
    ASSERT_TRUE(row.has_value());
    EXPECT_TRUE(applied->is_test(*row));
    for (size_t f = 0; f < online->size(); ++f) {
      if (matrix_->features()[f].table != "application") continue;
      float batch = applied->value(*row, f), now = static_cast<float>((*online)[f]);
      if (std::isnan(batch)) ASSERT_TRUE(std::isnan(now)) << id << " " << matrix_->features()[f].name;
      else ASSERT_EQ(now, batch) << id << " " << matrix_->features()[f].name;
    }
  }
  // The training clients' target encodings are the full ones there, not the out-of-fold ones.
  int te = matrix_->feature_index("ORGANIZATION_TYPE_TARGET_MEAN");
  size_t differ = 0;
  for (size_t r = 0; r < matrix_->num_rows(); ++r)
    if (!matrix_->is_test(r)) differ += applied->value(r, static_cast<size_t>(te)) != matrix_->value(r, static_cast<size_t>(te));
  EXPECT_GT(differ, 0u);
}

TEST_F(GeneratedDataTest, FittedPipelineSurvivesTheFeatureFile) {
  auto restored = FeaturePipeline::from_metadata(matrix_->metadata());
  ASSERT_TRUE(restored.ok()) << restored.status().to_string();
  ASSERT_EQ(restored->features().size(), matrix_->num_features());
  EXPECT_EQ(restored->features()[10].name, matrix_->features()[10].name);
  // A client with no history at all: the application row alone.
  ClientRows client;
  CsvReadOptions options;
  options.schema = &homecredit_schema(HcTable::kApplicationTest);
  auto test = read_csv_file((*dir_ / "application_test.csv").string(), options);
  ASSERT_TRUE(test.ok());
  client.application = take_rows(*test, {0});
  auto v = restored->compute_client(client);
  ASSERT_TRUE(v.ok()) << v.status().to_string();
  int count = matrix_->feature_index("BURO_COUNT");
  EXPECT_TRUE(std::isnan((*v)[static_cast<size_t>(count)]));
  int payment_rate = matrix_->feature_index("PAYMENT_RATE");
  EXPECT_FALSE(std::isnan((*v)[static_cast<size_t>(payment_rate)]));
}

}  // namespace
}  // namespace credo
