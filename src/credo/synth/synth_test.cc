// End-to-end tests of the generator: one data set of 20k clients is generated once per suite
// into a temporary directory, read back with the CSV reader, and checked against the profile
// of real rows and against the structure of the Kaggle files.
#include "credo/synth/synth.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include "credo/base/temp_dir.h"
#include "credo/data/csv_reader.h"
#include "credo/synth/column_model.h"
#include "credo/synth/table_rows.h"

namespace credo {
namespace {

namespace fs = std::filesystem;
constexpr int64_t kClients = 20000;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const nlohmann::json& profile_column(HcTable t, const std::string& column) {
  // The test file is generated like train (plus drift): compare it with the train profile.
  HcTable source = t == HcTable::kApplicationTest ? HcTable::kApplicationTrain : t;
  return homecredit_profile().at("tables").at(std::string(homecredit_table(source).name)).at("columns").at(column);
}

class SynthTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    temp_ = new TempDir("synth");
    dir_ = new fs::path(temp_->path());
    SynthOptions o;
    o.clients = kClients;
    o.seed = 7;
    o.out_dir = (*dir_ / "a").string();
    o.threads = 2;
    auto result = generate_homecredit(o);
    ASSERT_TRUE(result.ok()) << result.status().to_string();
    summary_ = new SynthSummary(*result);
    tables_ = new std::map<HcTable, Table>();
    for (const auto& info : homecredit_tables()) {
      CsvReadOptions ro;
      ro.schema = &homecredit_schema(info.id);
      auto table = read_csv_file(o.out_dir + "/" + std::string(info.file_name), ro);
      ASSERT_TRUE(table.ok()) << table.status().to_string();
      tables_->emplace(info.id, std::move(*table));
    }
  }
  static void TearDownTestSuite() {
    delete tables_;
    delete summary_;
    delete dir_;
    delete temp_;
  }
  static const Table& table(HcTable t) { return tables_->at(t); }
  static const Column& column(HcTable t, const char* name) {
    auto c = table(t).get(name);
    EXPECT_TRUE(c.ok()) << name;
    return **c;
  }
  static fs::path out() { return *dir_ / "a"; }

  static TempDir* temp_;
  static fs::path* dir_;
  static SynthSummary* summary_;
  static std::map<HcTable, Table>* tables_;
};
TempDir* SynthTest::temp_ = nullptr;
fs::path* SynthTest::dir_ = nullptr;
SynthSummary* SynthTest::summary_ = nullptr;
std::map<HcTable, Table>* SynthTest::tables_ = nullptr;

TEST_F(SynthTest, HeadersAreTheKaggleHeaders) {
  for (const auto& info : homecredit_tables()) {
    std::string text = read_file(out() / std::string(info.file_name));
    std::string header = text.substr(0, text.find('\n') + 1);
    EXPECT_EQ(header, synth::csv_header(info.id)) << info.file_name;
    const Schema& schema = homecredit_schema(info.id);
    const auto& prof = homecredit_profile().at("tables").at(std::string(info.name)).at("columns");
    ASSERT_EQ(schema.size(), prof.size()) << info.file_name;
    for (const ColumnSpec& spec : schema.columns) EXPECT_TRUE(prof.contains(spec.name)) << spec.name;
    // Reading with the schema kept every column's type.
    const Table& t = table(info.id);
    ASSERT_EQ(t.num_columns(), schema.size());
    for (size_t c = 0; c < schema.size(); ++c) {
      EXPECT_EQ(t.column(c).name(), schema.columns[c].name);
      EXPECT_EQ(t.column(c).type(), schema.columns[c].type) << schema.columns[c].name;
    }
  }
  EXPECT_EQ(table(HcTable::kApplicationTest).find("TARGET"), nullptr);
}

