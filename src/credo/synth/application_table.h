// The application row of a client (application_train.csv / application_test.csv): every
// column drawn from the profile through a Gaussian copula on the client's latent factors,
// then the structural overrides (pensioners, credit/annuity/goods price, family size, dates
// after birth, car age, social-circle counts) and, for test clients, the documented drift.
#pragma once

#include <string>
#include <vector>

#include "credo/base/random.h"
#include "credo/synth/client_plan.h"
#include "credo/synth/column_model.h"
#include "credo/synth/risk_model.h"

namespace credo::synth {

class ApplicationGenerator {
 public:
  // `drift` >= 0 scales the train -> test shift described in synth.h.
  explicit ApplicationGenerator(double drift);

  // Draws the row of `plan` in the train layout (TARGET left 0) and returns what the risk
  // model reads from it.
  AppFacts generate(const ClientPlan& plan, Rng& rng, std::vector<double>& values) const;

  // The train layout (the test file is the same without TARGET).
  const TableModel& model() const { return model_; }
  int target_column() const { return target_; }

 private:
  struct Loading {
    int factor = 0;  // 0: independent uniform; else index into the per-client factor array
    double rho = 0;
  };
  const TableModel& model_;
  double drift_;
  std::vector<Loading> loadings_;
  int factor_count_ = 0;
  int id_, target_, contract_, gender_, own_car_, income_type_, education_, family_, occupation_;
  int organization_, days_birth_, days_employed_, emp_phone_, income_, credit_, annuity_, goods_;
  int children_, family_members_, car_age_, registration_, id_publish_, phone_change_;
  int ext_[3], region_rating_, obs30_, def30_, obs60_, def60_;
  int cash_, revolving_, pensioner_, xna_org_, car_yes_, male_, married_, civil_;
  std::vector<uint8_t> non_pensioner_types_, non_xna_orgs_;
  std::vector<int> education_kind_, income_kind_, occupation_kind_;
};

}  // namespace credo::synth
