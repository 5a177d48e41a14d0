// Distributions over the known clients: fields resolved against the data, columns gathered once
// into population order and cached, the filter applied as a mask, then one pass per answer.
#include "credo/serve/population.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <span>

#include "credo/data/homecredit.h"
#include "credo/data/homecredit_ranges.h"

namespace credo::serve {
namespace {

constexpr uint32_t kNoMatrixRow = std::numeric_limits<uint32_t>::max();
// The limits of the binned range: the tails beyond are counted as underflow and overflow, so
// one extreme income does not squeeze everyone else into the first bar.
constexpr double kLowerLimitQuantile = 0.005, kUpperLimitQuantile = 0.995;

// Clients counted with their outcomes.
struct OutcomeCounts {
  size_t count = 0, known = 0, defaulted = 0;
  void add(int8_t target) {
    ++count;
    known += target >= 0;
    defaulted += target == 1;
  }
  nlohmann::json to_json() const {
    return {{"count", count},
            {"known_outcomes", known},
            {"defaulted", defaulted},
            {"default_rate", known ? nlohmann::json(static_cast<double>(defaulted) / static_cast<double>(known))
                                   : nlohmann::json(nullptr)}};
  }
};

// The smallest of 1, 2, 2.5, 5 x 10^k at least `raw` (whole numbers: at least 1, no 2.5):
// bin edges on round numbers read at a glance on an axis.
double round_bin_width(double raw, bool integral) {
  if (!(raw > 0)) return 1;
  double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0}) {
    double width = m * magnitude;
    if (integral && width != std::floor(width)) continue;
    // Slack for float noise: 0.9f - 0.1f is 0.8000000119.
    if (width >= raw * (1 - 1e-6)) return integral ? std::max(1.0, width) : width;
  }
  return 10 * magnitude;
}

// A bin edge without the binary noise of start + b * width (0.6000000000000001 -> 0.6).
double tidy_edge(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.10g", x);
  return std::strtod(buf, nullptr);
}

double population_round_percent(double share) { return std::round(share * 1000) / 10; }

nlohmann::json population_number_or_null(double x) { return std::isnan(x) ? nlohmann::json(nullptr) : nlohmann::json(x); }

// The value that reads as a special case rather than a number in a raw column: the code the
// data stage allows beside the column's range (DAYS_EMPLOYED's "no date").
std::optional<double> special_value_of(const Population::Field& field) {
  if (field.kind != Population::Field::Kind::kNumber) return std::nullopt;
  const HcValueRange* range = homecredit_range(HcTable::kApplicationTest, field.name);
  return range ? range->also_allowed : std::nullopt;
}

std::string filter_level_list(const std::vector<std::string>& dictionary) {
  std::string out;
  for (size_t i = 0; i < dictionary.size() && i < 60; ++i) out += (i ? ", " : "") + dictionary[i];
  return out;
}


// The clients a filter selects: every known client when the mask is empty.
struct GroupView {
  std::span<const int8_t> targets;
  const std::vector<uint8_t>& mask;
  size_t size = 0;
  bool contains(size_t r) const { return mask.empty() || mask[r]; }
};

// A categorical field: the group's count, its missing values and each level with its default rate,
// the largest first.
void describe_levels(const Column& column, const GroupView& group, nlohmann::json& out) {
  OutcomeCounts counted, missing;
  std::vector<OutcomeCounts> levels(column.dictionary().size());
  auto codes = column.codes();
  for (size_t r = 0; r < group.size; ++r) {
    if (!group.contains(r)) continue;
    counted.add(group.targets[r]);
    if (codes[r] < 0) missing.add(group.targets[r]);
    else levels[static_cast<size_t>(codes[r])].add(group.targets[r]);
  }
  std::vector<size_t> order;
  for (size_t i = 0; i < levels.size(); ++i)
    if (levels[i].count) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return levels[a].count != levels[b].count ? levels[a].count > levels[b].count
                                              : column.dictionary()[a] < column.dictionary()[b];
  });
  nlohmann::json level_rows = nlohmann::json::array();
  for (size_t i : order) {
    nlohmann::json level = levels[i].to_json();
    level["level"] = column.dictionary()[i];
    level["share"] = static_cast<double>(levels[i].count) / static_cast<double>(counted.count - missing.count);
    level_rows.push_back(std::move(level));
  }
  out["group"] = counted.to_json();
  out["missing"] = missing.to_json();
  out["levels"] = std::move(level_rows);
}