TEST_F(SynthTest, ValuesAreWrittenLikeKaggle) {
  std::string train = read_file(out() / "application_train.csv");
  EXPECT_NE(train.find("\"Spouse, partner\""), std::string::npos);
  EXPECT_NE(train.find(",365243,"), std::string::npos);  // DAYS_EMPLOYED is an int column
  std::string second_line = train.substr(train.find('\n') + 1);
  second_line = second_line.substr(0, second_line.find('\n'));
  EXPECT_EQ(second_line.rfind("100002,", 0), 0u) << second_line;
  // AMT_INCOME_TOTAL is a float column: "xxx.0" style.
  EXPECT_NE(second_line.find(".0,"), std::string::npos);
}

TEST_F(SynthTest, RowCountsAndShares) {
  const auto& rows = summary_->rows;
  int64_t train = rows[0], test = rows[1];
  EXPECT_EQ(train + test, kClients);
  EXPECT_NEAR(static_cast<double>(test) / kClients, 48744.0 / 356255.0, 0.01);
  // Rows per client near the full data's (1.72M bureau ... for 356,255 clients).
  auto per_client = [&](HcTable t) { return static_cast<double>(rows[static_cast<size_t>(t)]) / kClients; };
  EXPECT_NEAR(per_client(HcTable::kBureau), 1716428.0 / 356255, 0.5);
  EXPECT_NEAR(per_client(HcTable::kBureauBalance), 27299925.0 / 356255, 15);
  EXPECT_NEAR(per_client(HcTable::kPreviousApplication), 1670214.0 / 356255, 0.5);
  EXPECT_NEAR(per_client(HcTable::kPosCashBalance), 10001358.0 / 356255, 8);
  EXPECT_NEAR(per_client(HcTable::kInstallmentsPayments), 13605401.0 / 356255, 8);
  EXPECT_NEAR(per_client(HcTable::kCreditCardBalance), 3840312.0 / 356255, 3);
  for (const auto& info : homecredit_tables())
    EXPECT_EQ(static_cast<int64_t>(table(info.id).num_rows()), rows[static_cast<size_t>(info.id)]) << info.name;
  // Clients with any history (real: 305,811 bureau, 338,857 previous, 103,558 cards of 356,255).
  auto clients_with = [&](HcTable t) {
    auto ids = column(t, "SK_ID_CURR").int64s();
    return static_cast<double>(std::set<int64_t>(ids.begin(), ids.end()).size()) / kClients;
  };
  EXPECT_NEAR(clients_with(HcTable::kBureau), 305811.0 / 356255, 0.03);
  EXPECT_NEAR(clients_with(HcTable::kPreviousApplication), 338857.0 / 356255, 0.03);
  EXPECT_NEAR(clients_with(HcTable::kCreditCardBalance), 103558.0 / 356255, 0.06);
}

TEST_F(SynthTest, MissingRatesFollowTheProfile) {
  // Columns whose missingness is structural here (set by the generator's logic, not drawn):
  // checked with a wider tolerance.
  const std::set<std::string> structural = {
      "AMT_DRAWINGS_ATM_CURRENT",  "AMT_DRAWINGS_OTHER_CURRENT", "AMT_DRAWINGS_POS_CURRENT",
      "CNT_DRAWINGS_ATM_CURRENT",  "CNT_DRAWINGS_OTHER_CURRENT", "CNT_DRAWINGS_POS_CURRENT",
      "AMT_PAYMENT_CURRENT",       "AMT_INST_MIN_REGULARITY",    "CNT_INSTALMENT_MATURE_CUM",
      "RATE_DOWN_PAYMENT",         "AMT_DOWN_PAYMENT",           "AMT_GOODS_PRICE"};
  for (HcTable t : {HcTable::kApplicationTrain, HcTable::kBureau, HcTable::kPreviousApplication,
                    HcTable::kPosCashBalance, HcTable::kInstallmentsPayments, HcTable::kCreditCardBalance}) {
    const Table& tab = table(t);
    for (const Column& col : tab.columns()) {
      double expected = profile_column(t, col.name()).at("missing_rate").get<double>();
      double got = static_cast<double>(col.missing_count()) / static_cast<double>(tab.num_rows());
      double tolerance = structural.count(col.name()) ? 0.12 : 0.03;
      EXPECT_NEAR(got, expected, tolerance) << homecredit_table(t).name << "." << col.name();
    }
  }
}

