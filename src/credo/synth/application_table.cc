#include "credo/synth/application_table.h"

#include <algorithm>
#include <map>

#include "credo/data/homecredit_ranges.h"
#include "credo/synth/table_rows.h"

namespace credo::synth {

namespace {
enum Factor { kNone = 0, kRisk = 1, kWealth = 2, kRegion = 3, kSocial = 4, kFirstStem = 5 };

// Copula loadings: how strongly a column follows a latent factor (sign: + means a higher
// value goes with more of the factor; for risk, higher = riskier).
struct NamedLoading {
  const char* column;
  int factor;
  double rho;
};
constexpr NamedLoading kLoadings[] = {
    {"EXT_SOURCE_1", kRisk, -0.55},        {"EXT_SOURCE_2", kRisk, -0.6},
    {"EXT_SOURCE_3", kRisk, -0.55},        {"DAYS_BIRTH", kRisk, 0.25},
    {"DAYS_EMPLOYED", kRisk, 0.25},        {"DAYS_ID_PUBLISH", kRisk, 0.12},
    {"DAYS_REGISTRATION", kRisk, 0.08},    {"DAYS_LAST_PHONE_CHANGE", kRisk, 0.12},
    {"AMT_INCOME_TOTAL", kWealth, 0.8},    {"AMT_CREDIT", kWealth, 0.5},
    {"REGION_RATING_CLIENT", kRegion, 0.9}, {"REGION_RATING_CLIENT_W_CITY", kRegion, 0.9},
    {"REGION_POPULATION_RELATIVE", kRegion, -0.7},
    {"OBS_30_CNT_SOCIAL_CIRCLE", kSocial, 0.97}, {"OBS_60_CNT_SOCIAL_CIRCLE", kSocial, 0.97},
    {"DEF_30_CNT_SOCIAL_CIRCLE", kRisk, 0.15},   {"DEF_60_CNT_SOCIAL_CIRCLE", kRisk, 0.15},
};

std::string housing_stem(const std::string& name) {
  for (const char* suffix : {"_AVG", "_MODE", "_MEDI"}) {
    size_t n = std::char_traits<char>::length(suffix);
    if (name.size() > n && name.compare(name.size() - n, n, suffix) == 0 && name != "FONDKAPREMONT_MODE" &&
        name != "HOUSETYPE_MODE" && name != "WALLSMATERIAL_MODE" && name != "EMERGENCYSTATE_MODE")
      return name.substr(0, name.size() - n);
  }
  return "";
}

double round_to(double v, double step) { return std::round(v / step) * step; }
}  // namespace

ApplicationGenerator::ApplicationGenerator(double drift)
    : model_(table_model(HcTable::kApplicationTrain)), drift_(drift) {
  const TableModel& m = model_;
  loadings_.assign(m.columns.size(), {});
  for (const auto& l : kLoadings) loadings_[static_cast<size_t>(m.at(l.column))] = {l.factor, l.rho};
  // AVG / MODE / MEDI of one housing statistic follow one shared factor (nearly equal values).
  std::map<std::string, int> stems;
  factor_count_ = kFirstStem;
  for (size_t c = 0; c < m.columns.size(); ++c) {
    std::string stem = housing_stem(m.columns[c].name);
    if (stem.empty()) continue;
    auto [it, inserted] = stems.emplace(stem, factor_count_);
    if (inserted) ++factor_count_;
    loadings_[c] = {it->second, 0.97};
  }
  id_ = m.at("SK_ID_CURR");
  target_ = m.at("TARGET");
  contract_ = m.at("NAME_CONTRACT_TYPE");
  gender_ = m.at("CODE_GENDER");
  own_car_ = m.at("FLAG_OWN_CAR");
  income_type_ = m.at("NAME_INCOME_TYPE");
  education_ = m.at("NAME_EDUCATION_TYPE");
  family_ = m.at("NAME_FAMILY_STATUS");
  occupation_ = m.at("OCCUPATION_TYPE");
  organization_ = m.at("ORGANIZATION_TYPE");
  days_birth_ = m.at("DAYS_BIRTH");
  days_employed_ = m.at("DAYS_EMPLOYED");
  emp_phone_ = m.at("FLAG_EMP_PHONE");
  income_ = m.at("AMT_INCOME_TOTAL");
  credit_ = m.at("AMT_CREDIT");
  annuity_ = m.at("AMT_ANNUITY");
  goods_ = m.at("AMT_GOODS_PRICE");
  children_ = m.at("CNT_CHILDREN");
  family_members_ = m.at("CNT_FAM_MEMBERS");
  car_age_ = m.at("OWN_CAR_AGE");
  registration_ = m.at("DAYS_REGISTRATION");
  id_publish_ = m.at("DAYS_ID_PUBLISH");
  phone_change_ = m.at("DAYS_LAST_PHONE_CHANGE");
  ext_[0] = m.at("EXT_SOURCE_1");
  ext_[1] = m.at("EXT_SOURCE_2");
  ext_[2] = m.at("EXT_SOURCE_3");
  region_rating_ = m.at("REGION_RATING_CLIENT");
  obs30_ = m.at("OBS_30_CNT_SOCIAL_CIRCLE");
  def30_ = m.at("DEF_30_CNT_SOCIAL_CIRCLE");
  obs60_ = m.at("OBS_60_CNT_SOCIAL_CIRCLE");
  def60_ = m.at("DEF_60_CNT_SOCIAL_CIRCLE");
  const auto& col = [&](int c) -> const ColumnModel& { return m.columns[static_cast<size_t>(c)]; };
  cash_ = col(contract_).level_index("Cash loans");
  revolving_ = col(contract_).level_index("Revolving loans");
  pensioner_ = col(income_type_).level_index("Pensioner");
  xna_org_ = col(organization_).level_index("XNA");
  car_yes_ = col(own_car_).level_index("Y");
  male_ = col(gender_).level_index("M");
  married_ = col(family_).level_index("Married");
  civil_ = col(family_).level_index("Civil marriage");
  for (size_t i = 0; i < col(income_type_).levels.size(); ++i)
    non_pensioner_types_.push_back(static_cast<int>(i) != pensioner_);
  for (size_t i = 0; i < col(organization_).levels.size(); ++i)
    non_xna_orgs_.push_back(static_cast<int>(i) != xna_org_);
  auto kinds = [&](int c, const std::map<std::string, int>& by_level, int otherwise) {
    std::vector<int> out;
    for (const auto& level : col(c).levels) {
      auto it = by_level.find(level);
      out.push_back(it == by_level.end() ? otherwise : it->second);
    }
    return out;
  };
  education_kind_ = kinds(education_, {{"Secondary / secondary special", 0}, {"Higher education", 1},
                                       {"Incomplete higher", 2}, {"Lower secondary", 3}, {"Academic degree", 4}}, 0);
  income_kind_ = kinds(income_type_, {{"Working", 0}, {"Commercial associate", 1}, {"Pensioner", 2},
                                      {"State servant", 3}}, 4);
  occupation_kind_ = kinds(occupation_, {{"Laborers", -1}, {"Drivers", -1}, {"Low-skill Laborers", -1},
                                         {"Security staff", -1}, {"Cooking staff", -1}, {"Waiters/barmen staff", -1},
                                         {"Accountants", 1}, {"Managers", 1}, {"Core staff", 1},
                                         {"High skill tech staff", 1}, {"IT staff", 1}, {"HR staff", 1}}, 0);
}

AppFacts ApplicationGenerator::generate(const ClientPlan& plan, Rng& rng, std::vector<double>& values) const {
  const TableModel& m = model_;
  const size_t n = m.columns.size();
  thread_local std::vector<uint8_t> missing;
  thread_local std::vector<double> factor, uniform;
  m.draw_missing(rng, missing);
  factor.assign(static_cast<size_t>(factor_count_), 0.0);
  factor[kRisk] = plan.risk;
  factor[kWealth] = plan.wealth;
  for (int f = kRegion; f < factor_count_; ++f) factor[static_cast<size_t>(f)] = rng.normal();
  values.resize(n);
  uniform.resize(n);
  // Gaussian copula: u = Phi(rho * factor + sqrt(1 - rho^2) * noise), then the profile's
  // inverse CDF, so each column keeps its marginal while following the client's factors.
  for (size_t c = 0; c < n; ++c) {
    const Loading& l = loadings_[c];
    double u = l.factor == kNone ? rng.uniform()
                                 : normal_cdf(l.rho * factor[static_cast<size_t>(l.factor)] +
                                              std::sqrt(1 - l.rho * l.rho) * rng.normal());
    uniform[c] = u;
    values[c] = missing[c] ? kMissing : m.columns[c].value_at(u);
  }
  auto v = [&](int c) -> double& { return values[static_cast<size_t>(c)]; };
  auto u_of = [&](int c) { return uniform[static_cast<size_t>(c)]; };
  const auto& col = [&](int c) -> const ColumnModel& { return m.columns[static_cast<size_t>(c)]; };
  v(id_) = static_cast<double>(plan.client_id);
  v(target_) = 0;

  // Drift: far fewer revolving loans in the test set.
  if (plan.is_test && v(contract_) == revolving_ && !rng.bernoulli(std::max(0.0, 1 - 0.5 * drift_)))
    v(contract_) = cash_;
  bool revolving = v(contract_) == revolving_;

  // Pensioners are the oldest clients; they have DAYS_EMPLOYED 365243, no organisation
  // (XNA), no employer phone and usually no occupation (18.5% of the real rows).
  double u_age = u_of(days_birth_);  // low u = oldest
  double p_pensioner = u_age < 0.12 ? 0.9 : u_age < 0.25 ? 0.45 : u_age < 0.5 ? 0.05 : 0.01;
  bool pensioner = rng.bernoulli(p_pensioner);
  double days_birth = v(days_birth_);
  if (pensioner) {
    v(income_type_) = pensioner_;
    v(days_employed_) = static_cast<double>(kHcNoDate);
    v(organization_) = xna_org_;
    v(emp_phone_) = 0;
    v(occupation_) = rng.bernoulli(0.99) ? kMissing : v(occupation_);
  } else {
    v(income_type_) = col(income_type_).level_among(rng.uniform(), non_pensioner_types_);
    // Employment length from the non-special quantiles, started at 18 at the earliest.
    double employed = col(days_employed_).quantile(u_of(days_employed_));
    double max_days = -days_birth - 18 * 365.25;
    if (-employed > max_days) employed = -std::max(30.0, max_days * rng.uniform(0.3, 1.0));
    v(days_employed_) = std::round(employed);
    if (v(organization_) == xna_org_) v(organization_) = col(organization_).level_among(rng.uniform(), non_xna_orgs_);
    v(emp_phone_) = 1;
    // 31.9% missing overall: pensioners plus 16.4% of the others.
    if (rng.bernoulli(0.164)) v(occupation_) = kMissing;
    else if (is_missing(v(occupation_))) v(occupation_) = col(occupation_).value_at(rng.uniform());
  }

  // Family size = children + 1, + 1 with a partner.
  double family_status = v(family_);
  v(family_members_) = v(children_) + 1 + ((family_status == married_ || family_status == civil_) ? 1 : 0);

  // Amounts: income on a 2,250 grid; goods price on a 4,500 grid; credit = goods price plus
  // insurance; annuity from credit, term and monthly rate (or 5% of the limit for cards).
  double income = round_to(v(income_), 2250);
  if (plan.is_test) income = round_to(income * (1 + 0.10 * drift_), 225);
  v(income_) = std::max(income, 25650.0);
  double credit = v(credit_);
  if (revolving) {
    credit = std::max(22500.0, round_to(credit * 0.5, 22500));
    v(credit_) = credit;
    v(annuity_) = credit * 0.05;
    v(goods_) = rng.bernoulli(0.008) ? kMissing : credit;
  } else {
    double insurance = rng.bernoulli(0.35) ? 0.0 : rng.uniform(0.04, 0.24);
    double goods = std::max(45000.0, round_to(credit / (1 + insurance), 4500));
    credit = std::round(goods * (1 + insurance) * 2) / 2;
    static constexpr int kTerms[] = {12, 12, 18, 24, 24, 24, 30, 36, 36, 48, 60, 60};
    int term = kTerms[rng.below(std::size(kTerms))];
    double rate = rng.uniform(0.008, 0.022);
    double annuity = credit * rate / (1 - std::pow(1 + rate, -term));
    v(credit_) = credit;
    v(goods_) = goods;
    v(annuity_) = std::round(annuity * 2) / 2;
  }

  // Car age exactly when a car is owned.
  bool own_car = v(own_car_) == car_yes_;
  if (!own_car) v(car_age_) = kMissing;
  else if (is_missing(v(car_age_))) v(car_age_) = col(car_age_).value_at(rng.uniform());

  // Registration and ID documents after birth (ID from 14 years on).
  v(registration_) = std::max(v(registration_), std::ceil(days_birth + 365.25 * 16));
  v(id_publish_) = std::max(v(id_publish_), std::ceil(days_birth + 365.25 * 14));

  // Social circle: 60-day counts track 30-day ones; defaults never exceed observations.
  if (!is_missing(v(obs30_))) {
    v(def30_) = std::min(v(def30_), v(obs30_));
    v(def60_) = std::min(v(def60_), v(def30_));
    v(obs60_) = std::max(v(obs60_), v(def60_));
  }

  // Drift: lower EXT_SOURCE_3 in the test set.
  if (plan.is_test && !is_missing(v(ext_[2])))
    v(ext_[2]) = std::clamp(v(ext_[2]) - 0.05 * drift_, 0.0005, 0.9);

  AppFacts a;
  for (int k = 0; k < 3; ++k) a.ext_source[k] = v(ext_[k]);
  a.age_years = -days_birth / 365.25;
  a.years_employed = pensioner ? NAN : -v(days_employed_) / 365.25;
  a.income = v(income_);
  a.credit = v(credit_);
  a.annuity = v(annuity_);
  a.goods_price = v(goods_);
  a.male = v(gender_) == male_;
  a.own_car = own_car;
  a.revolving = revolving;
  a.education = education_kind_[static_cast<size_t>(v(education_))];
  a.income_kind = income_kind_[static_cast<size_t>(v(income_type_))];
  a.occupation = is_missing(v(occupation_)) ? 0 : occupation_kind_[static_cast<size_t>(v(occupation_))];
  a.region_rating = static_cast<int>(v(region_rating_));
  a.days_id_publish = v(id_publish_);
  a.days_last_phone_change = v(phone_change_);
  a.def_30_social = is_missing(v(def30_)) ? 0 : v(def30_);
  return a;
}

}  // namespace credo::synth