// A numeric field's group split into missing values, the special value and the present values
// (with their outcomes), which are binned.
struct GroupValues {
  std::vector<float> present;
  std::vector<int8_t> present_targets;
  std::optional<double> special;
  bool integral = true;  // every present value a whole number
};

GroupValues gather_values(const float* values, std::optional<double> special, const GroupView& group,
                          nlohmann::json& out) {
  GroupValues gathered;
  gathered.special = special;
  OutcomeCounts counted, missing, special_counts;
  gathered.present.reserve(group.mask.empty() ? group.size : group.size / 4);
  gathered.present_targets.reserve(gathered.present.capacity());
  for (size_t r = 0; r < group.size; ++r) {
    if (!group.contains(r)) continue;
    counted.add(group.targets[r]);
    float x = values[r];
    if (std::isnan(x)) {
      missing.add(group.targets[r]);
    } else if (special && x == *special) {
      special_counts.add(group.targets[r]);
    } else {
      gathered.present.push_back(x);
      gathered.present_targets.push_back(group.targets[r]);
      gathered.integral = gathered.integral && x == std::floor(x);
    }
  }
  out["group"] = counted.to_json();
  out["missing"] = missing.to_json();
  if (special) {
    nlohmann::json s = special_counts.to_json();
    s["value"] = *special;
    s["label"] = "not employed (pensioner or unemployed)";
    out["special"] = nlohmann::json::array({std::move(s)});
  }
  if (gathered.present.empty()) out["bins"] = nlohmann::json::array();
  return gathered;
}

// Equal-width bins on round numbers between the robust limits of the present values.
struct RoundBins {
  double low = 0, high = 0;  // the 0.5th and 99.5th percentiles
  double start = 0, width = 0, end = 0;
  size_t count = 0;
  bool integral = true;
  // Bin of x: 0..count-1, -1 below, count above; the last bin of real numbers is closed.
  long bin_of(double x) const {
    if (x < start) return -1;
    if (width == 0) return x == start ? 0 : static_cast<long>(count);
    long b = static_cast<long>(std::floor((x - start) / width));
    if (b >= static_cast<long>(count)) return !integral && x <= end ? static_cast<long>(count) - 1 : static_cast<long>(count);
    return b;
  }
};

RoundBins round_bins(const std::vector<float>& present, bool integral, int bins) {
  RoundBins r;
  r.integral = integral;
  // Robust limits: two selections on a copy (linear time, no sort of the whole group).
  std::vector<float> scratch = present;
  const size_t m = scratch.size();
  auto at_rank = [&](size_t k) {
    std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(k), scratch.end());
    return static_cast<double>(scratch[k]);
  };
  r.low = at_rank(static_cast<size_t>(std::floor(kLowerLimitQuantile * static_cast<double>(m - 1))));
  r.high = at_rank(static_cast<size_t>(std::ceil(kUpperLimitQuantile * static_cast<double>(m - 1))));
  // The narrowest round width giving at most `bins` bars once the start is rounded down too.
  double width = integral ? round_bin_width((r.high - r.low + 1) / bins, true)
                          : round_bin_width((r.high - r.low) / bins, false);
  for (int widen = 0;; ++widen, width = round_bin_width(width * 1.0001, integral)) {
    r.start = std::floor(r.low / width) * width;
    r.count = integral ? static_cast<size_t>(std::floor((r.high - r.start) / width)) + 1
                       : std::max<size_t>(1, static_cast<size_t>(std::ceil((r.high - r.start) / width)));
    if (r.count <= static_cast<size_t>(bins) || widen == 8) break;
  }
  r.width = width;
  if (!integral && r.high == r.low) {  // one value: one bar
    r.width = 0;
    r.start = r.low;
    r.count = 1;
  }
  r.end = r.start + static_cast<double>(r.count) * r.width;
  return r;
}