TEST_F(SynthTest, HousingBlockIsMissingTogether) {
  const Table& app = table(HcTable::kApplicationTrain);
  const auto& group = homecredit_profile()["tables"]["application_train"]["missing_together_groups_loose_jaccard_0.7"][0];
  std::vector<const Column*> cols;
  for (const auto& name : group["columns"]) cols.push_back(app.find(name.get<std::string>()));
  ASSERT_GE(cols.size(), 40u);
  size_t all_missing = 0;
  for (size_t r = 0; r < app.num_rows(); ++r) {
    bool all = true;
    for (const Column* c : cols) all = all && c->is_missing(r);
    all_missing += all;
  }
  EXPECT_NEAR(static_cast<double>(all_missing) / app.num_rows(), group["share_rows_all_missing"].get<double>(), 0.03);
}

// Quantiles of key numeric columns within 10% of the profile's 5%-95% range.
TEST_F(SynthTest, QuantilesFollowTheProfile) {
  const std::vector<std::pair<HcTable, std::vector<const char*>>> key_columns = {
      {HcTable::kApplicationTrain,
       {"AMT_INCOME_TOTAL", "AMT_CREDIT", "AMT_GOODS_PRICE", "DAYS_BIRTH", "DAYS_REGISTRATION", "DAYS_ID_PUBLISH",
        "EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3", "REGION_POPULATION_RELATIVE", "APARTMENTS_AVG",
        "DAYS_LAST_PHONE_CHANGE", "AMT_ANNUITY"}},
      {HcTable::kBureau, {"DAYS_CREDIT", "AMT_CREDIT_SUM", "DAYS_CREDIT_UPDATE", "DAYS_ENDDATE_FACT"}},
      {HcTable::kBureauBalance, {"MONTHS_BALANCE"}},
      {HcTable::kPreviousApplication, {"DAYS_DECISION", "AMT_APPLICATION", "AMT_CREDIT", "CNT_PAYMENT", "AMT_ANNUITY"}},
      {HcTable::kPosCashBalance, {"MONTHS_BALANCE", "CNT_INSTALMENT"}},
      {HcTable::kInstallmentsPayments, {"DAYS_INSTALMENT", "DAYS_ENTRY_PAYMENT", "NUM_INSTALMENT_NUMBER"}},
      {HcTable::kCreditCardBalance, {"MONTHS_BALANCE", "AMT_CREDIT_LIMIT_ACTUAL"}},
  };
  for (const auto& [t, names] : key_columns) {
    for (const char* name : names) {
      const Column& col = column(t, name);
      std::vector<double> values;
      for (size_t r = 0; r < col.size(); ++r)
        if (!col.is_missing(r)) values.push_back(col.as_double(r));
      std::sort(values.begin(), values.end());
      const auto& q = profile_column(t, name).at("quantiles");
      double range = q.at("0.95").get<double>() - q.at("0.05").get<double>();
      for (const char* p : {"0.25", "0.5", "0.75"}) {
        double expected = q.at(p).get<double>();
        double got = values[static_cast<size_t>(std::stod(p) * (values.size() - 1))];
        EXPECT_NEAR(got, expected, 0.12 * range) << homecredit_table(t).name << "." << name << " q" << p;
      }
    }
  }
}

