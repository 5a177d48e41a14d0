// The ranges and levels of the Home Credit columns (see homecredit_ranges.h): one table of rules
// from the columns' meaning, the rest read from the embedded profile of real rows, once.
#include "credo/data/homecredit_ranges.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <limits>
#include <map>

#include <nlohmann/json.hpp>

#include "credo/base/resources.h"
#include "credo/base/text.h"

namespace credo {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// ---------------------------------------------------------------------------------------------
// The ranges a column certainly has, whatever the client: from the columns' meaning (an amount
// is never negative, DAYS_* count back from the application) and the dictionary ("normalized"
// columns are in [0, 1]). The first rule whose scope and pattern match a numeric column applies.
// History tables get only rules the full Kaggle data never breaks (its bureau debts, credit
// card balances and down payments do go negative, and previous applications' DAYS_* hold
// kHcNoDate), so real rows are never refused.

enum class RuleScope { kApplication, kHistory, kEveryTable };

struct MeaningRule {
  RuleScope scope;
  std::string_view pattern;  // a column name, or one with a single '*'
  double min, max;
  bool allows_no_date;       // kHcNoDate is allowed besides [min, max]
  bool whole;                // only whole numbers (0 or 1 flags stored as decimals)
  std::string_view expected;
};

constexpr MeaningRule kMeaningRules[] = {
    {RuleScope::kEveryTable, "SK_ID_*", 0, kInfinity, false, false, "an id >= 0"},
    {RuleScope::kEveryTable, "HOUR_APPR_PROCESS_START", 0, 23, false, false, "an hour from 0 to 23"},
    {RuleScope::kApplication, "DAYS_EMPLOYED", -kInfinity, 0, true, false,
     "days before the application (<= 0), or 365243 (not employed)"},
    {RuleScope::kApplication, "DAYS_*", -kInfinity, 0, false, false, "days before the application (<= 0)"},
    {RuleScope::kApplication, "AMT_*", 0, kInfinity, false, false, "an amount >= 0"},
    {RuleScope::kApplication, "EXT_SOURCE_*", 0, 1, false, false, "a normalized score from 0 to 1"},
    {RuleScope::kApplication, "REGION_POPULATION_RELATIVE", 0, 1, false, false, "a normalized value from 0 to 1"},
    {RuleScope::kApplication, "*_AVG", 0, 1, false, false, "a normalized value from 0 to 1"},
    {RuleScope::kApplication, "*_MODE", 0, 1, false, false, "a normalized value from 0 to 1"},
    {RuleScope::kApplication, "*_MEDI", 0, 1, false, false, "a normalized value from 0 to 1"},
    {RuleScope::kApplication, "FLAG_*", 0, 1, false, true, "0 or 1"},
    {RuleScope::kApplication, "REG_*", 0, 1, false, true, "0 or 1"},
    {RuleScope::kApplication, "LIVE_*", 0, 1, false, true, "0 or 1"},
    {RuleScope::kApplication, "CNT_*", 0, kInfinity, false, false, "a count >= 0"},
    {RuleScope::kApplication, "*_CNT_SOCIAL_CIRCLE", 0, kInfinity, false, false, "a count >= 0"},
    {RuleScope::kApplication, "OWN_CAR_AGE", 0, kInfinity, false, false, "an age in years >= 0"},
    {RuleScope::kApplication, "REGION_RATING_CLIENT*", 1, 3, false, true, "a rating 1, 2 or 3"},
    {RuleScope::kHistory, "MONTHS_BALANCE", -kInfinity, 0, false, false, "months before the application (<= 0)"},
    {RuleScope::kHistory, "DAYS_CREDIT", -kInfinity, 0, false, false, "days before the application (<= 0)"},
    {RuleScope::kHistory, "DAYS_DECISION", -kInfinity, 0, false, false, "days before the application (<= 0)"},
    {RuleScope::kHistory, "SK_DPD*", 0, kInfinity, false, false, "days past due >= 0"},
    {RuleScope::kHistory, "CREDIT_DAY_OVERDUE", 0, kInfinity, false, false, "days overdue >= 0"},
    {RuleScope::kHistory, "CNT_*", 0, kInfinity, false, false, "a count >= 0"},
    {RuleScope::kHistory, "NFLAG_*", 0, 1, false, true, "0 or 1"},
};

// Levels of the full Kaggle application files that the profile's sample of rows missed (a
// handful of rows each in application_train.csv), so a real row is never refused.
const std::map<std::string_view, std::vector<std::string_view>> kRareApplicationLevels = {
    {"CODE_GENDER", {"XNA"}},
    {"NAME_INCOME_TYPE", {"Student", "Maternity leave"}},
    {"NAME_FAMILY_STATUS", {"Unknown"}},
};

// The files' codes for "not available" and "not applicable", valid in every text column.
constexpr std::array<std::string_view, 2> kHcTextCodes = {"XNA", "XAP"};

bool is_application(HcTable table) { return table == HcTable::kApplicationTrain || table == HcTable::kApplicationTest; }

const MeaningRule* meaning_rule(HcTable table, std::string_view column) {
  RuleScope scope = is_application(table) ? RuleScope::kApplication : RuleScope::kHistory;
  for (const auto& rule : kMeaningRules)
    if ((rule.scope == scope || rule.scope == RuleScope::kEveryTable) && name_matches(rule.pattern, column)) return &rule;
  return nullptr;
}

// The profile in its file order (levels most frequent first), parsed once for the ranges.
const nlohmann::ordered_json& ordered_profile() {
  static const nlohmann::ordered_json profile = nlohmann::ordered_json::parse(homecredit_profile_json());
  return profile;
}

// The profile's entry of `column` in `table`, or nullptr.
const nlohmann::ordered_json* profiled_column(HcTable table, std::string_view column) {
  const auto& tables = ordered_profile().at("tables");
  auto in_table = tables.find(std::string(homecredit_table(table).name));
  if (in_table == tables.end()) return nullptr;
  const auto& columns = in_table->at("columns");
  auto it = columns.find(std::string(column));
  return it == columns.end() ? nullptr : &*it;
}

std::string number_words(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

HcValueRange make_range(HcTable table, std::string_view column) {
  HcValueRange range{-kInfinity, kInfinity, std::nullopt, false, "", kInfinity, -kInfinity, 0};
  if (const MeaningRule* rule = meaning_rule(table, column)) {
    range.min = rule->min, range.max = rule->max, range.whole = rule->whole;
    range.expected = std::string(rule->expected);
    if (rule->allows_no_date) range.also_allowed = static_cast<double>(kHcNoDate);
  }
  // The application files share their columns; what either file's real rows hold is known.
  std::vector<HcTable> profiled = {table};
  if (is_application(table)) profiled = {HcTable::kApplicationTrain, HcTable::kApplicationTest};
  for (HcTable t : profiled) {
    const nlohmann::ordered_json* entry = profiled_column(t, column);
    if (!entry || !entry->contains("quantiles")) continue;
    const auto& quantiles = entry->at("quantiles");
    if (quantiles.contains("0") && quantiles["0"].is_number())
      range.seen_min = std::min(range.seen_min, quantiles["0"].get<double>());
    if (quantiles.contains("1") && quantiles["1"].is_number())
      range.seen_max = std::max(range.seen_max, quantiles["1"].get<double>());
  }
  double magnitude = range.seen_min <= range.seen_max ? std::max(std::fabs(range.seen_min), std::fabs(range.seen_max)) : 0;
  // With nothing profiled, the bound is what a float feature can hold.
  range.magnitude_bound = range.seen_min <= range.seen_max ? kHcSeenMagnitudeFactor * std::max(magnitude, 1.0)
                                                           : static_cast<double>(std::numeric_limits<float>::max());
  return range;
}

struct TableRanges {
  std::map<std::string, HcValueRange, std::less<>> numeric;
  std::map<std::string, std::vector<std::string>, std::less<>> levels;  // application files only
  std::map<std::string, std::vector<std::string>, std::less<>> seen;    // the profile's levels
};

std::array<TableRanges, kHcTableCount> build_ranges() {
  std::array<TableRanges, kHcTableCount> all;
  for (const auto& info : homecredit_tables()) {
    TableRanges& ranges = all[static_cast<size_t>(info.id)];
    for (const auto& spec : homecredit_schema(info.id).columns) {
      if (spec.type != ColumnType::kCategorical) {
        ranges.numeric.emplace(spec.name, make_range(info.id, spec.name));
        continue;
      }
      if (const nlohmann::ordered_json* entry = profiled_column(info.id, spec.name); entry && entry->contains("levels")) {
        std::vector<std::string>& seen = ranges.seen[spec.name];
        for (const auto& [level, stats] : entry->at("levels").items()) seen.push_back(level);
      }
      if (!is_application(info.id)) continue;
      std::vector<std::string> levels;
      auto add = [&](std::string_view level) {
        if (std::find(levels.begin(), levels.end(), level) == levels.end()) levels.emplace_back(level);
      };
      for (HcTable t : {HcTable::kApplicationTrain, HcTable::kApplicationTest}) {
        const nlohmann::ordered_json* entry = profiled_column(t, spec.name);
        if (!entry || !entry->contains("levels")) continue;
        for (const auto& [level, stats] : entry->at("levels").items()) add(level);
      }
      if (auto rare = kRareApplicationLevels.find(spec.name); rare != kRareApplicationLevels.end())
        for (std::string_view level : rare->second) add(level);
      ranges.levels.emplace(spec.name, std::move(levels));
    }
  }
  return all;
}

const std::array<TableRanges, kHcTableCount>& all_ranges() {
  static const std::array<TableRanges, kHcTableCount> ranges = build_ranges();
  return ranges;
}

}  // namespace

std::optional<double> homecredit_code(std::string_view name) {
  if (name == kHcNoDateName) return static_cast<double>(kHcNoDate);
  return std::nullopt;
}

std::string HcValueRange::data_words() const {
  std::string words = "from " + number_words(std::max(min, -magnitude_bound)) + " to " +
                      number_words(std::min(max, magnitude_bound));
  if (seen_min <= seen_max)
    words += " (" + number_words(kHcSeenMagnitudeFactor) + " times the largest magnitude of the real rows, which hold " +
             number_words(seen_min) + " to " + number_words(seen_max) + ")";
  return words;
}

const HcValueRange* homecredit_range(HcTable table, std::string_view column) {
  const auto& numeric = all_ranges()[static_cast<size_t>(table)].numeric;
  auto it = numeric.find(column);
  return it == numeric.end() ? nullptr : &it->second;
}

const std::vector<std::string>* homecredit_levels_seen(HcTable table, std::string_view column) {
  const auto& seen = all_ranges()[static_cast<size_t>(table)].seen;
  auto it = seen.find(column);
  return it == seen.end() ? nullptr : &it->second;
}

bool is_homecredit_text_code(std::string_view text) {
  return std::find(kHcTextCodes.begin(), kHcTextCodes.end(), text) != kHcTextCodes.end();
}

const std::vector<std::string>* homecredit_application_levels(std::string_view column) {
  const auto& levels = all_ranges()[static_cast<size_t>(HcTable::kApplicationTest)].levels;
  auto it = levels.find(column);
  return it == levels.end() ? nullptr : &it->second;
}

}  // namespace credo
