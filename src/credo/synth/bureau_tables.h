// A client's credits at other institutions: bureau.csv (one row per credit) and
// bureau_balance.csv (monthly status rows for about half of the credits), with ordered
// dates (DAYS_CREDIT <= DAYS_ENDDATE_FACT, DAYS_CREDIT_UPDATE <= 0), debt consistent with
// the remaining term, and overdue debt and late months driven by the client's behaviour.
#pragma once

#include <cstdint>
#include <string>

#include "credo/base/random.h"
#include "credo/synth/client_plan.h"
#include "credo/synth/column_model.h"
#include "credo/synth/risk_model.h"

namespace credo::synth {

struct TableText {
  std::string text;
  int64_t rows = 0;
};

class BureauGenerator {
 public:
  BureauGenerator();
  // Appends the client's bureau and bureau_balance rows and records what they show.
  void generate(const ClientPlan& plan, Rng& rng, TableText& bureau, TableText& balance,
                HistoryFacts& facts) const;

 private:
  const TableModel& model_;
  const TableModel& balance_model_;
  int curr_, id_, active_, currency_, days_credit_, day_overdue_, enddate_, enddate_fact_;
  int max_overdue_, prolong_, sum_, debt_, limit_, sum_overdue_, type_, update_, annuity_;
  int lv_active_, lv_closed_, lv_sold_, lv_card_;
  int bb_id_, bb_months_, bb_status_;
  int st_c_, st_x_, st_0_, st_late_[5];
};

}  // namespace credo::synth
