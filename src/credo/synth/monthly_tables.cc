#include "credo/synth/monthly_tables.h"

#include <algorithm>
#include <cassert>
#include <cmath>

#include "credo/synth/table_rows.h"

namespace credo::synth {

namespace {
int month_of(double day) { return static_cast<int>(std::floor(day / kDaysPerMonth)); }
double cents(double v) { return std::round(v * 100) / 100; }

// Column positions, checked against the profile once (the files' layouts are fixed).
enum PosColumn { kPosPrev, kPosCurr, kPosMonth, kPosCount, kPosFuture, kPosStatus, kPosDpd, kPosDpdDef, kPosN };
enum InstColumn { kInPrev, kInCurr, kInVersion, kInNumber, kInDay, kInEntry, kInAmount, kInPayment, kInN };
enum CardColumn {
  kCcPrev, kCcCurr, kCcMonth, kCcBalance, kCcLimit, kCcAtm, kCcDrawings, kCcOther, kCcPosDraw, kCcMinReg,
  kCcPayment, kCcPaymentTotal, kCcPrincipal, kCcRecivable, kCcTotalReceivable, kCcCntAtm, kCcCntDrawings,
  kCcCntOther, kCcCntPos, kCcMatureCum, kCcStatus, kCcDpd, kCcDpdDef, kCcN
};
}  // namespace

MonthlyGenerator::MonthlyGenerator()
    : pos_(table_model(HcTable::kPosCashBalance)),
      inst_(table_model(HcTable::kInstallmentsPayments)),
      cc_(table_model(HcTable::kCreditCardBalance)) {
  assert(pos_.columns.size() == kPosN && pos_.at("SK_DPD_DEF") == kPosDpdDef);
  assert(inst_.columns.size() == kInN && inst_.at("AMT_PAYMENT") == kInPayment);
  assert(cc_.columns.size() == kCcN && cc_.at("CNT_INSTALMENT_MATURE_CUM") == kCcMatureCum);
  const ColumnModel& ps = pos_.columns[kPosStatus];
  pos_active_ = ps.level_index("Active");
  pos_completed_ = ps.level_index("Completed");
  pos_signed_ = ps.level_index("Signed");
  const ColumnModel& cs = cc_.columns[kCcStatus];
  cc_active_ = cs.level_index("Active");
  cc_completed_ = cs.level_index("Completed");
}

void MonthlyGenerator::generate(const ClientPlan& plan, const Contract& contract, Rng& rng, MonthlyText& out,
                                HistoryFacts& facts) const {
  if (contract.kind == Contract::kCard) card(plan, contract, rng, out, facts);
  else loan(plan, contract, rng, out, facts);
}

void MonthlyGenerator::instalment(const ClientPlan& plan, const Contract& c, int version, int number, double due_day,
                                  double amount, double paid_share, Rng& rng, MonthlyText& out,
                                  HistoryFacts& facts) const {
  double row[kInN];
  row[kInPrev] = static_cast<double>(c.previous_id);
  row[kInCurr] = static_cast<double>(plan.client_id);
  row[kInVersion] = version;
  row[kInNumber] = number;
  row[kInDay] = due_day;
  row[kInAmount] = cents(amount);
  // Most payments come a few days early; risky behaviour pays late and sometimes partly.
  double p_late = sigmoid(-3.1 + 1.15 * plan.behaviour);
  bool late = rng.bernoulli(p_late);
  double entry = late ? due_day + 1 + std::floor(rng.exponential(rng.bernoulli(0.1) ? 1.0 / 60 : 1.0 / 7))
                      : due_day - std::floor(rng.exponential(1.0 / 8));
  entry = std::min(entry, -1.0);
  late = entry > due_day;
  bool partial = paid_share < 1 || rng.bernoulli(sigmoid(-4.2 + 0.9 * plan.behaviour));
  double share = paid_share < 1 ? paid_share : partial ? rng.uniform(0.2, 0.9) : 1.0;
  // A full payment in two parts (both on time) is common and says nothing about risk.
  if (!partial && !late && rng.bernoulli(0.14)) {
    double part = cents(amount * rng.uniform(0.2, 0.8));
    row[kInEntry] = entry - std::floor(rng.uniform(1, 10));
    row[kInPayment] = part;
    append_csv_row(inst_, row, out.instalments.text);
    ++out.instalments.rows;
    share = (cents(amount) - part) / std::max(cents(amount), 0.01);
  }
  row[kInEntry] = entry;
  row[kInPayment] = cents(amount * share);
  append_csv_row(inst_, row, out.instalments.text);
  ++out.instalments.rows;
  facts.instalments += 1;
  if (late) {
    facts.instalments_late += 1;
    facts.instalment_days_late += entry - due_day;
  }
  if (partial && share < 1) {
    facts.instalments_underpaid += 1;
    // The rest, paid later (if that is before today).
    double second = entry + 1 + std::floor(rng.exponential(1.0 / 15));
    if (second <= -1 && rng.bernoulli(0.8)) {
      row[kInEntry] = second;
      row[kInPayment] = cents(amount) - row[kInPayment];
      append_csv_row(inst_, row, out.instalments.text);
      ++out.instalments.rows;
    }
  }
}

void MonthlyGenerator::loan(const ClientPlan& plan, const Contract& c, Rng& rng, MonthlyText& out,
                            HistoryFacts& facts) const {
  if (c.instalments <= 0) return;
  // Instalments due before today; an early repayment pays the rest with the last one.
  for (int k = 1; k <= c.paid_instalments; ++k) {
    double due = c.first_due + std::round(kDaysPerMonth * (k - 1));
    if (due > -1) break;
    double amount = c.annuity;
    if (k == c.paid_instalments && c.paid_instalments < c.instalments)
      amount = c.annuity * (c.instalments - k + 1) * 0.93;
    int version = k == 1 || rng.bernoulli(0.97) ? 1 : 2;
    instalment(plan, c, version, k, due, amount, 1.0, rng, out, facts);
  }
  // Monthly POS/cash status from the decision month to the last month before today.
  double row[kPosN];
  row[kPosPrev] = static_cast<double>(c.previous_id);
  row[kPosCurr] = static_cast<double>(plan.client_id);
  int first = std::max(month_of(c.first_due) - (rng.bernoulli(0.3) ? 1 : 0), -96);
  int end = month_of(c.first_due) + c.paid_instalments;  // month of completion
  double p_late = sigmoid(-4.6 + 1.2 * plan.behaviour);
  int dpd = 0;
  for (int month = first; month <= std::min(end, -1); ++month) {
    int elapsed = month - month_of(c.first_due);
    row[kPosMonth] = month;
    row[kPosCount] = c.instalments;
    row[kPosFuture] = std::clamp(c.instalments - std::max(elapsed, 0), 0, c.instalments);
    bool completed = month == end;
    if (completed) row[kPosFuture] = 0;
    row[kPosStatus] = completed ? pos_completed_ : (month == first && rng.bernoulli(0.08)) ? pos_signed_ : pos_active_;
    dpd = !completed && rng.bernoulli(dpd > 0 ? 0.5 : p_late) ? dpd + 1 + static_cast<int>(rng.below(30)) : 0;
    row[kPosDpd] = dpd;
    row[kPosDpdDef] = dpd > 0 && rng.bernoulli(0.35) ? dpd : 0;
    if (dpd > 0) facts.pos_late_months += 1;
    facts.pos_months += 1;
    append_csv_row(pos_, row, out.pos.text);
    ++out.pos.rows;
  }
}

void MonthlyGenerator::card(const ClientPlan& plan, const Contract& c, Rng& rng, MonthlyText& out,
                            HistoryFacts& facts) const {
  double row[kCcN];
  row[kCcPrev] = static_cast<double>(c.previous_id);
  row[kCcCurr] = static_cast<double>(plan.client_id);
  int first = std::max(month_of(c.decision_day), -96);
  int last = c.paid_instalments > 0 ? std::min(-1, first + c.paid_instalments) : -1;
  bool drawn = c.first_due != kNoDate;
  double limit = c.credit;
  // Utilisation level: risky behaviour runs cards close to the limit.
  double target = sigmoid(-0.9 + 1.1 * plan.behaviour + 0.6 * rng.normal());
  double util = 0, balance = 0;
  int dpd = 0, mature = 0;
  double p_late = sigmoid(-4.4 + 1.2 * plan.behaviour);
  for (int month = first; month <= last; ++month) {
    bool active_month = drawn && (month >= month_of(c.first_due) - 1);
    double prev_balance = balance;
    if (active_month) {
      util = std::clamp(0.75 * util + 0.25 * target + 0.08 * rng.normal(), 0.0, 1.05);
      if (rng.bernoulli(0.08)) util = 0;  // paid off this month
      balance = cents(limit * util);
    } else {
      balance = 0;
    }
    double min_regularity = prev_balance > 0 ? cents(std::max(prev_balance * 0.05, 0.0)) : 0;
    bool late = prev_balance > 0 && rng.bernoulli(dpd > 0 ? 0.5 : p_late);
    double payment = prev_balance <= 0 ? 0 : late ? cents(min_regularity * rng.uniform(0, 0.8))
                                                  : cents(std::max(min_regularity, prev_balance * rng.uniform(0.05, 0.6)));
    double drawings = std::max(0.0, cents(balance - prev_balance + payment));
    double atm = rng.bernoulli(0.5) ? std::round(drawings * rng.uniform(0.3, 1.0) / 4500) * 4500 : 0;
    atm = std::min(atm, drawings);
    double pos_drawings = cents(drawings - atm);
    dpd = late ? dpd + 30 : 0;
    if (payment > 0) ++mature;
    bool quiet = drawings == 0 && balance == 0;
    row[kCcMonth] = month;
    row[kCcBalance] = balance;
    row[kCcLimit] = limit;
    row[kCcDrawings] = drawings;
    bool details_missing = quiet && rng.bernoulli(0.4);
    row[kCcAtm] = details_missing ? kMissing : atm;
    row[kCcOther] = details_missing ? kMissing : 0;
    row[kCcPosDraw] = details_missing ? kMissing : pos_drawings;
    row[kCcCntAtm] = details_missing ? kMissing : atm > 0 ? 1 + static_cast<double>(rng.below(3)) : 0;
    row[kCcCntOther] = details_missing ? kMissing : 0;
    row[kCcCntPos] = details_missing ? kMissing : pos_drawings > 0 ? 1 + static_cast<double>(rng.below(8)) : 0;
    row[kCcCntDrawings] = (is_missing(row[kCcCntAtm]) ? 0 : row[kCcCntAtm]) + (is_missing(row[kCcCntPos]) ? 0 : row[kCcCntPos]);
    bool regularity_missing = (month == first || !active_month) && rng.bernoulli(0.12);
    row[kCcMinReg] = regularity_missing ? kMissing : min_regularity;
    row[kCcMatureCum] = regularity_missing ? kMissing : mature;
    row[kCcPayment] = payment == 0 && quiet && rng.bernoulli(0.45) ? kMissing : payment;
    row[kCcPaymentTotal] = payment;
    row[kCcPrincipal] = cents(balance * 0.97);
    row[kCcRecivable] = balance;
    row[kCcTotalReceivable] = balance;
    row[kCcStatus] = (month == last && c.paid_instalments > 0) ? cc_completed_ : cc_active_;
    row[kCcDpd] = dpd;
    row[kCcDpdDef] = dpd > 0 && rng.bernoulli(0.3) ? dpd : 0;
    append_csv_row(cc_, row, out.cards.text);
    ++out.cards.rows;
    facts.card_months += 1;
    facts.card_late_months += dpd > 0;
    if (limit > 0) facts.card_utilisation_sum += balance / limit;
    // A card's monthly minimum payment is an instalment of version 0.
    if (min_regularity > 0 && !regularity_missing)
      instalment(plan, c, 0, mature + 1, std::round(month * kDaysPerMonth + 25), min_regularity,
                 late ? payment / min_regularity : 1.0, rng, out, facts);
  }
}

}  // namespace credo::synth
