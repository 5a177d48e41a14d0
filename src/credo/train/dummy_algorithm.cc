// The dummy baseline: what a model that ignores the client does. "prior" gives every client the
// training default rate (AUC 0.5; with the cost matrix, it refuses everybody or nobody);
// "stratified" draws default / no default at that rate (the same draw for the same row).
// Every real model must beat it.
#include <cmath>
#include <cstring>

#include "credo/base/fingerprint.h"
#include "credo/train/algorithm.h"

namespace credo::train {
namespace {

class DummyModel final : public ScoringModel {
 public:
  DummyModel(std::string strategy, double prior) : strategy_(std::move(strategy)), prior_(prior) {}
  std::string algorithm() const override { return "dummy"; }

  StatusOr<std::vector<float>> predict(DenseRows rows) const override {
    std::vector<float> out(rows.rows);
    for (size_t r = 0; r < rows.rows; ++r) out[r] = probability(rows.data + r * rows.cols, rows.cols);
    return out;
  }

  // All in the base value: the dummy uses no feature. For "stratified", the base of each row is
  // its own draw's log-odds (clipped), so the sum still equals the row's log-odds.
  StatusOr<std::vector<float>> contributions(DenseRows rows) const override {
    std::vector<float> out(rows.rows * (rows.cols + 1), 0.0f);
    for (size_t r = 0; r < rows.rows; ++r) {
      double p = std::clamp<double>(probability(rows.data + r * rows.cols, rows.cols), 1e-6, 1 - 1e-6);
      out[r * (rows.cols + 1) + rows.cols] = static_cast<float>(std::log(p / (1 - p)));
    }
    return out;
  }

  std::vector<double> native_importance(size_t) const override { return {}; }

  StatusOr<nlohmann::json> save(const std::filesystem::path&) const override {
    return nlohmann::json{{"strategy", strategy_}, {"prior", prior_}};
  }

 private:
  float probability(const float* row, size_t cols) const {
    if (strategy_ == "prior") return static_cast<float>(prior_);
    // A draw that depends only on the row's values: the same client always gets the same answer.
    std::string_view bytes(reinterpret_cast<const char*>(row), cols * sizeof(float));
    std::string h = fingerprint_bytes(bytes);
    double u = static_cast<double>(std::stoull(h.substr(0, 13), nullptr, 16)) / static_cast<double>(1ULL << 52);
    return u < prior_ ? 1.0f : 0.0f;
  }

  std::string strategy_;
  double prior_;
};

class DummyAlgorithm final : public Algorithm {
 public:
  std::string name() const override { return "dummy"; }
  std::string description() const override { return "ignores the client: the training default rate for everyone"; }
  Params defaults() const override { return {{"strategy", std::string("prior")}}; }
  std::vector<ParamSpec> search_space() const override {
    return {{"strategy", ParamSpec::Kind::kChoice, 0, 0, {"prior", "stratified"}}};
  }
  // Its two strategies are all there is to search.
  int exhaustive_trials() const override { return 2; }

  StatusOr<std::unique_ptr<ScoringModel>> fit(const FitData& data, const Params& params) const override {
    std::string strategy = param_text(params, "strategy", "prior");
    if (strategy != "prior" && strategy != "stratified")
      return Status::InvalidArgument("dummy: strategy must be 'prior' or 'stratified', not '" + strategy + "'");
    double positives = 0, total = 0;
    const TrainingRows& train = *data.train;
    for (size_t i = 0; i < train.labels.size(); ++i) {
      double w = train.weights.empty() ? 1.0 : train.weights[i];
      positives += w * train.labels[i];
      total += w;
    }
    return std::unique_ptr<ScoringModel>(new DummyModel(strategy, total > 0 ? positives / total : 0));
  }

  StatusOr<std::unique_ptr<ScoringModel>> load(const std::filesystem::path&, const nlohmann::json& saved,
                                               int) const override {
    if (!saved.is_object() || !saved.contains("strategy") || !saved["strategy"].is_string() ||
        !saved.contains("prior") || !saved["prior"].is_number())
      return Status::ParseError("dummy model: 'strategy' (text) and 'prior' (a number) are required");
    return std::unique_ptr<ScoringModel>(new DummyModel(saved["strategy"].get<std::string>(), saved["prior"].get<double>()));
  }
};

}  // namespace

const Algorithm& dummy_algorithm() {
  static const DummyAlgorithm algorithm;
  return algorithm;
}

}  // namespace credo::train
