// The nearest known clients: each similarity feature turned into population percentiles once
// (amounts are skewed and scores are not; percentiles put them on one scale and outliers do not
// dominate), then a brute-force scan of every client with a known outcome.
#include <algorithm>
#include <cmath>
#include <queue>

#include "credo/serve/population.h"

namespace credo::serve {
namespace {

// A value present on one side only counts as a gap of half the population.
constexpr float kSimilarityMissingGap = 0.5f;

}  // namespace

std::vector<std::string> default_similarity_features() {
  return {"EXT_SOURCE_1", "EXT_SOURCE_2", "EXT_SOURCE_3", "DAYS_BIRTH", "DAYS_EMPLOYED",
          "AMT_INCOME_TOTAL", "AMT_CREDIT", "AMT_ANNUITY", "AMT_GOODS_PRICE"};
}

Status Population::build_similarity_index() {
  similarity_names_ = options_.similarity_features.empty() ? default_similarity_features() : options_.similarity_features;
  if (similarity_names_.size() > kMaxSimilarityFeatures)
    return Status::InvalidArgument("similarity: " + std::to_string(similarity_names_.size()) +
                                   " features, at most " + std::to_string(kMaxSimilarityFeatures));
  for (const std::string& name : similarity_names_) {
    auto field = resolve(name);
    if (!field.ok()) return Status::InvalidArgument("similarity feature: " + field.status().message());
    if (field->kind == Field::Kind::kText)
      return Status::InvalidArgument("similarity feature '" + name + "' is text; the distance needs numbers");
    similarity_fields_.push_back(std::move(*field));
  }
  const size_t n = num_clients(), d = similarity_fields_.size();
  similarity_points_.assign(n * d, NAN);
  std::vector<std::pair<float, uint32_t>> sorted;
  for (size_t f = 0; f < d; ++f) {
    std::vector<float> values = compute_column(similarity_fields_[f]);
    sorted.clear();
    for (size_t r = 0; r < n; ++r)
      if (!std::isnan(values[r])) sorted.emplace_back(values[r], static_cast<uint32_t>(r));
    std::sort(sorted.begin(), sorted.end());
    // Mid-rank percentiles in [0, 1]: tied values share the middle of their ranks.
    const double last = std::max<double>(1, static_cast<double>(sorted.size()) - 1);
    for (size_t i = 0; i < sorted.size();) {
      size_t j = i;
      while (j < sorted.size() && sorted[j].first == sorted[i].first) ++j;
      float percentile = sorted.size() == 1 ? 0.5f : static_cast<float>(0.5 * static_cast<double>(i + j - 1) / last);
      for (size_t t = i; t < j; ++t) similarity_points_[sorted[t].second * d + f] = percentile;
      i = j;
    }
  }
  return Status::Ok();
}

StatusOr<nlohmann::json> Population::similar(int64_t client_id, int k) const {
  if (k < 1 || k > kMaxSimilar)
    return Status::InvalidArgument("k must be between 1 and " + std::to_string(kMaxSimilar) + ", not " +
                                   std::to_string(k));
  std::optional<size_t> client_row = profiles_->find(client_id);
  if (!client_row) return Status::NotFound("client " + std::to_string(client_id) + " is not a known client");
  const size_t n = num_clients(), d = similarity_fields_.size();
  const auto targets = profiles_->targets();
  const float* client = &similarity_points_[*client_row * d];

  // A max-heap of the k best squared gaps so far: one comparison per client in the common case.
  using Candidate = std::pair<float, uint32_t>;
  std::priority_queue<Candidate> best;
  for (size_t r = 0; r < n; ++r) {
    if (targets[r] < 0 || r == *client_row) continue;
    const float* point = &similarity_points_[r * d];
    float sum = 0;
    for (size_t f = 0; f < d; ++f) {
      float a = client[f], b = point[f];
      bool a_missing = std::isnan(a), b_missing = std::isnan(b);
      float gap = a_missing || b_missing ? (a_missing == b_missing ? 0.f : kSimilarityMissingGap) : a - b;
      sum += gap * gap;
    }
    if (best.size() < static_cast<size_t>(k)) best.emplace(sum, static_cast<uint32_t>(r));
    else if (sum < best.top().first) {
      best.pop();
      best.emplace(sum, static_cast<uint32_t>(r));
    }
  }
  std::vector<Candidate> nearest;
  for (; !best.empty(); best.pop()) nearest.push_back(best.top());
  std::reverse(nearest.begin(), nearest.end());

  auto values_of = [&](size_t row) {
    nlohmann::json values = nlohmann::json::object();
    for (const Field& field : similarity_fields_) {
      double x = value_of(field, row);
      values[field.name] = std::isnan(x) ? nlohmann::json(nullptr) : nlohmann::json(x);
    }
    return values;
  };
  nlohmann::json neighbours = nlohmann::json::array();
  size_t defaulted = 0;
  for (const auto& [sum, row] : nearest) {
    defaulted += targets[row] == 1;
    nlohmann::json profile = profiles_->brief(row);
    neighbours.push_back({{"client_id", profiles_->id(row)},
                          {"distance", std::sqrt(static_cast<double>(sum) / static_cast<double>(d))},
                          {"outcome", outcome_name(targets[row])},
                          {"values", values_of(row)},
                          {"profile", std::move(profile)}});
  }
  nlohmann::json self = profiles_->brief(*client_row);
  self["values"] = values_of(*client_row);
  return nlohmann::json{
      {"client_id", client_id},
      {"k", k},
      {"features", similarity_names_},
      {"distance", "root mean square gap between population percentiles of the features (0 = alike, 1 = opposite "
                   "ends); a value missing on one side counts as a gap of 0.5"},
      {"client", std::move(self)},
      {"neighbours", std::move(neighbours)},
      {"defaulted", defaulted},
      {"default_share", nearest.empty() ? nlohmann::json(nullptr)
                                        : nlohmann::json(static_cast<double>(defaulted) / static_cast<double>(nearest.size()))}};
}

}  // namespace credo::serve
