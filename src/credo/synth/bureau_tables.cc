#include "credo/synth/bureau_tables.h"

#include <algorithm>
#include <cmath>

#include "credo/synth/table_rows.h"

namespace credo::synth {

BureauGenerator::BureauGenerator()
    : model_(table_model(HcTable::kBureau)), balance_model_(table_model(HcTable::kBureauBalance)) {
  const TableModel& m = model_;
  curr_ = m.at("SK_ID_CURR");
  id_ = m.at("SK_ID_BUREAU");
  active_ = m.at("CREDIT_ACTIVE");
  currency_ = m.at("CREDIT_CURRENCY");
  days_credit_ = m.at("DAYS_CREDIT");
  day_overdue_ = m.at("CREDIT_DAY_OVERDUE");
  enddate_ = m.at("DAYS_CREDIT_ENDDATE");
  enddate_fact_ = m.at("DAYS_ENDDATE_FACT");
  max_overdue_ = m.at("AMT_CREDIT_MAX_OVERDUE");
  prolong_ = m.at("CNT_CREDIT_PROLONG");
  sum_ = m.at("AMT_CREDIT_SUM");
  debt_ = m.at("AMT_CREDIT_SUM_DEBT");
  limit_ = m.at("AMT_CREDIT_SUM_LIMIT");
  sum_overdue_ = m.at("AMT_CREDIT_SUM_OVERDUE");
  type_ = m.at("CREDIT_TYPE");
  update_ = m.at("DAYS_CREDIT_UPDATE");
  annuity_ = m.at("AMT_ANNUITY");
  const ColumnModel& active = m.columns[static_cast<size_t>(active_)];
  lv_active_ = active.level_index("Active");
  lv_closed_ = active.level_index("Closed");
  lv_sold_ = active.level_index("Sold");
  lv_card_ = m.columns[static_cast<size_t>(type_)].level_index("Credit card");
  bb_id_ = balance_model_.at("SK_ID_BUREAU");
  bb_months_ = balance_model_.at("MONTHS_BALANCE");
  bb_status_ = balance_model_.at("STATUS");
  const ColumnModel& status = balance_model_.columns[static_cast<size_t>(bb_status_)];
  st_c_ = status.level_index("C");
  st_x_ = status.level_index("X");
  st_0_ = status.level_index("0");
  for (int k = 0; k < 5; ++k) st_late_[k] = status.level_index(std::to_string(k + 1));
}

void BureauGenerator::generate(const ClientPlan& plan, Rng& rng, TableText& bureau, TableText& balance,
                               HistoryFacts& facts) const {
  thread_local std::vector<double> v, bb(3);
  thread_local std::vector<uint8_t> missing;
  const TableModel& m = model_;
  auto col = [&](int c) -> const ColumnModel& { return m.columns[static_cast<size_t>(c)]; };
  // Client-level behaviour: chance that an active credit is overdue, that a month is late.
  double p_overdue = sigmoid(-4.6 + 1.1 * plan.behaviour);
  double p_late_month = sigmoid(-5.2 + 1.2 * plan.behaviour);
  for (int k = 0; k < plan.bureau_credits; ++k) {
    draw_marginal_row(m, rng, v, missing);
    auto at = [&](int c) -> double& { return v[static_cast<size_t>(c)]; };
    int64_t bureau_id = plan.first_bureau_id + k;
    at(curr_) = static_cast<double>(plan.client_id);
    at(id_) = static_cast<double>(bureau_id);
    // Opening date from the profile; recent credits are more often still active.
    double u = rng.uniform();
    double days_credit = std::min(0.0, std::round(col(days_credit_).quantile(u)));
    at(days_credit_) = days_credit;
    bool active = rng.bernoulli(0.1 + 0.65 * std::pow(u, 1.5));
    bool card = at(type_) == lv_card_;
    at(active_) = active ? lv_active_ : rng.bernoulli(0.006) ? lv_sold_ : lv_closed_;
    double term_days = card ? rng.uniform(365, 3 * 365) : kDaysPerMonth * (6 + static_cast<double>(rng.below(55)));
    double enddate = days_credit + std::round(term_days);
    if (active && enddate < 0) enddate = std::round(rng.uniform(1, 1200));
    if (!is_missing(at(enddate_))) at(enddate_) = enddate;
    double sum = std::max(0.0, at(sum_));
    if (active) {
      at(enddate_fact_) = kMissing;
      at(update_) = std::max(days_credit, -std::round(rng.exponential(1.0 / 20)));
      double remaining = std::clamp(enddate / std::max(1.0, enddate - days_credit), 0.0, 1.0);
      double debt = card ? sum * rng.uniform(0, 1) : sum * remaining * rng.uniform(0.8, 1.05);
      if (!is_missing(at(debt_))) at(debt_) = std::round(debt * 100) / 100;
      if (!is_missing(at(limit_))) at(limit_) = card ? std::round((sum - debt) * 100) / 100 : 0;
      facts.bureau_active += 1;
      facts.bureau_active_sum += sum;
      facts.bureau_active_debt += debt;
    } else {
      // Closed: the fact end date lies between opening and today, usually near the plan.
      double fact = days_credit + std::round(std::min(term_days * rng.uniform(0.3, 1.0), -days_credit * rng.uniform(0.2, 0.95)));
      at(enddate_fact_) = std::clamp(fact, days_credit, 0.0);
      at(update_) = std::min(0.0, at(enddate_fact_) + std::round(rng.uniform(0, 40)));
      if (!is_missing(at(debt_))) at(debt_) = 0;
      if (!is_missing(at(limit_))) at(limit_) = 0;
    }
    // Overdue debt today (active credits only), driven by the client's behaviour.
    bool overdue = active && rng.bernoulli(p_overdue);
    if (overdue) {
      at(day_overdue_) = 1 + std::floor(rng.exponential(1.0 / 40));
      at(sum_overdue_) = std::round(sum * rng.uniform(0.005, 0.15) * 100) / 100;
      facts.bureau_overdue += 1;
    } else {
      at(day_overdue_) = 0;
      at(sum_overdue_) = 0;
    }
    if (!is_missing(at(max_overdue_))) {
      bool ever = overdue || rng.bernoulli(sigmoid(-2.0 + 0.9 * plan.behaviour));
      at(max_overdue_) = ever ? std::round(sum * rng.uniform(0.002, 0.1) * 100) / 100 : 0;
      facts.bureau_max_overdue_positive += ever;
    }
    append_csv_row(m, v.data(), bureau.text);
    ++bureau.rows;
    facts.bureau_credits += 1;

    // Monthly status for ~48% of credits (older ones more often) (817,395 of 1.7M in the real data): one row per
    // month from the opening month to 0; C after closure, X when unknown.
    int open_months = static_cast<int>(std::floor(-days_credit / kDaysPerMonth));
    if (!rng.bernoulli(0.16 + 0.42 * std::min(open_months / 96.0, 1.0))) continue;
    int closed_at = active ? 1 : -static_cast<int>(std::floor(-at(enddate_fact_) / kDaysPerMonth));
    bool unknown = rng.bernoulli(0.2);
    double p_x = rng.bernoulli(0.4) ? 0.4 : 0.0;
    bb[0] = static_cast<double>(bureau_id);
    int late_run = 0;
    for (int month = -open_months; month <= 0; ++month) {
      bb[1] = month;
      int status;
      if (unknown || (month < closed_at && rng.bernoulli(p_x))) status = st_x_;
      else if (month >= closed_at) status = st_c_;
      else if (late_run > 0 || rng.bernoulli(p_late_month)) {
        late_run = std::min(late_run + 1, 5);
        status = st_late_[late_run - 1];
        facts.bureau_balance_late_months += 1;
        if (rng.bernoulli(0.6)) late_run = 0;  // caught up
      } else {
        status = st_0_;
      }
      bb[2] = status;
      append_csv_row(balance_model_, bb.data(), balance.text);
      ++balance.rows;
    }
  }
}

}  // namespace credo::synth