// Bins the present values and writes the bins, the binning and the tails.
RoundBins describe_bins(const GroupValues& values, int bins, nlohmann::json& out) {
  RoundBins binning = round_bins(values.present, values.integral, bins);
  std::vector<OutcomeCounts> counts(binning.count + 2);  // [0] underflow, [1..count], [count + 1] overflow
  for (size_t i = 0; i < values.present.size(); ++i)
    counts[static_cast<size_t>(binning.bin_of(values.present[i]) + 1)].add(values.present_targets[i]);
  nlohmann::json bin_list = nlohmann::json::array();
  for (size_t b = 0; b < binning.count; ++b) {
    nlohmann::json bin = counts[b + 1].to_json();
    bin["from"] = tidy_edge(binning.start + static_cast<double>(b) * binning.width);
    bin["to"] = tidy_edge(binning.start + static_cast<double>(b + 1) * binning.width);
    bin_list.push_back(std::move(bin));
  }
  out["binning"] = {{"method", "equal width between the 0.5th and 99.5th percentiles, on round numbers"},
                    {"from", tidy_edge(binning.start)},
                    {"to", tidy_edge(binning.end)},
                    {"width", binning.width},
                    {"whole_numbers", binning.integral},
                    {"percentile_0_5", binning.low},
                    {"percentile_99_5", binning.high}};
  out["bins"] = std::move(bin_list);
  nlohmann::json underflow = counts[0].to_json(), overflow = counts[binning.count + 1].to_json();
  underflow["to"] = tidy_edge(binning.start);
  overflow["from"] = tidy_edge(binning.end);
  out["underflow"] = std::move(underflow);
  out["overflow"] = std::move(overflow);
  return binning;
}

// Where the client's value falls: missing, special, a tail or a bin, with its mid-rank percentile.
void place_client(float x, const GroupValues& values, const RoundBins& binning, nlohmann::json& client) {
  if (std::isnan(x)) {
    client["position"] = "missing";
    return;
  }
  if (values.special && x == *values.special) {
    client["position"] = "special";
    return;
  }
  long b = binning.bin_of(x);
  const long count = static_cast<long>(binning.count);
  client["position"] = b < 0 ? "underflow" : b >= count ? "overflow" : "bin";
  client["bin"] = b < 0 || b >= count ? nlohmann::json(nullptr) : nlohmann::json(b);
  // Mid-rank percentile: ties count half, so a value shared by everyone sits at 50.
  size_t below = 0, equal = 0;
  for (float v : values.present) {
    below += v < x;
    equal += v == x;
  }
  client["percentile"] = population_round_percent((static_cast<double>(below) + 0.5 * static_cast<double>(equal)) /
                                                  static_cast<double>(values.present.size()));
}

}  // namespace

Population::Population(std::shared_ptr<const FeatureMatrix> features, std::shared_ptr<const ClientProfiles> profiles,
                       PopulationOptions options)
    : features_(std::move(features)), profiles_(std::move(profiles)), options_(std::move(options)) {
  matrix_row_.resize(profiles_->num_clients(), kNoMatrixRow);
  for (size_t r = 0; r < matrix_row_.size(); ++r)
    if (auto row = features_->find_row(profiles_->id(r))) matrix_row_[r] = static_cast<uint32_t>(*row);
}

StatusOr<std::unique_ptr<Population>> Population::create(std::shared_ptr<const FeatureMatrix> features,
                                                         std::shared_ptr<const ClientProfiles> profiles,
                                                         PopulationOptions options) {
  std::unique_ptr<Population> population(new Population(std::move(features), std::move(profiles), std::move(options)));
  CREDO_RETURN_IF_ERROR(population->build_similarity_index());
  return population;
}

