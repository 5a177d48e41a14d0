// `credo synth`: a realistic generator of the Kaggle "Home Credit Default Risk" data set.
// It writes the eight CSV files with the Kaggle names, headers and value formats, so every
// later stage (reader, features, models, monitoring) runs on data shaped like the real thing
// without the 2.7 GB download, and with a known truth (each client's default probability).
//
// How the data is made (details in the files beside this one):
//  - every column is first drawn from the embedded profile of real rows (missing rate,
//    quantiles, special values, category shares, columns missing together);
//  - columns that need structure are then overridden (pensioners <-> DAYS_EMPLOYED 365243,
//    annuity from credit and term, ordered dates, payments against instalments, keys...);
//  - each client has latent factors (risk, history behaviour, wealth) that drive many columns
//    through a Gaussian copula, so columns correlate;
//  - the true default probability is a fixed logistic function of OBSERVED generated values
//    (EXT_SOURCE_*, age, employment, credit/income, late instalments, bureau overdue debt,
//    refused applications, card utilisation...), TARGET ~ Bernoulli(TRUE_PD).
//
// Drift (application_test only, scaled by SynthOptions::drift = x, 0 = none):
//  - AMT_INCOME_TOTAL multiplied by (1 + 0.10 x);
//  - EXT_SOURCE_3 lowered by 0.05 x (clamped to [0.0005, 0.9]);
//  - NAME_CONTRACT_TYPE "Revolving loans" share multiplied by max(0, 1 - 0.5 x)
//    (the real test file has far fewer revolving loans than train).
// The output is a pure function of (seed, clients, drift): the thread count changes nothing.
#pragma once

#include <array>
#include <cstdint>
#include <cstdio>
#include <string>

#include "credo/base/status.h"
#include "credo/data/homecredit.h"

namespace credo {

struct SynthOptions {
  int64_t clients = 30000;  // applicants, train + test (the real set has 356,255)
  uint64_t seed = 42;
  double drift = 1.0;       // strength of the documented train -> test shift, >= 0
  std::string out_dir;      // created if missing
  int threads = 0;          // 0 = all cores
  FILE* progress = nullptr; // progress bar destination; nullptr = silent
};

struct SynthSummary {
  std::array<int64_t, kHcTableCount> rows{};   // rows per table, in homecredit_tables() order
  std::array<uint64_t, kHcTableCount> bytes{}; // file sizes
  int64_t train_clients = 0;
  int64_t test_clients = 0;
  double default_rate = 0;  // share of TARGET = 1 in application_train
  double bayes_auc = 0;     // AUC of TRUE_PD vs TARGET on train: the best any model can do
  double app_only_auc = 0;  // AUC of APP_PD (application columns only) vs TARGET on train
  double seconds = 0;
};

// Writes the eight Kaggle CSV files plus synth_truth.csv (SK_ID_CURR, SET, TRUE_PD, APP_PD)
// and synth_summary.json into options.out_dir. InvalidArgument for clients <= 0 or
// drift < 0 (or not finite); IoError if the directory or a file cannot be written.
StatusOr<SynthSummary> generate_homecredit(const SynthOptions& options);

}  // namespace credo
