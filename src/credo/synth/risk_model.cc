#include "credo/synth/risk_model.h"

#include <algorithm>
#include <array>

namespace credo::synth {

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

namespace {
// Overall strength of each part, tuned so the Bayes AUC is ~0.81 with all tables and
// ~0.76 with the application row alone (as strong models reach on the real data).
constexpr double kApplicationScale = 0.6;
constexpr double kHistoryScale = 0.75;
}  // namespace

double application_score(const AppFacts& a) {
  // External scores carry most of the weight, as on the real data (deciles: ~19% -> ~3%).
  static constexpr double kExtWeight[3] = {0.38, 0.48, 0.48};
  double s = 0;
  for (int k = 0; k < 3; ++k) {
    double e = a.ext_source[k];
    if (std::isnan(e)) s += k == 2 ? 0.15 : 0.0;
    else {
      s -= kExtWeight[k] * (e - 0.5) / 0.2;
      if (e < 0.2) s += 0.6 * (0.2 - e) / 0.1;  // the lowest scores are riskier than the slope says
    }
  }
  // Nonlinear: both bureau-like scores low is worse than the sum says.
  if (!std::isnan(a.ext_source[1]) && !std::isnan(a.ext_source[2]) && a.ext_source[1] < 0.3 &&
      a.ext_source[2] < 0.3)
    s += 0.6;
  // Risk falls with age until about fifty, then stays flat.
  s -= 0.3 * (std::min(a.age_years, 50.0) - 43) / 12;
  if (a.age_years < 28) s += 0.15;
  if (std::isnan(a.years_employed)) s -= 0.05;
  else {
    s -= 0.22 * std::log1p(a.years_employed);
    if (a.years_employed < 1 && a.age_years < 30) s += 0.2;  // interaction
  }
  double credit_to_income = a.credit / std::max(a.income, 1.0);
  double annuity_to_income = a.annuity / std::max(a.income, 1.0);
  // Inverted U in credit/income (the real deciles peak in the middle), a slope in annuity/income.
  double lr = std::log(std::max(credit_to_income, 0.05));
  s += 0.25 * std::exp(-(lr - 1.2) * (lr - 1.2) / 0.6);
  s += 1.2 * (annuity_to_income - 0.18);
  if (annuity_to_income > 0.3) s += 0.3;  // repayments above 30% of income: a threshold
  if (!std::isnan(a.goods_price) && a.goods_price > 0 && a.credit > 1.12 * a.goods_price) s += 0.12;
  if (a.male) s += 0.28;
  static constexpr double kEducation[5] = {0.0, -0.35, -0.1, 0.3, -0.3};
  s += kEducation[std::clamp(a.education, 0, 4)];
  static constexpr double kIncome[5] = {0.1, -0.05, 0.0, -0.35, 0.0};
  s += kIncome[std::clamp(a.income_kind, 0, 4)];
  s += 0.15 * a.occupation * -1.0;
  if (a.own_car) s -= 0.12;
  if (a.revolving) s -= 0.2;
  s += 0.22 * (a.region_rating - 2);
  if (a.days_id_publish > -1500) s += 0.1;
  if (a.days_last_phone_change > -250) s += 0.1;
  if (a.def_30_social >= 1) s += 0.2;
  return kApplicationScale * s;
}

double history_score(const HistoryFacts& h) {
  double s = 0;
  if (h.instalments > 0) {
    double late_share = static_cast<double>(h.instalments_late) / h.instalments;
    s += 1.2 * late_share + (late_share > 0.1 ? 0.5 : 0.0);  // habitually late: a step
    if (late_share > 0.05 && h.bureau_overdue > 0) s += 0.4;  // late here and overdue elsewhere
    s += 0.25 * std::log1p(h.instalment_days_late / std::max(1, h.instalments_late));
    s += 1.5 * static_cast<double>(h.instalments_underpaid) / h.instalments;
  } else {
    s += 0.15;
  }
  if (h.bureau_credits == 0) s += 0.1;
  s += 0.07 * std::min(h.bureau_active, 10);
  if (h.bureau_overdue > 0) s += 0.6;
  if (h.bureau_max_overdue_positive > 0) s += 0.2;
  if (h.bureau_balance_late_months > 0) s += 0.25 + 0.05 * std::min(h.bureau_balance_late_months, 6);
  if (h.bureau_active_sum > 0) s += 0.35 * std::min(h.bureau_active_debt / h.bureau_active_sum, 1.5);
  s += 0.22 * std::min(h.previous_refused, 5);
  s -= 0.04 * std::min(h.previous_approved, 8);
  if (h.pos_late_months > 0) s += 0.3;
  if (h.card_months > 0) {
    double util = h.card_utilisation_sum / h.card_months;
    s += 1.0 * std::min(util, 1.2) - 0.2;
    if (util > 0.9) s += 0.2;  // maxed-out cards: a threshold trees can find
    if (h.card_late_months > 0) s += 0.3;
  }
  return kHistoryScale * s;
}

void application_features(const AppFacts& a, double (&f)[kAppFeatureCount]) {
  for (int k = 0; k < 3; ++k) {
    bool missing = std::isnan(a.ext_source[k]);
    f[2 * k] = missing ? 0.0 : a.ext_source[k] - 0.5;
    f[2 * k + 1] = missing ? 1.0 : 0.0;
  }
  f[6] = (a.age_years - 43) / 12;
  f[7] = std::isnan(a.years_employed) ? -1.0 : std::log1p(a.years_employed);
  f[8] = a.def_30_social;
  f[9] = a.region_rating - 2;
}

double intercept_for_rate(const std::vector<double>& scores, double rate) {
  double lo = -20, hi = 20;
  for (int it = 0; it < 60; ++it) {
    double mid = (lo + hi) / 2, mean = 0;
    for (double s : scores) mean += sigmoid(mid + s);
    mean /= std::max<size_t>(scores.size(), 1);
    (mean < rate ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

namespace {
// Solves the (k x k) normal equations by Gaussian elimination with partial pivoting.
template <size_t K>
std::array<double, K> solve(std::array<std::array<double, K + 1>, K> m) {
  for (size_t c = 0; c < K; ++c) {
    size_t piv = c;
    for (size_t r = c + 1; r < K; ++r)
      if (std::fabs(m[r][c]) > std::fabs(m[piv][c])) piv = r;
    std::swap(m[c], m[piv]);
    if (std::fabs(m[c][c]) < 1e-12) continue;
    for (size_t r = 0; r < K; ++r) {
      if (r == c) continue;
      double f = m[r][c] / m[c][c];
      for (size_t k = c; k <= K; ++k) m[r][k] -= f * m[c][k];
    }
  }
  std::array<double, K> x{};
  for (size_t c = 0; c < K; ++c) x[c] = std::fabs(m[c][c]) < 1e-12 ? 0 : m[c][K] / m[c][c];
  return x;
}
}  // namespace

std::vector<double> application_only_pd(double intercept, const std::vector<double>& app_scores,
                                        const std::vector<double>& history_scores,
                                        const std::vector<double>& app_features,
                                        const std::vector<uint8_t>& fit) {
  constexpr size_t K = kAppFeatureCount + 2;  // constant, app score, features
  size_t n = app_scores.size();
  auto row = [&](size_t i, std::array<double, K>& x) {
    x[0] = 1;
    x[1] = app_scores[i];
    for (size_t k = 0; k < kAppFeatureCount; ++k) x[k + 2] = app_features[i * kAppFeatureCount + k];
  };
  std::array<std::array<double, K + 1>, K> normal{};
  std::array<double, K> x;
  for (size_t i = 0; i < n; ++i) {
    if (!fit[i]) continue;
    row(i, x);
    for (size_t r = 0; r < K; ++r) {
      for (size_t c = 0; c < K; ++c) normal[r][c] += x[r] * x[c];
      normal[r][K] += x[r] * history_scores[i];
    }
  }
  for (size_t r = 0; r < K; ++r) normal[r][r] += 1e-6;  // ridge: keeps a rank-deficient fit solvable
  std::array<double, K> beta = solve<K>(normal);
  std::vector<double> predicted(n);
  double sq = 0, count = 0;
  for (size_t i = 0; i < n; ++i) {
    row(i, x);
    double h = 0;
    for (size_t k = 0; k < K; ++k) h += beta[k] * x[k];
    predicted[i] = h;
    if (fit[i]) {
      sq += (history_scores[i] - h) * (history_scores[i] - h);
      count += 1;
    }
  }
  double residual_var = count > 0 ? sq / count : 0;
  // E[sigmoid(m + e)], e ~ N(0, s^2) ~= sigmoid(m / sqrt(1 + pi s^2 / 8)).
  double shrink = 1.0 / std::sqrt(1.0 + 3.141592653589793 * residual_var / 8);
  std::vector<double> pd(n);
  for (size_t i = 0; i < n; ++i) pd[i] = sigmoid((intercept + app_scores[i] + predicted[i]) * shrink);
  return pd;
}

}  // namespace credo::synth
