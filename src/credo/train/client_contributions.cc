// Computing, caching and reading the known clients' contributions.
#include "credo/train/client_contributions.h"

#include <cmath>
#include <mutex>

#include "credo/base/parallel.h"
#include "credo/base/progress.h"

namespace credo::train {
namespace {

constexpr char kContributionsKind[] = "credo known clients' SHAP contributions";
constexpr size_t kRowsPerTask = 256;

}  // namespace

std::filesystem::path contributions_cache_file(const std::filesystem::path& store_root, const std::string& model_name,
                                               int64_t version) {
  return store_root / "serving" / model_name / ("v" + std::to_string(version)) / "contributions.cfm";
}

std::string contributions_cache_key(const std::string& model_name, int64_t version, const std::string& run_id,
                                    const std::string& features_path) {
  std::error_code ec;
  std::filesystem::path features = std::filesystem::absolute(features_path, ec);
  auto size = std::filesystem::file_size(features, ec);
  auto mtime = std::filesystem::last_write_time(features, ec).time_since_epoch().count();
  return model_name + "|" + std::to_string(version) + "|" + run_id + "|" + features.string() +
         "|" + std::to_string(size) + "|" + std::to_string(mtime);
}

std::vector<uint8_t> contributing_features(const ScoringModel& model, size_t num_features) {
  std::vector<double> importance = model.native_importance(num_features);
  std::vector<uint8_t> used(num_features);
  for (size_t i = 0; i < num_features; ++i) used[i] = i < importance.size() && importance[i] != 0;
  return used;
}

StatusOr<ClientContributions> ClientContributions::load_or_compute(const ContributionSource& source,
                                                                   const std::filesystem::path& cache_file,
                                                                   int threads, FILE* progress) {
  const size_t num_features = source.feature_names.size();
  const FeatureMatrix& matrix = *source.clients;
  ClientContributions result;
  result.num_features_ = num_features;
  for (size_t f = 0; f < num_features; ++f)
    if (source.used[f]) result.used_.push_back(static_cast<uint32_t>(f));

  std::error_code ignored;
  if (!cache_file.empty() && std::filesystem::exists(cache_file, ignored)) {
    StatusOr<FeatureMatrix> cached = read_feature_matrix(cache_file.string());
    if (cached.ok() && cached->metadata().value("kind", "") == kContributionsKind &&
        cached->metadata().value("cache_key", "") == source.cache_key &&
        cached->num_rows() == matrix.num_rows() && cached->num_features() == result.used_.size()) {
      result.values_ = std::move(*cached);
      result.base_value_ = result.values_.metadata().value("base_value", 0.0);
      result.from_cache_ = true;
    }
  }

  if (!result.from_cache_) {
    std::vector<FeatureInfo> columns;
    for (uint32_t f : result.used_) columns.emplace_back().name = source.feature_names[f];
    const size_t rows = matrix.num_rows(), used = result.used_.size();
    FeatureMatrix values(std::move(columns), rows);
    for (size_t r = 0; r < rows; ++r) values.set_client(r, matrix.id(r), matrix.target(r), matrix.is_test(r));
    float* out = rows ? values.row(0) : nullptr;

    bool identity = source.client_column.size() == matrix.num_features();
    for (size_t i = 0; identity && i < source.client_column.size(); ++i) identity = source.client_column[i] == int32_t(i);
    std::mutex error_mutex;
    Status error;
    double base_value = 0;
    ProgressBar bar("explaining known clients", rows, "clients", progress);
    parallel_for((rows + kRowsPerTask - 1) / kRowsPerTask, threads, [&](size_t task) {
      std::vector<float> inputs(num_features);
      std::vector<double> phi(num_features + 1);
      size_t r0 = task * kRowsPerTask, r1 = std::min(rows, r0 + kRowsPerTask);
      for (size_t r = r0; r < r1; ++r) {
        const float* row = matrix.row(r);
        if (!identity) {
          for (size_t i = 0; i < num_features; ++i) inputs[i] = row[source.client_column[i]];
          row = inputs.data();
        }
        Status s = source.scorer->contributions(row, phi.data());
        if (!s.ok()) {
          std::lock_guard lock(error_mutex);
          if (error.ok()) error = s;
          return;
        }
        float* dest = out + r * used;
        for (size_t u = 0; u < used; ++u) dest[u] = static_cast<float>(phi[result.used_[u]]);
        if (r == 0) base_value = phi[num_features];
      }
      bar.add(r1 - r0);
    });
    bar.finish();
    CREDO_RETURN_IF_ERROR(error);
    values.metadata() = {{"kind", kContributionsKind}, {"cache_key", source.cache_key}, {"base_value", base_value}};
    result.base_value_ = base_value;
    if (!cache_file.empty()) {
      std::filesystem::create_directories(cache_file.parent_path(), ignored);
      Status written = write_feature_matrix(values, cache_file.string());
      if (!written.ok() && progress)
        std::fprintf(progress, "warning: the contributions are not cached: %s\n", written.message().c_str());
    }
    result.values_ = std::move(values);
  }

  // Global importance: one pass, in row order, so the figures do not depend on the thread count.
  result.mean_abs_.assign(num_features, 0.0);
  const size_t rows = result.values_.num_rows(), used = result.used_.size();
  std::vector<double> sums(used, 0.0);
  for (size_t r = 0; r < rows; ++r) {
    const float* row = result.values_.row(r);
    for (size_t u = 0; u < used; ++u) sums[u] += std::abs(row[u]);
  }
  for (size_t u = 0; u < used; ++u) result.mean_abs_[result.used_[u]] = rows ? sums[u] / double(rows) : 0.0;
  return result;
}

void ClientContributions::contributions(size_t client_row, double* out) const {
  std::fill(out, out + num_features_, 0.0);
  const float* row = values_.row(client_row);
  for (size_t u = 0; u < used_.size(); ++u) out[used_[u]] = row[u];
  out[num_features_] = base_value_;
}

}  // namespace credo::train
