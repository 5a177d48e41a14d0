// A client's previous applications at Home Credit (previous_application.csv): contract type,
// status (refusals more frequent for risky behaviour, CODE_REJECT_REASON consistent with
// the status), amounts and annuity from term and rate, the category columns that depend on
// the type (portfolio, goods category, purpose, product combination...), and for approved
// ones the due dates. Approved contracts are handed to the monthly tables.
#pragma once

#include <cstdint>
#include <vector>

#include "credo/base/random.h"
#include "credo/data/homecredit_ranges.h"
#include "credo/synth/bureau_tables.h"
#include "credo/synth/client_plan.h"
#include "credo/synth/column_model.h"
#include "credo/synth/risk_model.h"

namespace credo::synth {

// An approved previous credit, as the monthly tables need it. Days are relative to the
// current application (negative = past); kNoDate is the files' placeholder (the data stage's).
inline constexpr double kNoDate = static_cast<double>(kHcNoDate);
struct Contract {
  enum Kind { kPos, kCash, kCard } kind = kPos;
  int64_t previous_id = 0;
  double decision_day = 0;
  double first_due = kNoDate;   // first instalment (cards: kNoDate if never drawn)
  int instalments = 0;          // planned number (0 for cards)
  int paid_instalments = 0;     // instalments that fall due before the end (early repayment)
  double annuity = 0, credit = 0;
};

class PreviousGenerator {
 public:
  PreviousGenerator();
  // Appends the client's previous applications; the approved ones go to `contracts`.
  void generate(const ClientPlan& plan, Rng& rng, TableText& out, std::vector<Contract>& contracts,
                HistoryFacts& facts) const;

 private:
  const TableModel& model_;
  int id_, curr_, type_, annuity_, application_, credit_, down_, goods_, rate_down_, purpose_, status_;
  int decision_, payment_type_, reject_, goods_category_, portfolio_, product_type_, seller_area_;
  int seller_industry_, cnt_payment_, yield_, combination_, first_drawing_, first_due_, last_due_1st_;
  int last_due_, termination_, insured_;
  int t_consumer_, t_cash_, t_revolving_;
  int s_approved_, s_canceled_, s_refused_, s_unused_;
  int xap_purpose_, xna_purpose_, xna_payment_, xap_reject_, client_reject_, xna_goods_;
  int p_pos_, p_cash_, p_cards_, p_xna_, pt_xna_, si_xna_, y_xna_;
  int y_low_action_, y_low_normal_, y_middle_, y_high_;
  std::vector<uint8_t> refusal_reasons_, cash_purposes_, real_goods_, cash_products_, real_industries_;
  std::vector<uint8_t> combo_pos_, combo_cash_, combo_card_, real_payment_types_;
};

}  // namespace credo::synth
