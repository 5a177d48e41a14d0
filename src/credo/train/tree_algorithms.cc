// Random forest and gradient-boosted trees, both through XGBoost (xgboost_adapter.h): a forest is
// one round of many parallel trees on bootstrap-like row samples with a learning rate of 1;
// boosting adds shallow trees one round at a time, stopped early on rows set aside from the
// fold's training part. Both save XGBoost's own booster file in the bundle.
#include <fstream>
#include <iterator>

#include "credo/base/atomic_file.h"
#include "credo/base/parallel.h"
#include "credo/train/algorithm.h"
#include "credo/train/tree_ensemble.h"

namespace credo::train {
namespace {

class TreeModel final : public ScoringModel {
 public:
  TreeModel(std::string algorithm, XgbModel model) : algorithm_(std::move(algorithm)), model_(std::move(model)) {}
  std::string algorithm() const override { return algorithm_; }
  StatusOr<std::vector<float>> predict(DenseRows rows) const override { return model_.predict(rows); }
  StatusOr<std::vector<float>> contributions(DenseRows rows) const override { return model_.contributions(rows); }
  std::vector<double> native_importance(size_t cols) const override {
    auto gain = model_.gain_importance(cols);
    return gain.ok() ? *gain : std::vector<double>(cols, 0.0);
  }
  StatusOr<nlohmann::json> save(const std::filesystem::path& dir) const override {
    CREDO_ASSIGN_OR_RETURN(std::vector<char> bytes, model_.save());
    CREDO_RETURN_IF_ERROR(write_file_atomically((dir / "booster.ubj").string(), std::string_view(bytes.data(), bytes.size())));
    return nlohmann::json{{"booster", "booster.ubj"},
                          {"best_iteration", model_.best_iteration()},
                          {"xgboost_version", xgboost_version()}};
  }
  std::map<std::string, double> fit_facts() const override {
    return {{"rounds_trained", model_.rounds_trained()}, {"best_iteration", model_.best_iteration()}};
  }
  // The trees flattened by TreeEnsemble: no XGBoost call per row (see tree_ensemble.h).
  StatusOr<std::unique_ptr<RowScorer>> row_scorer(size_t num_features) const override;

 private:
  std::string algorithm_;
  XgbModel model_;
};

class TreeRowScorer final : public RowScorer {
 public:
  explicit TreeRowScorer(TreeEnsemble trees) : trees_(std::move(trees)) {}
  size_t num_features() const override { return trees_.num_features(); }
  StatusOr<double> margin(const float* row) const override { return trees_.margin(row); }
  Status contributions(const float* row, double* out) const override {
    trees_.contributions(row, out);
    return Status::Ok();
  }

 private:
  TreeEnsemble trees_;
};

StatusOr<std::unique_ptr<RowScorer>> TreeModel::row_scorer(size_t num_features) const {
  CREDO_ASSIGN_OR_RETURN(TreeEnsemble trees, TreeEnsemble::from_xgboost(model_));
  if (trees.num_features() != num_features)
    return Status::InvalidArgument("the booster reads " + std::to_string(trees.num_features()) +
                                   " features, the bundle lists " + std::to_string(num_features));
  return std::unique_ptr<RowScorer>(new TreeRowScorer(std::move(trees)));
}

// The rows (then the synthetic rows) gathered into one block, with their labels and weights.
StatusOr<XgbData> gather(DenseRows data, std::span<const int32_t> rows, std::span<const float> synthetic,
                         std::span<const uint8_t> labels, std::span<const float> weights, int threads) {
  size_t n = rows.size() + synthetic.size() / std::max<size_t>(1, data.cols);
  std::vector<float> block = gather_rows(data, rows);
  block.insert(block.end(), synthetic.begin(), synthetic.end());
  std::vector<float> float_labels(labels.begin(), labels.end());
  return XgbData::from_rows({block.data(), n, data.cols}, float_labels, weights, threads);
}

class TreeAlgorithm : public Algorithm {
 public:
  StatusOr<std::unique_ptr<ScoringModel>> fit(const FitData& data, const Params& params) const override {
    const TrainingRows& train = *data.train;
    int threads = data.threads > 0 ? data.threads : default_thread_count();
    CREDO_ASSIGN_OR_RETURN(XgbData dtrain,
                           gather(data.data, train.rows, train.synthetic, train.labels, train.weights, threads));
    XgbTrainOptions options = options_for(params);
    options.threads = threads;
    options.seed = data.seed;
    std::optional<XgbData> dvalid;
    if (uses_early_stopping() && !data.early_stopping_rows.empty()) {
      CREDO_ASSIGN_OR_RETURN(dvalid, gather(data.data, data.early_stopping_rows, {}, data.early_stopping_labels, {}, threads));
    } else {
      options.early_stopping_rounds = 0;
    }
    CREDO_ASSIGN_OR_RETURN(XgbModel model, XgbModel::train(dtrain, dvalid ? &*dvalid : nullptr, options));
    return std::unique_ptr<ScoringModel>(new TreeModel(name(), std::move(model)));
  }