StatusOr<Population::Field> Population::resolve(std::string_view name) const {
  Field field;
  field.name = std::string(name);
  const Column* column = name == "SK_ID_CURR" ? nullptr : profiles_->table().find(name);
  auto documented = [&] {
    const HcColumnDoc* doc = find_homecredit_doc(HcTable::kApplicationTrain, name);
    return doc ? doc->description : std::string();
  };
  // Text columns first: the matrix has them only as codes (CODE_GENDER is a 0/1 feature).
  if (column && column->type() == ColumnType::kCategorical) {
    field.kind = Field::Kind::kText;
    field.column = column;
    field.description = documented();
  } else if (int f = features_->feature_index(name); f >= 0) {
    field.kind = Field::Kind::kFeature;
    field.feature = f;
    field.description = features_->features()[static_cast<size_t>(f)].description;
  } else if (column) {
    field.kind = Field::Kind::kNumber;
    field.column = column;
    field.description = documented();
  } else if (name == "AGE") {
    field.kind = Field::Kind::kAge;
    field.description = "Age in years at the time of application (from DAYS_BIRTH)";
  } else {
    return Status::InvalidArgument("no feature '" + std::string(name) + "' (see /api/v1/model for the inputs)");
  }
  return field;
}

double Population::value_of(const Field& field, size_t row) const {
  switch (field.kind) {
    case Field::Kind::kFeature:
      return matrix_row_[row] == kNoMatrixRow ? NAN
                                              : features_->value(matrix_row_[row], static_cast<size_t>(field.feature));
    case Field::Kind::kNumber: return field.column->as_double(row);
    case Field::Kind::kAge: return profiles_->age_years(row).value_or(NAN);
    case Field::Kind::kText: return NAN;
  }
  return NAN;
}

std::vector<float> Population::compute_column(const Field& field) const {
  size_t n = num_clients();
  std::vector<float> values(n);
  if (field.kind == Field::Kind::kFeature) {
    // Rows of the matrix are in the same order as the population's: a forward strided walk.
    const size_t f = static_cast<size_t>(field.feature);
    for (size_t r = 0; r < n; ++r)
      values[r] = matrix_row_[r] == kNoMatrixRow ? NAN : features_->value(matrix_row_[r], f);
  } else {
    for (size_t r = 0; r < n; ++r) values[r] = static_cast<float>(value_of(field, r));
  }
  return values;
}

std::shared_ptr<const std::vector<float>> Population::numeric_column(const Field& field) const {
  {
    std::lock_guard<std::mutex> lock(cache_mutex_);
    if (auto it = cache_.find(field.name); it != cache_.end()) {
      recency_.splice(recency_.begin(), recency_, it->second.recency);
      return it->second.values;
    }
  }
  // Gathered outside the lock: a column of the mapped matrix takes tens of milliseconds.
  auto values = std::make_shared<const std::vector<float>>(compute_column(field));
  std::lock_guard<std::mutex> lock(cache_mutex_);
  if (auto it = cache_.find(field.name); it != cache_.end()) return it->second.values;  // another thread won
  recency_.push_front(field.name);
  cache_[field.name] = {values, recency_.begin()};
  while (cache_.size() > std::max<size_t>(1, options_.cached_columns)) {
    cache_.erase(recency_.back());
    recency_.pop_back();
  }
  return values;
}

size_t Population::memory_bytes() const {
  std::lock_guard<std::mutex> lock(cache_mutex_);
  size_t bytes = similarity_points_.size() * sizeof(float) + matrix_row_.size() * sizeof(uint32_t);
  for (const auto& [name, column] : cache_) bytes += column.values->size() * sizeof(float);
  return bytes;
}

