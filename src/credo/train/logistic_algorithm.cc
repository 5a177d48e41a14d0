// Logistic regression as a leaderboard algorithm: LinearPreprocess fitted on the fold's training
// rows, then LogisticModel on the transformed rows (SMOTE's synthetic rows included), both saved
// in the bundle. SHAP values come back in the raw feature space: the contribution of a column's
// missing indicator is added to the column's own.
#include <cmath>

#include "credo/base/atomic_file.h"
#include "credo/train/algorithm.h"
#include "credo/train/linear_preprocess.h"
#include "credo/train/logistic_model.h"

namespace credo::train {
namespace {

class LogisticScoringModel final : public ScoringModel {
 public:
  LogisticScoringModel(LinearPreprocess preprocess, LogisticModel model)
      : preprocess_(std::move(preprocess)), model_(std::move(model)) {}
  std::string algorithm() const override { return "logistic"; }

  StatusOr<std::vector<float>> predict(DenseRows rows) const override {
    CREDO_RETURN_IF_ERROR(check_columns(rows));
    std::vector<float> out(rows.rows), buffer(preprocess_.output_columns());
    for (size_t r = 0; r < rows.rows; ++r) {
      preprocess_.transform_row(rows.data + r * rows.cols, buffer.data());
      out[r] = static_cast<float>(1.0 / (1.0 + std::exp(-model_.margin(buffer.data()))));
    }
    return out;
  }

  StatusOr<std::vector<float>> contributions(DenseRows rows) const override {
    CREDO_RETURN_IF_ERROR(check_columns(rows));
    size_t cols = rows.cols, inner = preprocess_.output_columns();
    std::vector<float> out(rows.rows * (cols + 1)), buffer(inner), phi(inner + 1);
    for (size_t r = 0; r < rows.rows; ++r) {
      preprocess_.transform_row(rows.data + r * cols, buffer.data());
      model_.contributions(buffer.data(), phi.data());
      float* dest = out.data() + r * (cols + 1);
      for (size_t c = 0; c < cols; ++c) {
        int32_t indicator = preprocess_.columns()[c].indicator;
        dest[c] = phi[c] + (indicator >= 0 ? phi[static_cast<size_t>(indicator)] : 0.0f);
      }
      dest[cols] = phi[inner];
    }
    return out;
  }

  // |coefficient| of the standardised column (plus its indicator's): the change in log-odds for
  // one standard deviation.
  std::vector<double> native_importance(size_t cols) const override {
    std::vector<double> importance(cols, 0.0);
    const auto& coef = model_.coefficients();
    for (size_t c = 0; c < cols && c < preprocess_.input_columns(); ++c) {
      importance[c] = std::abs(coef[c]);
      int32_t indicator = preprocess_.columns()[c].indicator;
      if (indicator >= 0) importance[c] += std::abs(coef[static_cast<size_t>(indicator)]);
    }
    return importance;
  }

  StatusOr<nlohmann::json> save(const std::filesystem::path& dir) const override {
    CREDO_RETURN_IF_ERROR(write_file_atomically((dir / "preprocess.json").string(), preprocess_.to_json().dump()));
    CREDO_RETURN_IF_ERROR(write_file_atomically((dir / "logistic.json").string(), model_.to_json().dump()));
    return nlohmann::json{{"preprocess", "preprocess.json"}, {"model", "logistic.json"}};
  }

  std::map<std::string, double> fit_facts() const override {
    double nonzero = 0;
    for (double c : model_.coefficients()) nonzero += c != 0;
    return {{"iterations", model_.iterations()}, {"nonzero_coefficients", nonzero}};
  }

 private:
  Status check_columns(DenseRows rows) const {
    if (rows.cols != preprocess_.input_columns())
      return Status::InvalidArgument("logistic model expects " + std::to_string(preprocess_.input_columns()) +
                                     " features, got " + std::to_string(rows.cols));
    return Status::Ok();
  }
  LinearPreprocess preprocess_;
  LogisticModel model_;
};

class LogisticAlgorithm final : public Algorithm {
 public:
  std::string name() const override { return "logistic"; }
  std::string description() const override {
    return "logistic regression on imputed, straightened, standardised features (L2 or L1 penalty)";
  }
  Params defaults() const override { return {{"penalty", std::string("l2")}, {"C", 0.1}}; }
  std::vector<ParamSpec> search_space() const override {
    return {{"penalty", ParamSpec::Kind::kChoice, 0, 0, {"l2", "l1"}}, {"C", ParamSpec::Kind::kLogUniform, 1e-4, 10, {}}};
  }

  StatusOr<std::unique_ptr<ScoringModel>> fit(const FitData& data, const Params& params) const override {
    const TrainingRows& train = *data.train;
    LinearPreprocess preprocess = LinearPreprocess::fit(data.data, train.rows);
    std::vector<float> x = preprocess.transform(data.data, train.rows);
    size_t cols = preprocess.output_columns();
    size_t synthetic = train.synthetic_rows();
    x.resize((train.rows.size() + synthetic) * cols);
    for (size_t s = 0; s < synthetic; ++s)
      preprocess.transform_row(train.synthetic.data() + s * data.data.cols, x.data() + (train.rows.size() + s) * cols);
    LogisticOptions options;
    options.penalty = param_text(params, "penalty", "l2");
    options.c = param_number(params, "C", 0.1);
    options.threads = data.threads;
    CREDO_ASSIGN_OR_RETURN(LogisticModel model, LogisticModel::fit(x, cols, train.labels, train.weights, options));
    return std::unique_ptr<ScoringModel>(new LogisticScoringModel(std::move(preprocess), std::move(model)));
  }

  StatusOr<std::unique_ptr<ScoringModel>> load(const std::filesystem::path& dir, const nlohmann::json&,
                                               int) const override {
    CREDO_ASSIGN_OR_RETURN(nlohmann::json preprocess_json, read_json_file(dir / "preprocess.json"));
    CREDO_ASSIGN_OR_RETURN(nlohmann::json model_json, read_json_file(dir / "logistic.json"));
    CREDO_ASSIGN_OR_RETURN(LinearPreprocess preprocess, LinearPreprocess::from_json(preprocess_json));
    CREDO_ASSIGN_OR_RETURN(LogisticModel model, LogisticModel::from_json(model_json));
    return std::unique_ptr<ScoringModel>(new LogisticScoringModel(std::move(preprocess), std::move(model)));
  }
};

}  // namespace

const Algorithm& logistic_algorithm() {
  static const LogisticAlgorithm algorithm;
  return algorithm;
}

}  // namespace credo::train