TEST_F(SynthTest, CategoryLevelsFollowTheProfile) {
  for (const auto& info : homecredit_tables()) {
    if (info.id == HcTable::kApplicationTest) continue;
    const Table& tab = table(info.id);
    for (const Column& col : tab.columns()) {
      if (col.type() != ColumnType::kCategorical) continue;
      std::map<std::string, double> share;
      size_t present = 0;
      for (size_t r = 0; r < col.size(); ++r)
        if (!col.is_missing(r)) {
          share[std::string(col.category(r))] += 1;
          ++present;
        }
      for (const auto& [level, info_level] : profile_column(info.id, col.name()).at("levels").items()) {
        double expected = info_level.at("share_of_non_missing").get<double>();
        // Consistency with other columns (type, status) moves a few shares; 0.09 bounds them.
        EXPECT_NEAR(share[level] / present, expected, 0.09) << info.name << "." << col.name() << "=" << level;
      }
    }
  }
}

TEST_F(SynthTest, PensionersHaveTheDaysEmployedPlaceholder) {
  const Column& employed = column(HcTable::kApplicationTrain, "DAYS_EMPLOYED");
  const Column& income_type = column(HcTable::kApplicationTrain, "NAME_INCOME_TYPE");
  const Column& organization = column(HcTable::kApplicationTrain, "ORGANIZATION_TYPE");
  size_t special = 0;
  for (size_t r = 0; r < employed.size(); ++r) {
    bool placeholder = employed.int64s()[r] == 365243;
    special += placeholder;
    EXPECT_EQ(placeholder, income_type.category(r) == "Pensioner") << r;
    EXPECT_EQ(placeholder, organization.category(r) == "XNA") << r;
    if (!placeholder) { ASSERT_LT(employed.int64s()[r], 0); }
  }
  EXPECT_NEAR(static_cast<double>(special) / employed.size(), 0.185, 0.02);
}

TEST_F(SynthTest, KeysAreUniqueAndJoin) {
  std::set<int64_t> clients;
  for (HcTable t : {HcTable::kApplicationTrain, HcTable::kApplicationTest})
    for (int64_t id : column(t, "SK_ID_CURR").int64s()) EXPECT_TRUE(clients.insert(id).second) << id;
  EXPECT_EQ(*clients.begin(), 100002);
  std::set<int64_t> bureau_ids;
  auto bureau_curr = column(HcTable::kBureau, "SK_ID_CURR").int64s();
  auto bureau_id = column(HcTable::kBureau, "SK_ID_BUREAU").int64s();
  for (size_t r = 0; r < bureau_id.size(); ++r) {
    ASSERT_TRUE(bureau_ids.insert(bureau_id[r]).second) << bureau_id[r];
    ASSERT_TRUE(clients.count(bureau_curr[r]));
  }
  EXPECT_GE(*bureau_ids.begin(), 5000000);
  for (int64_t id : column(HcTable::kBureauBalance, "SK_ID_BUREAU").int64s()) ASSERT_TRUE(bureau_ids.count(id)) << id;
  std::map<int64_t, std::pair<int64_t, std::string>> previous;  // SK_ID_PREV -> client, status
  const Column& prev_id = column(HcTable::kPreviousApplication, "SK_ID_PREV");
  const Column& prev_curr = column(HcTable::kPreviousApplication, "SK_ID_CURR");
  const Column& status = column(HcTable::kPreviousApplication, "NAME_CONTRACT_STATUS");
  for (size_t r = 0; r < prev_id.size(); ++r) {
    auto [it, inserted] = previous.emplace(prev_id.int64s()[r], std::pair{prev_curr.int64s()[r], std::string(status.category(r))});
    ASSERT_TRUE(inserted) << prev_id.int64s()[r];
    ASSERT_TRUE(clients.count(prev_curr.int64s()[r]));
  }
  EXPECT_GE(previous.begin()->first, 1000000);
  for (HcTable t : {HcTable::kPosCashBalance, HcTable::kInstallmentsPayments, HcTable::kCreditCardBalance}) {
    auto ids = column(t, "SK_ID_PREV").int64s();
    auto curr = column(t, "SK_ID_CURR").int64s();
    for (size_t r = 0; r < ids.size(); ++r) {
      auto it = previous.find(ids[r]);
      ASSERT_NE(it, previous.end()) << homecredit_table(t).name << " " << ids[r];
      ASSERT_EQ(it->second.first, curr[r]);
      ASSERT_EQ(it->second.second, "Approved") << "monthly rows only for approved applications";
    }
  }
}

