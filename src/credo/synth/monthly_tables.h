// The monthly life of an approved previous credit: POS_CASH_balance.csv (one row per month
// of a POS or cash loan), installments_payments.csv (one row per payment against each due
// instalment, late or partial for risky behaviour) and credit_card_balance.csv (one row per
// month of a card: balance, drawings, payments, days past due).
#pragma once

#include "credo/base/random.h"
#include "credo/synth/bureau_tables.h"
#include "credo/synth/client_plan.h"
#include "credo/synth/column_model.h"
#include "credo/synth/previous_tables.h"
#include "credo/synth/risk_model.h"

namespace credo::synth {

struct MonthlyText {
  TableText pos, instalments, cards;
};

class MonthlyGenerator {
 public:
  MonthlyGenerator();
  // Appends the monthly rows of `contract` and records what they show.
  void generate(const ClientPlan& plan, const Contract& contract, Rng& rng, MonthlyText& out,
                HistoryFacts& facts) const;

 private:
  void loan(const ClientPlan& plan, const Contract& c, Rng& rng, MonthlyText& out, HistoryFacts& facts) const;
  void card(const ClientPlan& plan, const Contract& c, Rng& rng, MonthlyText& out, HistoryFacts& facts) const;
  void instalment(const ClientPlan& plan, const Contract& c, int version, int number, double due_day,
                  double amount, double paid_share, Rng& rng, MonthlyText& out, HistoryFacts& facts) const;

  const TableModel& pos_;
  const TableModel& inst_;
  const TableModel& cc_;
  int pos_active_, pos_completed_, pos_signed_;
  int cc_active_, cc_completed_;
};

}  // namespace credo::synth
