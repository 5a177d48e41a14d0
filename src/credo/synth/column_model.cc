#include "credo/synth/column_model.h"

#include <algorithm>
#include <array>
#include <cassert>
#include <nlohmann/json.hpp>

#include "credo/synth/csv_format.h"

namespace credo::synth {

double normal_cdf(double x) { return 0.5 * std::erfc(-x * 0.7071067811865476); }

// Acklam's rational approximation (relative error < 1.2e-9), enough for a copula.
double normal_quantile(double p) {
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
                             1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  p = std::clamp(p, 1e-12, 1 - 1e-12);
  if (p < 0.02425) {
    double q = std::sqrt(-2 * std::log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
           ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - 0.02425) return -normal_quantile(1 - p);
  double q = p - 0.5, r = q * q;
  return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
         (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

double ColumnModel::quantile(double u) const {
  if (knot_p.empty()) return 0;
  auto it = std::upper_bound(knot_p.begin(), knot_p.end(), u);
  if (it == knot_p.begin()) return knot_v.front();
  if (it == knot_p.end()) return knot_v.back();
  size_t hi = static_cast<size_t>(it - knot_p.begin()), lo = hi - 1;
  double t = (u - knot_p[lo]) / (knot_p[hi] - knot_p[lo]);
  return knot_v[lo] + t * (knot_v[hi] - knot_v[lo]);
}

double ColumnModel::value_at(double u) const {
  if (type == ColumnType::kCategorical) {
    auto it = std::upper_bound(level_cum.begin(), level_cum.end(), u);
    size_t i = std::min(static_cast<size_t>(it - level_cum.begin()), levels.size() - 1);
    return static_cast<double>(i);
  }
  if (special_share > 0) {
    if (u >= 1 - special_share) return special_value;
    u /= (1 - special_share);
  }
  if (!discrete_cum.empty()) {
    auto it = std::upper_bound(discrete_cum.begin(), discrete_cum.end(), u);
    size_t i = std::min(static_cast<size_t>(it - discrete_cum.begin()), discrete_values.size() - 1);
    return discrete_values[i];
  }
  double v = quantile(u);
  return type == ColumnType::kInt64 ? std::round(v) : v;
}

int ColumnModel::level_index(std::string_view level) const {
  for (size_t i = 0; i < levels.size(); ++i)
    if (levels[i] == level) return static_cast<int>(i);
  return -1;
}

int ColumnModel::level_among(double u, const std::vector<uint8_t>& keep) const {
  double total = 0, prev = 0;
  for (size_t i = 0; i < levels.size(); ++i) {
    if (keep[i]) total += level_cum[i] - prev;
    prev = level_cum[i];
  }
  double target = u * total, acc = 0;
  prev = 0;
  int last = -1;
  for (size_t i = 0; i < levels.size(); ++i) {
    double share = level_cum[i] - prev;
    prev = level_cum[i];
    if (!keep[i]) continue;
    last = static_cast<int>(i);
    acc += share;
    if (target < acc) return last;
  }
  return last;
}

int TableModel::index_of(std::string_view name) const {
  for (size_t i = 0; i < columns.size(); ++i)
    if (columns[i].name == name) return static_cast<int>(i);
  return -1;
}

int TableModel::at(std::string_view name) const {
  int i = index_of(name);
  assert(i >= 0 && "column missing from the Home Credit profile");
  return i;
}

void TableModel::draw_missing(Rng& rng, std::vector<uint8_t>& missing) const {
  missing.assign(columns.size(), 0);
  uint8_t block_missing[8] = {};
  for (size_t b = 0; b < blocks.size() && b < 8; ++b) block_missing[b] = rng.bernoulli(blocks[b].rate);
  for (const Group& g : groups) {
    bool m = (g.block >= 0 && block_missing[g.block]) || rng.bernoulli(g.rate);
    if (m)
      for (int c : g.columns) missing[static_cast<size_t>(c)] = 1;
  }
  for (size_t c = 0; c < columns.size(); ++c) {
    if (missing[c] || group_of[c] >= 0) continue;
    int b = block_of[c];
    if (b >= 0 && b < 8 && block_missing[b]) {
      missing[c] = 1;
      continue;
    }
    if (own_rate[c] > 0 && rng.bernoulli(own_rate[c])) missing[c] = 1;
  }
}

namespace {

// How many decimals the Kaggle files carry for a float column (by naming convention).
int float_decimals(const std::string& name) {
  if (name.find("EXT_SOURCE") != std::string::npos || name.rfind("RATE_", 0) == 0) return -1;
  if (name == "REGION_POPULATION_RELATIVE") return 6;
  auto ends_with = [&](std::string_view s) {
    return name.size() >= s.size() && name.compare(name.size() - s.size(), s.size(), s) == 0;
  };
  if (ends_with("_AVG") || ends_with("_MODE") || ends_with("_MEDI")) return 4;
  if (name.rfind("AMT_", 0) == 0) return 2;
  return 0;  // days, counts, flags
}

double share_or_zero(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? 0.0 : it->get<double>();
}

ColumnModel build_column(const std::string& name, ColumnType type, const nlohmann::json& prof) {
  ColumnModel m;
  m.name = name;
  m.type = type;
  m.missing_rate = share_or_zero(prof, "missing_rate");
  m.decimals = type == ColumnType::kDouble ? float_decimals(name) : 0;
  if (type == ColumnType::kCategorical) {
    std::vector<std::pair<double, std::string>> lv;
    for (const auto& [level, info] : prof.at("levels").items())
      lv.emplace_back(info.at("share_of_non_missing").get<double>(), level);
    std::sort(lv.begin(), lv.end(), [](const auto& a, const auto& b) {
      return a.first != b.first ? a.first > b.first : a.second < b.second;
    });
    double total = 0;
    for (auto& [share, level] : lv) total += share;
    double acc = 0;
    for (auto& [share, level] : lv) {
      acc += share / total;
      m.levels.push_back(level);
      m.level_fields.push_back(csv_field(level));
      m.level_cum.push_back(acc);
    }
    m.level_cum.back() = 1.0;
    return m;
  }
  const nlohmann::json* q = &prof.at("quantiles");
  if (auto sv = prof.find("special_values"); sv != prof.end() && !sv->empty()) {
    auto first = sv->begin();
    m.special_value = std::stod(first.key());
    m.special_share = first->at("share_of_non_missing").get<double>();
    if (auto qe = prof.find("quantiles_excluding_special"); qe != prof.end()) q = &*qe;
  }
  std::vector<std::pair<double, double>> knots;
  for (const auto& [p, v] : q->items())
    if (!v.is_null()) knots.emplace_back(std::stod(p), v.get<double>());
  std::sort(knots.begin(), knots.end());
  for (auto& [p, v] : knots) {
    m.knot_p.push_back(p);
    m.knot_v.push_back(v);
  }
  if (auto vf = prof.find("value_frequencies"); vf != prof.end() && m.special_share == 0) {
    std::vector<std::pair<double, double>> values;
    double total = 0;
    for (const auto& [v, f] : vf->items()) {
      values.emplace_back(std::stod(v), f.get<double>());
      total += f.get<double>();
    }
    std::sort(values.begin(), values.end());
    if (total > 0.98) {  // complete frequency table: use it exactly
      double acc = 0;
      for (auto& [v, f] : values) {
        acc += f / total;
        m.discrete_values.push_back(v);
        m.discrete_cum.push_back(acc);
      }
      m.discrete_cum.back() = 1.0;
    }
  }
  return m;
}

TableModel build_table(HcTable table) {
  TableModel t;
  t.table = table;
  const auto& info = homecredit_table(table);
  // The test file is drawn like train (then drifted): model it from the train profile.
  const auto& source = table == HcTable::kApplicationTest ? homecredit_table(HcTable::kApplicationTrain) : info;
  const nlohmann::json& prof = homecredit_profile().at("tables").at(std::string(source.name));
  for (const ColumnSpec& spec : homecredit_schema(source.id).columns)
    t.columns.push_back(build_column(spec.name, spec.type, prof.at("columns").at(spec.name)));
  size_t n = t.columns.size();
  t.block_of.assign(n, -1);
  t.group_of.assign(n, -1);
  t.own_rate.assign(n, 0);
  // Loose groups (blocks) draw "all missing" at their share; strict groups at their mean rate.
  auto add_groups = [&](const char* key, bool loose, std::vector<TableModel::Group>& out,
                        std::vector<int>& member_of) {
    auto it = prof.find(key);
    if (it == prof.end()) return;
    for (const auto& g : *it) {
      TableModel::Group group;
      for (const auto& c : g.at("columns")) {
        int idx = t.index_of(c.get<std::string>());
        if (idx >= 0 && member_of[static_cast<size_t>(idx)] < 0) group.columns.push_back(idx);
      }
      if (group.columns.size() < 2) continue;
      for (int c : group.columns) member_of[static_cast<size_t>(c)] = static_cast<int>(out.size());
      group.rate = g.at(loose ? "share_rows_all_missing" : "mean_missing_rate").get<double>();
      out.push_back(std::move(group));
    }
  };
  add_groups("missing_together_groups_loose_jaccard_0.7", true, t.blocks, t.block_of);
  add_groups("missing_together_groups", false, t.groups, t.group_of);
  auto conditional = [](double rate, double given) {
    return given >= 1 ? 0.0 : std::clamp((rate - given) / (1 - given), 0.0, 1.0);
  };
  for (auto& g : t.groups) {
    g.block = t.block_of[static_cast<size_t>(g.columns.front())];
    if (g.block >= 0) g.rate = conditional(g.rate, t.blocks[static_cast<size_t>(g.block)].rate);
  }
  for (size_t c = 0; c < n; ++c) {
    double rate = t.columns[c].missing_rate;
    int b = t.block_of[c];
    t.own_rate[c] = b >= 0 ? conditional(rate, t.blocks[static_cast<size_t>(b)].rate) : rate;
  }
  return t;
}

}  // namespace

const TableModel& table_model(HcTable table) {
  static const std::array<TableModel, kHcTableCount> models = [] {
    std::array<TableModel, kHcTableCount> m;
    for (const auto& info : homecredit_tables()) m[static_cast<size_t>(info.id)] = build_table(info.id);
    return m;
  }();
  return models[static_cast<size_t>(table)];
}

}  // namespace credo::synth