TEST_F(SynthTest, DatesAreOrdered) {
  auto credit = column(HcTable::kBureau, "DAYS_CREDIT").int64s();
  auto update = column(HcTable::kBureau, "DAYS_CREDIT_UPDATE").int64s();
  const Column& fact = column(HcTable::kBureau, "DAYS_ENDDATE_FACT");
  const Column& active = column(HcTable::kBureau, "CREDIT_ACTIVE");
  for (size_t r = 0; r < credit.size(); ++r) {
    ASSERT_LE(credit[r], update[r]);
    ASSERT_LE(update[r], 0);
    if (!fact.is_missing(r)) {
      ASSERT_GE(fact.doubles()[r], credit[r]);
      ASSERT_LE(fact.doubles()[r], 0);
    }
    ASSERT_EQ(fact.is_missing(r), active.category(r) == "Active");
  }
  for (HcTable t : {HcTable::kBureauBalance, HcTable::kPosCashBalance, HcTable::kCreditCardBalance})
    for (int64_t m : column(t, "MONTHS_BALANCE").int64s()) {
      ASSERT_LE(m, 0);
      ASSERT_GE(m, -96);
    }
  const Column& decision = column(HcTable::kPreviousApplication, "DAYS_DECISION");
  const Column& first_due = column(HcTable::kPreviousApplication, "DAYS_FIRST_DUE");
  const Column& last_due_1st = column(HcTable::kPreviousApplication, "DAYS_LAST_DUE_1ST_VERSION");
  for (size_t r = 0; r < decision.size(); ++r) {
    if (first_due.is_missing(r) || first_due.doubles()[r] == 365243) continue;
    ASSERT_GE(first_due.doubles()[r], decision.int64s()[r]);
    if (last_due_1st.doubles()[r] != 365243) { ASSERT_GE(last_due_1st.doubles()[r], first_due.doubles()[r]); }
  }
}

TEST_F(SynthTest, PaymentsMatchInstalments) {
  const Column& due = column(HcTable::kInstallmentsPayments, "DAYS_INSTALMENT");
  const Column& paid_on = column(HcTable::kInstallmentsPayments, "DAYS_ENTRY_PAYMENT");
  const Column& amount = column(HcTable::kInstallmentsPayments, "AMT_INSTALMENT");
  const Column& paid = column(HcTable::kInstallmentsPayments, "AMT_PAYMENT");
  size_t exact = 0, late = 0, n = due.size();
  for (size_t r = 0; r < n; ++r) {
    ASSERT_LE(paid.doubles()[r], amount.doubles()[r] + 0.011) << r;
    ASSERT_LE(paid_on.doubles()[r], -1);
    exact += std::fabs(paid.doubles()[r] - amount.doubles()[r]) < 0.011;
    late += paid_on.doubles()[r] > due.doubles()[r];
    ASSERT_LT(std::fabs(paid_on.doubles()[r] - due.doubles()[r]), 2000);
  }
  EXPECT_GT(static_cast<double>(exact) / n, 0.65);
  EXPECT_GT(static_cast<double>(late) / n, 0.03);
  EXPECT_LT(static_cast<double>(late) / n, 0.25);
}