  StatusOr<std::unique_ptr<ScoringModel>> load(const std::filesystem::path& dir, const nlohmann::json&,
                                               int threads) const override {
    std::ifstream in(dir / "booster.ubj", std::ios::binary);
    if (!in) return Status::NotFound((dir / "booster.ubj").string() + ": missing from the model bundle");
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    CREDO_ASSIGN_OR_RETURN(XgbModel model, XgbModel::load(bytes, threads));
    return std::unique_ptr<ScoringModel>(new TreeModel(name(), std::move(model)));
  }

 protected:
  virtual XgbTrainOptions options_for(const Params& params) const = 0;
  static std::string number(const Params& params, const std::string& name, double fallback) {
    return param_to_string(param_number(params, name, fallback));
  }
};

class RandomForestAlgorithm final : public TreeAlgorithm {
 public:
  std::string name() const override { return "random_forest"; }
  // Each deep tree has seen ~63% of the training rows, so the forest ranks them far better than
  // new rows by construction (0.89 against 0.79 on the demo data); only a wider gap is a warning.
  double overfitting_auc_gap() const override { return 0.2; }
  std::string description() const override {
    return "random forest: many deep trees on row and column samples, averaged (XGBoost's forest mode)";
  }
  Params defaults() const override {
    return {{"trees", 100.0}, {"max_depth", 8.0}, {"colsample_bynode", 0.3}, {"min_child_weight", 5.0}};
  }
  std::vector<ParamSpec> search_space() const override {
    return {{"trees", ParamSpec::Kind::kInteger, 50, 300, {}},
            {"max_depth", ParamSpec::Kind::kInteger, 4, 12, {}},
            {"colsample_bynode", ParamSpec::Kind::kUniform, 0.05, 0.8, {}},
            {"min_child_weight", ParamSpec::Kind::kLogUniform, 1, 100, {}}};
  }

 protected:
  XgbTrainOptions options_for(const Params& params) const override {
    XgbTrainOptions options;
    options.params = {{"objective", "binary:logistic"}, {"tree_method", "hist"}, {"eta", "1"},
                      {"subsample", "0.632"}, {"num_parallel_tree", number(params, "trees", 200)},
                      {"max_depth", number(params, "max_depth", 10)},
                      {"colsample_bynode", number(params, "colsample_bynode", 0.3)},
                      {"min_child_weight", number(params, "min_child_weight", 5)}, {"lambda", "1"}, {"max_bin", "64"}};
    options.num_boost_round = 1;
    options.early_stopping_rounds = 0;
    return options;
  }
};

class XgboostAlgorithm final : public TreeAlgorithm {
 public:
  std::string name() const override { return "xgboost"; }
  std::string description() const override {
    return "gradient-boosted trees (XGBoost, hist), stopped early on rows set aside from the training part";
  }
  bool uses_early_stopping() const override { return true; }
  Params defaults() const override {
    return {{"eta", 0.1},       {"max_depth", 5.0},          {"min_child_weight", 10.0}, {"subsample", 0.8},
            {"colsample_bytree", 0.5}, {"lambda", 1.0}, {"rounds", 2000.0}};
  }
  std::vector<ParamSpec> search_space() const override {
    return {{"eta", ParamSpec::Kind::kLogUniform, 0.01, 0.3, {}},
            {"max_depth", ParamSpec::Kind::kInteger, 2, 8, {}},
            {"min_child_weight", ParamSpec::Kind::kLogUniform, 1, 200, {}},
            {"subsample", ParamSpec::Kind::kUniform, 0.5, 1.0, {}},
            {"colsample_bytree", ParamSpec::Kind::kUniform, 0.1, 1.0, {}},
            {"lambda", ParamSpec::Kind::kLogUniform, 0.1, 100, {}}};
  }

 protected:
  XgbTrainOptions options_for(const Params& params) const override {
    XgbTrainOptions options;
    options.params = {{"objective", "binary:logistic"}, {"tree_method", "hist"},
                      {"eta", number(params, "eta", 0.1)}, {"max_depth", number(params, "max_depth", 5)},
                      {"min_child_weight", number(params, "min_child_weight", 10)},
                      {"subsample", number(params, "subsample", 0.8)},
                      {"colsample_bytree", number(params, "colsample_bytree", 0.5)},
                      {"lambda", number(params, "lambda", 1)}, {"max_bin", "64"}};
    options.num_boost_round = static_cast<int>(param_number(params, "rounds", 2000));
    options.early_stopping_rounds = 50;
    options.stop_on_auc = true;  // the training rows may be re-weighted or re-sampled, the stopping rows never
    return options;
  }
};

}  // namespace

const Algorithm& random_forest_algorithm() {
  static const RandomForestAlgorithm algorithm;
  return algorithm;
}

const Algorithm& xgboost_algorithm() {
  static const XgboostAlgorithm algorithm;
  return algorithm;
}

}  // namespace credo::train
