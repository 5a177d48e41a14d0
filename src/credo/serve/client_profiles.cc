// The known clients' application rows and the description an officer reads.
#include "credo/serve/client_profiles.h"

#include <algorithm>
#include <array>
#include <cinttypes>
#include <cmath>
#include <string>

#include "credo/data/homecredit.h"
#include "credo/data/homecredit_ranges.h"

namespace credo::serve {
namespace {

using Kind = ProfileFieldKind;

// The one list of curated fields, in the order an officer reads them.
constexpr std::array kProfileFields = {
    ProfileField{"gender", "CODE_GENDER", "Gender", Kind::kGender},
    ProfileField{"age_years", "DAYS_BIRTH", "Age", Kind::kAgeYears},
    ProfileField{"family_status", "NAME_FAMILY_STATUS", "Family status", Kind::kText},
    ProfileField{"children", "CNT_CHILDREN", "Children", Kind::kCount},
    ProfileField{"education", "NAME_EDUCATION_TYPE", "Education", Kind::kText},
    ProfileField{"income_type", "NAME_INCOME_TYPE", "Income type", Kind::kText},
    ProfileField{"occupation", "OCCUPATION_TYPE", "Occupation", Kind::kText},
    ProfileField{"organization", "ORGANIZATION_TYPE", "Organisation", Kind::kText},
    ProfileField{"years_employed", "DAYS_EMPLOYED", "Years employed", Kind::kYearsEmployed},
    ProfileField{"income", "AMT_INCOME_TOTAL", "Income", Kind::kAmount},
    ProfileField{"contract_type", "NAME_CONTRACT_TYPE", "Contract type", Kind::kText},
    ProfileField{"credit", "AMT_CREDIT", "Credit amount", Kind::kAmount},
    ProfileField{"annuity", "AMT_ANNUITY", "Annuity", Kind::kAmount},
    ProfileField{"goods_price", "AMT_GOODS_PRICE", "Goods price", Kind::kAmount},
    ProfileField{"own_car", "FLAG_OWN_CAR", "Owns a car", Kind::kYesNo},
    ProfileField{"own_realty", "FLAG_OWN_REALTY", "Owns a house or flat", Kind::kYesNo},
    ProfileField{"region_rating", "REGION_RATING_CLIENT", "Region rating", Kind::kRating},
    ProfileField{"external_score_1", "EXT_SOURCE_1", "External score 1", Kind::kScore},
    ProfileField{"external_score_2", "EXT_SOURCE_2", "External score 2", Kind::kScore},
    ProfileField{"external_score_3", "EXT_SOURCE_3", "External score 3", Kind::kScore},
};

constexpr double kProfileDaysPerYear = 365.25;

// One decimal, printed as such in JSON (34.5, not 34.500000000000004).
double round_tenth(double value) { return std::round(value * 10) / 10; }

// 1234567.5 -> "1,234,567.50"; whole amounts without decimals.
std::string profile_amount_text(double amount) {
  bool whole = amount == std::floor(amount);
  char digits[64];
  std::snprintf(digits, sizeof digits, whole ? "%.0f" : "%.2f", std::fabs(amount));
  std::string integral(digits), decimals;
  if (auto dot = integral.find('.'); dot != std::string::npos) {
    decimals = integral.substr(dot);
    integral.resize(dot);
  }
  std::string grouped;
  for (size_t i = 0; i < integral.size(); ++i) {
    if (i && (integral.size() - i) % 3 == 0) grouped += ',';
    grouped += integral[i];
  }
  return (amount < 0 ? "-" : "") + grouped + decimals;
}

std::string profile_printf_text(const char* format, double value) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

std::string profile_level_text(Kind kind, std::string_view level) {
  if (kind == Kind::kGender) return level == "F" ? "female" : level == "M" ? "male" : "not given";
  if (kind == Kind::kYesNo) return level == "Y" ? "yes" : level == "N" ? "no" : std::string(level);
  return std::string(level);
}

std::string profile_description_of(std::string_view column) {
  const HcColumnDoc* doc = find_homecredit_doc(HcTable::kApplicationTrain, column);
  return doc ? doc->description : std::string();
}

// One curated field of one row: {key, column, label, value, text, description[, raw]}.
nlohmann::json describe_profile_field(const ProfileField& field, const Column& column, size_t row) {
  nlohmann::json out = {{"key", field.key}, {"column", field.column}, {"label", field.label}};
  std::string description = profile_description_of(field.column);
  if (column.is_missing(row)) {
    out["value"] = nullptr;
    out["text"] = "not given";
  } else if (column.type() == ColumnType::kCategorical) {
    out["value"] = column.category(row);
    out["text"] = profile_level_text(field.kind, column.category(row));
  } else {
    double value = column.as_double(row);
    switch (field.kind) {
      case Kind::kAgeYears: {
        double years = -value / kProfileDaysPerYear;
        out["value"] = round_tenth(years);
        out["text"] = profile_printf_text("%.0f years", std::floor(years));
        out["raw"] = value;
        description += " (shown in years)";
        break;
      }
      case Kind::kYearsEmployed:
        out["raw"] = value;
        if (value == static_cast<double>(kHcNoDate)) {
          out["value"] = nullptr;
          out["text"] = "not employed (pensioner or unemployed)";
          out["not_employed"] = true;
        } else {
          double years = std::max(0.0, -value / kProfileDaysPerYear);
          out["value"] = round_tenth(years);
          out["text"] = years < 1 ? std::string("less than a year") : profile_printf_text("%.1f years", years);
        }
        description += " (shown in years; " + std::to_string(kHcNoDate) + " means not employed)";
        break;
      case Kind::kAmount:
        out["value"] = value;
        out["text"] = profile_amount_text(value);
        break;
      case Kind::kScore:
        out["value"] = value;
        out["text"] = profile_printf_text("%.2f", value);
        break;
      case Kind::kRating:
        out["value"] = value;
        out["text"] = profile_printf_text("%.0f of 3 (1 is the best)", value);
        break;
      default:
        out["value"] = value;
        out["text"] = profile_printf_text("%.0f", value);
        break;
    }
  }
  out["description"] = std::move(description);
  return out;
}

}  // namespace

std::span<const ProfileField> profile_fields() { return kProfileFields; }

const char* outcome_name(int target) { return target == 0 ? "repaid" : target == 1 ? "defaulted" : "unknown"; }

StatusOr<ClientProfiles> ClientProfiles::load(const HomeCreditSource& source, const ClientProfilesOptions& options) {
  CREDO_ASSIGN_OR_RETURN(Table train, load_homecredit_table(source, HcTable::kApplicationTrain, options.threads,
                                                            options.progress));
  CREDO_ASSIGN_OR_RETURN(Table test, load_homecredit_table(source, HcTable::kApplicationTest, options.threads,
                                                           options.progress));
  return from_tables(train, test);
}

StatusOr<ClientProfiles> ClientProfiles::from_tables(const Table& train, const Table& test) {
  ClientProfiles profiles;
  std::vector<std::string> columns;
  for (const auto& spec : homecredit_schema(HcTable::kApplicationTest).columns) columns.push_back(spec.name);
  CREDO_ASSIGN_OR_RETURN(profiles.table_, concat_rows(train, test, columns));
  profiles.table_.set_source("application_train.csv + application_test.csv");
  profiles.num_train_ = train.num_rows();
  auto ids = (*profiles.table_.get("SK_ID_CURR"))->int64s();
  profiles.ids_.assign(ids.begin(), ids.end());
  profiles.targets_.assign(profiles.table_.num_rows(), -1);
  CREDO_ASSIGN_OR_RETURN(const Column* target, train.get("TARGET"));
  for (size_t r = 0; r < train.num_rows(); ++r) {
    double t = target->as_double(r);
    if (t == 0 || t == 1) profiles.targets_[r] = static_cast<int8_t>(t);
  }
  CREDO_RETURN_IF_ERROR(profiles.build_index());
  return profiles;
}

Status ClientProfiles::build_index() {
  if (ids_.empty()) return Status::Ok();
  auto [lo, hi] = std::minmax_element(ids_.begin(), ids_.end());
  auto duplicate = [&](int64_t id) {
    return Status::InvalidArgument("SK_ID_CURR " + std::to_string(id) +
                                   " is twice in application_train.csv and application_test.csv");
  };
  // Kaggle's ids are nearly consecutive: a dense array of rows is smaller and faster than a hash.
  if (static_cast<uint64_t>(*hi - *lo) < 4 * ids_.size() + 1024) {
    min_id_ = *lo;
    dense_.assign(static_cast<size_t>(*hi - *lo) + 1, 0);
    for (size_t r = 0; r < ids_.size(); ++r) {
      uint32_t& slot = dense_[static_cast<size_t>(ids_[r] - min_id_)];
      if (slot) return duplicate(ids_[r]);
      slot = static_cast<uint32_t>(r + 1);
    }
    return Status::Ok();
  }
  sparse_.reserve(ids_.size());
  for (size_t r = 0; r < ids_.size(); ++r)
    if (!sparse_.emplace(ids_[r], static_cast<uint32_t>(r)).second) return duplicate(ids_[r]);
  return Status::Ok();
}

std::optional<size_t> ClientProfiles::find(int64_t id) const {
  if (!dense_.empty()) {
    if (id < min_id_ || static_cast<uint64_t>(id - min_id_) >= dense_.size()) return std::nullopt;
    uint32_t slot = dense_[static_cast<size_t>(id - min_id_)];
    if (!slot) return std::nullopt;
    return slot - 1;
  }
  auto it = sparse_.find(id);
  if (it == sparse_.end()) return std::nullopt;
  return it->second;
}

std::optional<Table> ClientProfiles::application_row(int64_t id) const {
  std::optional<size_t> row = find(id);
  if (!row) return std::nullopt;
  return take_rows(table_, {*row});
}

std::optional<double> ClientProfiles::age_years(size_t row) const {
  const Column* birth = table_.find("DAYS_BIRTH");
  if (!birth || birth->is_missing(row)) return std::nullopt;
  return -birth->as_double(row) / kProfileDaysPerYear;
}

StatusOr<nlohmann::json> ClientProfiles::describe(int64_t id) const {
  std::optional<size_t> row = find(id);
  if (!row) return Status::NotFound("client " + std::to_string(id) + " is not a known client");
  nlohmann::json fields = nlohmann::json::array();
  for (const ProfileField& field : kProfileFields)
    if (const Column* column = table_.find(field.column)) fields.push_back(describe_profile_field(field, *column, *row));
  int target = targets_[*row];
  nlohmann::json outcome = {
      {"target", target < 0 ? nlohmann::json(nullptr) : nlohmann::json(target)},
      {"value", outcome_name(target)},
      {"text", target == 1   ? "defaulted (payment difficulties)"
               : target == 0 ? "repaid"
                             : "unknown (an application_test client)"},
      {"description", profile_description_of("TARGET")},
  };
  return nlohmann::json{{"client_id", id},
                        {"set", is_test(*row) ? "test" : "train"},
                        {"outcome", std::move(outcome)},
                        {"fields", std::move(fields)}};
}

nlohmann::json ClientProfiles::brief(size_t row) const {
  auto text = [&](const char* name) -> nlohmann::json {
    const Column* c = table_.find(name);
    if (!c || c->is_missing(row) || c->type() != ColumnType::kCategorical) return nullptr;
    return c->category(row);
  };
  auto number = [&](const char* name) -> nlohmann::json {
    const Column* c = table_.find(name);
    if (!c || c->is_missing(row)) return nullptr;
    return c->as_double(row);
  };
  std::optional<double> age = age_years(row);
  return {{"client_id", ids_[row]},
          {"gender", text("CODE_GENDER")},
          {"age_years", age ? nlohmann::json(round_tenth(*age)) : nlohmann::json(nullptr)},
          {"income_type", text("NAME_INCOME_TYPE")},
          {"income", number("AMT_INCOME_TOTAL")},
          {"credit", number("AMT_CREDIT")},
          {"outcome", outcome_name(targets_[row])}};
}

}  // namespace credo::serve