TEST_F(SynthTest, ApplicationAmountsAreConsistent) {
  const Column& credit = column(HcTable::kApplicationTrain, "AMT_CREDIT");
  const Column& annuity = column(HcTable::kApplicationTrain, "AMT_ANNUITY");
  const Column& goods = column(HcTable::kApplicationTrain, "AMT_GOODS_PRICE");
  for (size_t r = 0; r < credit.size(); ++r) {
    double ratio = annuity.doubles()[r] / credit.doubles()[r];
    ASSERT_GT(ratio, 0.015) << r;
    ASSERT_LT(ratio, 0.11) << r;
    if (!goods.is_missing(r)) {
      ASSERT_LE(goods.doubles()[r], credit.doubles()[r] * 1.02);
      ASSERT_GE(goods.doubles()[r], credit.doubles()[r] * 0.75);
    }
  }
  const Column& status = column(HcTable::kPreviousApplication, "NAME_CONTRACT_STATUS");
  const Column& reject = column(HcTable::kPreviousApplication, "CODE_REJECT_REASON");
  for (size_t r = 0; r < status.size(); ++r)
    if (status.category(r) == "Refused") { ASSERT_NE(reject.category(r), "XAP"); }
}

TEST_F(SynthTest, TargetIsRealistic) {
  EXPECT_NEAR(summary_->default_rate, 0.081, 0.006);
  EXPECT_GE(summary_->bayes_auc, 0.80);
  EXPECT_LE(summary_->bayes_auc, 0.83);
  EXPECT_LE(summary_->app_only_auc, 0.775);
  EXPECT_GE(summary_->app_only_auc, 0.70);
  // Default rate by EXT_SOURCE_2 decile: ~19% at the bottom, ~3% at the top on the real data.
  const Column& ext = column(HcTable::kApplicationTrain, "EXT_SOURCE_2");
  auto target = column(HcTable::kApplicationTrain, "TARGET").int64s();
  std::vector<std::pair<double, int64_t>> pairs;
  for (size_t r = 0; r < ext.size(); ++r)
    if (!ext.is_missing(r)) pairs.emplace_back(ext.doubles()[r], target[r]);
  std::sort(pairs.begin(), pairs.end());
  auto rate = [&](size_t lo, size_t hi) {
    double sum = 0;
    for (size_t i = lo; i < hi; ++i) sum += static_cast<double>(pairs[i].second);
    return sum / static_cast<double>(hi - lo);
  };
  EXPECT_NEAR(rate(0, pairs.size() / 10), 0.19, 0.06);
  EXPECT_NEAR(rate(pairs.size() * 9 / 10, pairs.size()), 0.03, 0.025);
  // The truth file: one row per client, probabilities in (0, 1).
  std::string truth = read_file(out() / "synth_truth.csv");
  EXPECT_EQ(truth.rfind("SK_ID_CURR,SET,TRUE_PD,APP_PD\n", 0), 0u);
  EXPECT_EQ(std::count(truth.begin(), truth.end(), '\n'), kClients + 1);
  auto summary = nlohmann::json::parse(read_file(out() / "synth_summary.json"));
  EXPECT_EQ(summary["clients"], kClients);
  EXPECT_EQ(summary["rows"]["bureau.csv"], summary_->rows[2]);
}

// The same seed gives the same bytes whatever the thread count; another seed differs.
TEST_F(SynthTest, DeterministicAcrossThreadCounts) {
  SynthOptions o;
  o.clients = kClients;
  o.seed = 7;
  o.out_dir = (*dir_ / "b").string();
  o.threads = 1;
  ASSERT_TRUE(generate_homecredit(o).ok());
  for (const auto& info : homecredit_tables())
    EXPECT_TRUE(read_file(out() / std::string(info.file_name)) == read_file(*dir_ / "b" / std::string(info.file_name)))
        << info.file_name;
  EXPECT_EQ(read_file(out() / "synth_truth.csv"), read_file(*dir_ / "b" / "synth_truth.csv"));
  o.clients = 500;
  o.seed = 8;
  o.out_dir = (*dir_ / "c").string();
  ASSERT_TRUE(generate_homecredit(o).ok());
  o.seed = 9;
  o.out_dir = (*dir_ / "d").string();
  ASSERT_TRUE(generate_homecredit(o).ok());
  EXPECT_NE(read_file(*dir_ / "c" / "bureau.csv"), read_file(*dir_ / "d" / "bureau.csv"));
  EXPECT_NE(read_file(*dir_ / "c" / "application_train.csv"), read_file(*dir_ / "d" / "application_train.csv"));
}

