// The generic single-row scorer: one row through the model's batch interface.
#include "credo/train/row_scorer.h"

#include <cmath>
#include <limits>
#include <vector>

#include "credo/train/algorithm.h"

namespace credo::train {

double probability_of_margin(double margin) {
  if (margin >= 0) return 1 / (1 + std::exp(-margin));
  double e = std::exp(margin);
  return e / (1 + e);
}

namespace {

class BatchRowScorer final : public RowScorer {
 public:
  BatchRowScorer(const ScoringModel& model, size_t num_features) : model_(model), num_features_(num_features) {}
  size_t num_features() const override { return num_features_; }

  StatusOr<double> margin(const float* row) const override {
    CREDO_ASSIGN_OR_RETURN(std::vector<float> p, model_.predict({row, 1, num_features_}));
    double probability = p.at(0);
    if (probability <= 0) return -std::numeric_limits<double>::infinity();
    if (probability >= 1) return std::numeric_limits<double>::infinity();
    return std::log(probability / (1 - probability));
  }

  Status contributions(const float* row, double* out) const override {
    CREDO_ASSIGN_OR_RETURN(std::vector<float> phi, model_.contributions({row, 1, num_features_}));
    if (phi.size() != num_features_ + 1)
      return Status::Internal("contributions of " + std::to_string(phi.size()) + " values for " +
                              std::to_string(num_features_) + " features");
    for (size_t i = 0; i < phi.size(); ++i) out[i] = phi[i];
    return Status::Ok();
  }

 private:
  const ScoringModel& model_;
  size_t num_features_;
};

}  // namespace

std::unique_ptr<RowScorer> batch_row_scorer(const ScoringModel& model, size_t num_features) {
  return std::make_unique<BatchRowScorer>(model, num_features);
}

}  // namespace credo::train