StatusOr<std::vector<uint8_t>> Population::filter_mask(std::string_view filter,
                                                       std::optional<size_t> client_row) const {
  CREDO_ASSIGN_OR_RETURN(std::vector<FilterClause> clauses, parse_population_filter(filter));
  std::vector<uint8_t> mask;
  if (clauses.empty()) return mask;
  mask.assign(num_clients(), 1);
  for (const FilterClause& clause : clauses) {
    auto resolved = resolve(clause.field);
    if (!resolved.ok())
      return Status::InvalidArgument("filter: no field '" + clause.field + "' (an application column, a feature or AGE)");
    const Field& field = *resolved;
    std::string where = "filter " + clause.field + ":" + clause.value;
    if (clause.is_client() && !client_row) return Status::InvalidArgument(where + " needs a client (client=ID)");

    if (field.kind == Field::Kind::kText) {
      const Column& column = *field.column;
      std::vector<uint8_t> allowed(column.dictionary().size(), 0);
      if (clause.is_client()) {
        if (column.is_missing(*client_row))
          return Status::InvalidArgument(where + ": client " + std::to_string(profiles_->id(*client_row)) +
                                         " has no " + clause.field);
        allowed[static_cast<size_t>(column.codes()[*client_row])] = 1;
      } else {
        for (const std::string& level : clause.levels()) {
          auto it = std::find(column.dictionary().begin(), column.dictionary().end(), level);
          if (it == column.dictionary().end())
            return Status::InvalidArgument("filter: " + clause.field + " has no level '" + level + "' (levels: " +
                                           filter_level_list(column.dictionary()) + ")");
          allowed[static_cast<size_t>(it - column.dictionary().begin())] = 1;
        }
      }
      auto codes = column.codes();
      for (size_t r = 0; r < mask.size(); ++r) mask[r] &= codes[r] >= 0 && allowed[static_cast<size_t>(codes[r])];
      continue;
    }

    NumberRange range;
    if (clause.is_client()) {
      double x = value_of(field, *client_row);
      if (std::isnan(x))
        return Status::InvalidArgument(where + ": client " + std::to_string(profiles_->id(*client_row)) +
                                       " has no " + clause.field);
      // The client's age means their ten-year band; any other number, their exact value.
      if (field.kind == Field::Kind::kAge) range = {std::floor(x / 10) * 10, std::floor(x / 10) * 10 + 10, false};
      else range = {static_cast<float>(x), static_cast<float>(x), true};
    } else {
      auto parsed = parse_number_range(clause.value);
      if (!parsed) return Status::InvalidArgument(where + ": expected a number or a range such as 30-40 or 0.2..0.5");
      range = *parsed;
      if (range.exact) range.from = range.to = static_cast<float>(range.from);  // the column holds floats
    }
    auto column = numeric_column(field);
    const float* values = column->data();
    for (size_t r = 0; r < mask.size(); ++r) mask[r] &= !std::isnan(values[r]) && range.contains(values[r]);
  }
  return mask;
}

StatusOr<nlohmann::json> Population::distribution(std::string_view feature, std::string_view filter,
                                                  std::optional<int64_t> client_id, int bins) const {
  if (bins < 2 || bins > kMaxBins)
    return Status::InvalidArgument("bins must be between 2 and " + std::to_string(kMaxBins) + ", not " +
                                   std::to_string(bins));
  std::optional<size_t> client_row;
  if (client_id) {
    client_row = profiles_->find(*client_id);
    if (!client_row) return Status::NotFound("client " + std::to_string(*client_id) + " is not a known client");
  }
  CREDO_ASSIGN_OR_RETURN(Field field, resolve(feature));
  CREDO_ASSIGN_OR_RETURN(std::vector<uint8_t> mask, filter_mask(filter, client_row));
  GroupView group{profiles_->targets(), mask, num_clients()};

  static constexpr const char* kSourceNames[] = {"application", "features", "application", "derived"};
  nlohmann::json out = {{"feature", field.name},
                        {"source", kSourceNames[static_cast<int>(field.kind)]},
                        {"description", field.description},
                        {"type", field.kind == Field::Kind::kText ? "text" : "numeric"},
                        {"filter", std::string(filter)},
                        {"population", group.size}};
  nlohmann::json client;
  if (client_row) {
    client = {{"client_id", *client_id},
              {"in_group", group.contains(*client_row)},
              {"outcome", outcome_name(group.targets[*client_row])}};
  }
  if (field.kind == Field::Kind::kText) {
    describe_levels(*field.column, group, out);
    if (client_row) {
      client["value"] = field.column->is_missing(*client_row) ? nlohmann::json(nullptr)
                                                             : nlohmann::json(field.column->category(*client_row));
      out["client"] = std::move(client);
    }
    return out;
  }
  auto column = numeric_column(field);
  GroupValues values = gather_values(column->data(), special_value_of(field), group, out);
  std::optional<RoundBins> binning;
  if (!values.present.empty()) binning = describe_bins(values, bins, out);
  if (client_row) {
    client["value"] = population_number_or_null(value_of(field, *client_row));
    if (binning) place_client(column->data()[*client_row], values, *binning, client);
    out["client"] = std::move(client);
  }
  return out;
}

}  // namespace credo::serve