// Drift changes only the documented columns of the test clients, by the documented amounts.
TEST_F(SynthTest, DriftShiftsTheDocumentedColumns) {
  auto load = [&](double drift, const std::string& name) {
    SynthOptions o;
    o.clients = 8000;
    o.seed = 11;
    o.drift = drift;
    o.out_dir = (*dir_ / name).string();
    EXPECT_TRUE(generate_homecredit(o).ok());
    CsvReadOptions ro;
    ro.schema = &homecredit_schema(HcTable::kApplicationTest);
    return std::move(*read_csv_file(o.out_dir + "/application_test.csv", ro));
  };
  Table base = load(0, "drift0"), shifted = load(2, "drift2");
  EXPECT_EQ(read_file(*dir_ / "drift0" / "application_train.csv"), read_file(*dir_ / "drift2" / "application_train.csv"));
  ASSERT_EQ(base.num_rows(), shifted.num_rows());
  auto mean = [](const Table& t, const char* name) {
    const Column& c = **t.get(name);
    double sum = 0, n = 0;
    for (size_t r = 0; r < c.size(); ++r)
      if (!c.is_missing(r)) {
        sum += c.as_double(r);
        n += 1;
      }
    return sum / n;
  };
  EXPECT_NEAR(mean(shifted, "AMT_INCOME_TOTAL") / mean(base, "AMT_INCOME_TOTAL"), 1.2, 0.01);
  EXPECT_NEAR(mean(base, "EXT_SOURCE_3") - mean(shifted, "EXT_SOURCE_3"), 0.1, 0.02);
  auto revolving = [](const Table& t) {
    const Column& c = **t.get("NAME_CONTRACT_TYPE");
    double n = 0;
    for (size_t r = 0; r < c.size(); ++r) n += c.category(r) == "Revolving loans";
    return n / c.size();
  };
  EXPECT_GT(revolving(base), 0.07);
  EXPECT_LT(revolving(shifted), 0.005);
  EXPECT_NEAR(mean(shifted, "DAYS_BIRTH"), mean(base, "DAYS_BIRTH"), 1e-9);  // undocumented: unchanged
}

TEST(SynthErrors, BadArgumentsAreRejected) {
  SynthOptions o;
  TempDir dir("synth_err");
  o.out_dir = (dir / "out").string();
  o.clients = 0;
  EXPECT_EQ(generate_homecredit(o).status().code(), StatusCode::kInvalidArgument);
  o.clients = 10;
  o.drift = -1;
  EXPECT_EQ(generate_homecredit(o).status().code(), StatusCode::kInvalidArgument);
  o.drift = NAN;
  EXPECT_EQ(generate_homecredit(o).status().code(), StatusCode::kInvalidArgument);
  o.drift = 1;
  o.out_dir = "/proc/credo_cannot_write_here";
  auto result = generate_homecredit(o);
  EXPECT_EQ(result.status().code(), StatusCode::kIoError);
  EXPECT_NE(result.status().message().find("/proc/credo_cannot_write_here"), std::string::npos);
}

TEST(SynthCommand, ExitCodes) {
  TempDir temp("synth_cli");
  std::string dir = (temp / "out").string();
  std::string bin = CREDO_BINARY;
  EXPECT_NE(std::system((bin + " synth --clients 0 --out " + dir + " --quiet 2>/dev/null").c_str()), 0);
  EXPECT_NE(std::system((bin + " synth --clients 10 --drift -1 --out " + dir + " --quiet 2>/dev/null").c_str()), 0);
  EXPECT_EQ(std::system((bin + " synth --clients 300 --seed 3 --out " + dir + " --quiet >/dev/null").c_str()), 0);
  EXPECT_TRUE(fs::exists(fs::path(dir) / "credit_card_balance.csv"));
}

}  // namespace
}  // namespace credo
