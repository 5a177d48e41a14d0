#include "credo/synth/previous_tables.h"

#include <algorithm>
#include <cmath>
#include <string_view>

#include "credo/synth/table_rows.h"

namespace credo::synth {

namespace {
std::vector<uint8_t> levels_where(const ColumnModel& col, bool (*keep)(std::string_view)) {
  std::vector<uint8_t> mask;
  for (const auto& level : col.levels) mask.push_back(keep(level));
  return mask;
}
bool starts(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
double annuity_for(double credit, double monthly_rate, int months) {
  return credit * monthly_rate / (1 - std::pow(1 + monthly_rate, -months));
}
}  // namespace

PreviousGenerator::PreviousGenerator() : model_(table_model(HcTable::kPreviousApplication)) {
  const TableModel& m = model_;
  auto col = [&](int c) -> const ColumnModel& { return m.columns[static_cast<size_t>(c)]; };
  id_ = m.at("SK_ID_PREV");
  curr_ = m.at("SK_ID_CURR");
  type_ = m.at("NAME_CONTRACT_TYPE");
  annuity_ = m.at("AMT_ANNUITY");
  application_ = m.at("AMT_APPLICATION");
  credit_ = m.at("AMT_CREDIT");
  down_ = m.at("AMT_DOWN_PAYMENT");
  goods_ = m.at("AMT_GOODS_PRICE");
  rate_down_ = m.at("RATE_DOWN_PAYMENT");
  purpose_ = m.at("NAME_CASH_LOAN_PURPOSE");
  status_ = m.at("NAME_CONTRACT_STATUS");
  decision_ = m.at("DAYS_DECISION");
  payment_type_ = m.at("NAME_PAYMENT_TYPE");
  reject_ = m.at("CODE_REJECT_REASON");
  goods_category_ = m.at("NAME_GOODS_CATEGORY");
  portfolio_ = m.at("NAME_PORTFOLIO");
  product_type_ = m.at("NAME_PRODUCT_TYPE");
  seller_area_ = m.at("SELLERPLACE_AREA");
  seller_industry_ = m.at("NAME_SELLER_INDUSTRY");
  cnt_payment_ = m.at("CNT_PAYMENT");
  yield_ = m.at("NAME_YIELD_GROUP");
  combination_ = m.at("PRODUCT_COMBINATION");
  first_drawing_ = m.at("DAYS_FIRST_DRAWING");
  first_due_ = m.at("DAYS_FIRST_DUE");
  last_due_1st_ = m.at("DAYS_LAST_DUE_1ST_VERSION");
  last_due_ = m.at("DAYS_LAST_DUE");
  termination_ = m.at("DAYS_TERMINATION");
  insured_ = m.at("NFLAG_INSURED_ON_APPROVAL");
  t_consumer_ = col(type_).level_index("Consumer loans");
  t_cash_ = col(type_).level_index("Cash loans");
  t_revolving_ = col(type_).level_index("Revolving loans");
  s_approved_ = col(status_).level_index("Approved");
  s_canceled_ = col(status_).level_index("Canceled");
  s_refused_ = col(status_).level_index("Refused");
  s_unused_ = col(status_).level_index("Unused offer");
  xap_purpose_ = col(purpose_).level_index("XAP");
  xna_purpose_ = col(purpose_).level_index("XNA");
  xna_payment_ = col(payment_type_).level_index("XNA");
  xap_reject_ = col(reject_).level_index("XAP");
  client_reject_ = col(reject_).level_index("CLIENT");
  xna_goods_ = col(goods_category_).level_index("XNA");
  p_pos_ = col(portfolio_).level_index("POS");
  p_cash_ = col(portfolio_).level_index("Cash");
  p_cards_ = col(portfolio_).level_index("Cards");
  p_xna_ = col(portfolio_).level_index("XNA");
  pt_xna_ = col(product_type_).level_index("XNA");
  si_xna_ = col(seller_industry_).level_index("XNA");
  y_xna_ = col(yield_).level_index("XNA");
  y_low_action_ = col(yield_).level_index("low_action");
  y_low_normal_ = col(yield_).level_index("low_normal");
  y_middle_ = col(yield_).level_index("middle");
  y_high_ = col(yield_).level_index("high");
  refusal_reasons_ = levels_where(col(reject_), [](std::string_view s) { return s != "XAP" && s != "CLIENT"; });
  cash_purposes_ = levels_where(col(purpose_), [](std::string_view s) { return s != "XAP"; });
  real_goods_ = levels_where(col(goods_category_), [](std::string_view s) { return s != "XNA"; });
  cash_products_ = levels_where(col(product_type_), [](std::string_view s) { return s != "XNA"; });
  real_industries_ = levels_where(col(seller_industry_), [](std::string_view s) { return s != "XNA"; });
  real_payment_types_ = levels_where(col(payment_type_), [](std::string_view s) { return s != "XNA"; });
  combo_pos_ = levels_where(col(combination_), [](std::string_view s) { return starts(s, "POS"); });
  combo_cash_ = levels_where(col(combination_), [](std::string_view s) { return starts(s, "Cash"); });
  combo_card_ = levels_where(col(combination_), [](std::string_view s) { return starts(s, "Card"); });
}

void PreviousGenerator::generate(const ClientPlan& plan, Rng& rng, TableText& out, std::vector<Contract>& contracts,
                                 HistoryFacts& facts) const {
  thread_local std::vector<double> v;
  thread_local std::vector<uint8_t> missing;
  const TableModel& m = model_;
  auto col = [&](int c) -> const ColumnModel& { return m.columns[static_cast<size_t>(c)]; };
  double p_refused = sigmoid(-1.95 + 0.75 * plan.behaviour);
  for (int k = 0; k < plan.previous_apps; ++k) {
    draw_marginal_row(m, rng, v, missing);
    auto at = [&](int c) -> double& { return v[static_cast<size_t>(c)]; };
    at(id_) = static_cast<double>(plan.first_previous_id + k);
    at(curr_) = static_cast<double>(plan.client_id);
    int type = static_cast<int>(at(type_));
    if (type != t_consumer_ && type != t_revolving_) type = t_cash_;
    at(type_) = type;
    // Status: refusals follow behaviour; the rest keep the profile's relative shares.
    int status;
    if (rng.bernoulli(p_refused)) status = s_refused_;
    else {
      double u = rng.uniform();
      status = u < 0.7745 ? s_approved_ : u < 0.9806 ? s_canceled_ : s_unused_;
    }
    at(status_) = status;
    at(reject_) = status == s_refused_ ? col(reject_).level_among(rng.uniform(), refusal_reasons_)
                  : status == s_unused_ ? client_reject_
                                        : xap_reject_;
    facts.previous_apps += 1;
    facts.previous_refused += status == s_refused_;
    facts.previous_approved += status == s_approved_;
    double decision = at(decision_);

    // Amounts and terms by type.
    double u_amount = rng.uniform();
    int months = 0;
    double rate = 0, application = 0, credit = 0, goods = kMissing, down = kMissing;
    const ColumnModel& amount = col(application_);
    if (type == t_consumer_) {
      goods = std::max(2250.0, std::round(amount.quantile(0.22 + 0.6 * std::pow(u_amount, 1.3)) / 45) * 45);
      down = rng.bernoulli(0.48) ? 0.0 : std::round(goods * rng.uniform(0.02, 0.35) * 100) / 100;
      application = goods;
      credit = std::round((goods - down) * (rng.bernoulli(0.6) ? 1.0 : rng.uniform(1.0, 1.12)) * 100) / 100;
      static constexpr int kTerms[] = {3, 4, 6, 6, 6, 8, 10, 10, 12, 12, 12, 12, 18, 24};
      months = kTerms[rng.below(std::size(kTerms))];
      rate = rng.uniform(0.0, 0.04);
    } else if (type == t_cash_) {
      application = std::max(22500.0, std::round(amount.quantile(0.45 + 0.55 * u_amount) / 4500) * 4500);
      goods = application;
      credit = std::round(application * (rng.bernoulli(0.4) ? 1.0 : rng.uniform(1.0, 1.2)) * 100) / 100;
      static constexpr int kTerms[] = {6, 8, 10, 12, 12, 12, 12, 18, 18, 24, 24, 36, 48, 60};
      months = kTerms[rng.below(std::size(kTerms))];
      rate = rng.uniform(0.008, 0.032);
    } else {
      static constexpr double kLimits[] = {45000, 45000, 67500, 90000, 135000, 135000, 180000, 225000, 270000, 450000};
      credit = kLimits[rng.below(std::size(kLimits))];
      application = rng.bernoulli(0.8) ? 0.0 : credit;
      goods = rng.bernoulli(0.3) ? kMissing : application;
    }
    bool no_terms = status == s_canceled_ || status == s_unused_;
    if (status == s_canceled_ && rng.bernoulli(0.85)) application = credit = 0;
    at(application_) = application;
    at(credit_) = credit;
    at(down_) = type == t_consumer_ ? down : kMissing;
    at(rate_down_) = type == t_consumer_ ? (application > 0 ? std::max(0.0, down / application) : 0.0) : kMissing;
    at(goods_) = no_terms && application == 0 ? kMissing : goods;
    double annuity = type == t_revolving_ ? credit * 0.05 : months > 0 ? annuity_for(credit, std::max(rate, 1e-4), months) : 0;
    at(annuity_) = no_terms ? kMissing : std::round(annuity * 1000) / 1000;
    at(cnt_payment_) = no_terms ? kMissing : months;

    // Categories that depend on the type.
    bool consumer = type == t_consumer_, cash = type == t_cash_;
    at(purpose_) = cash ? (rng.bernoulli(0.85) ? xna_purpose_ : col(purpose_).level_among(rng.uniform(), cash_purposes_))
                        : xap_purpose_;
    at(goods_category_) = consumer ? col(goods_category_).level_among(rng.uniform(), real_goods_) : xna_goods_;
    at(portfolio_) = no_terms ? p_xna_ : consumer ? p_pos_ : cash ? p_cash_ : p_cards_;
    at(product_type_) = consumer ? pt_xna_ : rng.bernoulli(cash ? 0.75 : 0.1)
                                                 ? col(product_type_).level_among(rng.uniform(), cash_products_)
                                                 : pt_xna_;
    at(seller_industry_) = consumer ? col(seller_industry_).level_among(rng.uniform(), real_industries_) : si_xna_;
    if (cash) at(seller_area_) = -1;
    at(payment_type_) = no_terms || (status == s_refused_ && rng.bernoulli(0.6)) || (!consumer && rng.bernoulli(0.2)) ? xna_payment_ : col(payment_type_).level_among(rng.uniform(), real_payment_types_);
    at(yield_) = no_terms || type == t_revolving_ || months == 0 ? y_xna_
                 : rate < 0.005 ? y_low_action_
                 : rate < 0.015 ? y_low_normal_
                 : rate < 0.025 ? y_middle_
                                : y_high_;
    at(combination_) = col(combination_).level_among(rng.uniform(), consumer ? combo_pos_ : cash ? combo_cash_ : combo_card_);

    // Due dates, only for approved applications.
    if (status != s_approved_) {
      for (int c : {first_drawing_, first_due_, last_due_1st_, last_due_, termination_, insured_}) at(c) = kMissing;
    } else {
      Contract contract;
      contract.previous_id = plan.first_previous_id + k;
      contract.decision_day = decision;
      contract.credit = credit;
      contract.annuity = annuity;
      at(insured_) = rng.bernoulli(cash ? 0.55 : consumer ? 0.15 : 0.0) ? 1 : 0;
      if (type == t_revolving_) {
        contract.kind = Contract::kCard;
        bool drawn = rng.bernoulli(0.55);
        double drawing = std::min(-1.0, decision + std::round(rng.uniform(0, 60)));
        at(first_drawing_) = drawn ? drawing : kNoDate;
        at(first_due_) = drawn ? std::min(-1.0, drawing + 30) : kNoDate;
        at(last_due_1st_) = kNoDate;
        bool closed = rng.bernoulli(0.03) && decision < -400;
        double end = closed ? std::round(rng.uniform(decision + 180, -30)) : kNoDate;
        at(last_due_) = end;
        at(termination_) = end;
        contract.first_due = drawn ? at(first_due_) : kNoDate;
        contract.paid_instalments = closed ? static_cast<int>((end - decision) / 30.4375) : 0;
      } else {
        contract.kind = consumer ? Contract::kPos : Contract::kCash;
        double first_due = std::min(-1.0, decision + std::round(rng.uniform(20, 40)));
        double last_due_1st = first_due + std::round(30.4375 * (months - 1));
        at(first_drawing_) = kNoDate;
        at(first_due_) = first_due;
        at(last_due_1st_) = last_due_1st;
        int paid = months;
        if (rng.bernoulli(0.3) && months > 2) paid = 1 + static_cast<int>(rng.below(static_cast<uint64_t>(months - 1)));
        double last_due = first_due + std::round(30.4375 * (paid - 1));
        if (last_due >= 0) {  // still running
          at(last_due_) = kNoDate;
          at(termination_) = kNoDate;
        } else {
          at(last_due_) = last_due;
          at(termination_) = std::min(-1.0, last_due + std::round(rng.uniform(0, 12)));
        }
        contract.first_due = first_due;
        contract.instalments = months;
        contract.paid_instalments = paid;
      }
      contracts.push_back(contract);
    }
    append_csv_row(m, v.data(), out.text);
    ++out.rows;
  }
}

}  // namespace credo::synth
