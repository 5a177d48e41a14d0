// The true default model of the synthetic clients. The probability of default is a fixed
// logistic function of OBSERVED generated values only (never of the latent factors), so a
// model trained on the files can in principle recover it: application columns give the
// application score, the history tables give the history score, and
// TRUE_PD = sigmoid(intercept + application_score + history_score).
// The intercept is tuned on the sample (bisection) so the default rate is ~8.1%.
#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

namespace credo::synth {

// What the application row shows of a client (NaN where the column is missing).
struct AppFacts {
  double ext_source[3] = {NAN, NAN, NAN};
  double age_years = 40;
  double years_employed = NAN;  // NaN for DAYS_EMPLOYED = 365243 (pensioners)
  double income = 0, credit = 0, annuity = 0, goods_price = NAN;
  bool male = false, own_car = false, revolving = false;
  int education = 0;     // 0 secondary, 1 higher, 2 incomplete higher, 3 lower secondary, 4 academic
  int income_kind = 0;   // 0 working, 1 commercial associate, 2 pensioner, 3 state servant, 4 other
  int occupation = 0;    // -1 low-skill / manual, +1 office / skilled, 0 other or missing
  int region_rating = 2;
  double days_id_publish = 0, days_last_phone_change = 0;
  double def_30_social = 0;
};

// What the history tables show of a client (aggregates a feature pipeline can compute).
struct HistoryFacts {
  int bureau_credits = 0, bureau_active = 0, bureau_overdue = 0, bureau_max_overdue_positive = 0;
  int bureau_balance_late_months = 0;
  double bureau_active_debt = 0, bureau_active_sum = 0;
  int previous_apps = 0, previous_refused = 0, previous_approved = 0;
  int instalments = 0, instalments_late = 0, instalments_underpaid = 0;
  double instalment_days_late = 0;  // sum over late instalments
  int pos_months = 0, pos_late_months = 0;
  int card_months = 0, card_late_months = 0;
  double card_utilisation_sum = 0;  // sum over card months of balance / limit
};

double sigmoid(double x);
// Log-odds contribution of the application columns (without intercept).
double application_score(const AppFacts& app);
// Log-odds contribution of the history tables.
double history_score(const HistoryFacts& history);
// Features of the application row used to predict the history score (for APP_PD).
inline constexpr int kAppFeatureCount = 10;
void application_features(const AppFacts& app, double (&features)[kAppFeatureCount]);

// The intercept b such that the mean of sigmoid(b + score[i]) is `rate` (bisection).
double intercept_for_rate(const std::vector<double>& scores, double rate);

// APP_PD for every client: the best prediction from the application row alone,
// sigmoid-probit approximation of E[sigmoid(b + A + H) | app] with H ~ N(Ĥ(app), s²),
// where Ĥ is the least-squares fit of the history score on the application features
// (fitted on the clients where `fit` is true).
std::vector<double> application_only_pd(double intercept, const std::vector<double>& app_scores,
                                        const std::vector<double>& history_scores,
                                        const std::vector<double>& app_features,  // n x kAppFeatureCount
                                        const std::vector<uint8_t>& fit);

}  // namespace credo::synth
