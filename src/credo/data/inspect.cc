// Summaries for `credo inspect`. Key relations use a bitmap over the parent's id range
// (Home Credit ids are dense), so checking 27M bureau_balance rows is a linear scan.
#include "credo/data/inspect.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>

namespace credo {

TableSummary summarize_table(const Table& table, std::string name) {
  TableSummary s;
  s.name = std::move(name);
  s.rows = table.num_rows();
  s.memory_bytes = table.memory_bytes();
  for (const auto& col : table.columns()) {
    ColumnSummary c;
    c.name = col.name();
    c.type = col.type();
    c.missing = col.missing_count();
    c.missing_rate = s.rows ? static_cast<double>(c.missing) / static_cast<double>(s.rows) : 0.0;
    if (col.type() == ColumnType::kCategorical) {
      c.levels = col.dictionary().size();
      std::vector<size_t> counts(c.levels, 0);
      for (int32_t code : col.codes())
        if (code >= 0) ++counts[static_cast<size_t>(code)];
      std::vector<size_t> order(c.levels);
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return counts[a] > counts[b]; });
      size_t present = s.rows - c.missing;
      for (size_t i = 0; i < std::min<size_t>(3, order.size()); ++i)
        c.top_levels.emplace_back(col.dictionary()[order[i]], present ? double(counts[order[i]]) / double(present) : 0.0);
    } else {
      double lo = std::numeric_limits<double>::infinity(), hi = -lo, sum = 0;
      size_t n = 0;
      for (size_t r = 0; r < s.rows; ++r) {
        if (col.is_missing(r)) continue;
        double v = col.as_double(r);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        sum += v;
        ++n;
      }
      if (n) {
        c.min = lo;
        c.max = hi;
        c.mean = sum / static_cast<double>(n);
      }
    }
    s.columns.push_back(std::move(c));
  }
  return s;
}

namespace {

// Set of int64 ids: a bitmap over [min, max] when the range is small, else a sorted vector.
class IdSet {
 public:
  void build(std::vector<int64_t> ids) {
    if (ids.empty()) return;
    auto [lo, hi] = std::minmax_element(ids.begin(), ids.end());
    min_ = *lo;
    uint64_t range = static_cast<uint64_t>(*hi - *lo) + 1;
    if (range <= 256ull << 20) {
      bits_.assign(range, 0);
      for (int64_t id : ids) bits_[static_cast<size_t>(id - min_)] = 1;
    } else {
      std::sort(ids.begin(), ids.end());
      sorted_ = std::move(ids);
    }
  }
  bool contains(int64_t id) const {
    if (!bits_.empty()) {
      if (id < min_ || static_cast<uint64_t>(id - min_) >= bits_.size()) return false;
      return bits_[static_cast<size_t>(id - min_)] != 0;
    }
    return std::binary_search(sorted_.begin(), sorted_.end(), id);
  }

 private:
  int64_t min_ = 0;
  std::vector<uint8_t> bits_;
  std::vector<int64_t> sorted_;
};

std::vector<int64_t> ids_of(const Table& table, const std::string& column) {
  const Column* c = table.find(column);
  if (c == nullptr || c->type() != ColumnType::kInt64) return {};
  auto v = c->int64s();
  return {v.begin(), v.end()};
}

KeyRelation relate(const Table& child, const std::string& child_name, const std::string& column,
                   const std::vector<const Table*>& parents, const std::string& parent_name) {
  KeyRelation rel;
  rel.child = child_name + "." + column;
  rel.parent = parent_name + "." + column;
  rel.child_rows = child.num_rows();
  std::vector<int64_t> parent_ids;
  for (const Table* p : parents) {
    auto ids = ids_of(*p, column);
    parent_ids.insert(parent_ids.end(), ids.begin(), ids.end());
  }
  rel.parents = parent_ids.size();
  IdSet parent_set;
  parent_set.build(parent_ids);
  std::vector<int64_t> child_ids = ids_of(child, column);
  for (int64_t id : child_ids) rel.orphan_rows += !parent_set.contains(id);
  std::sort(child_ids.begin(), child_ids.end());
  child_ids.erase(std::unique(child_ids.begin(), child_ids.end()), child_ids.end());
  rel.distinct_keys = child_ids.size();
  IdSet child_set;
  child_set.build(std::move(child_ids));
  for (int64_t id : parent_ids) rel.parents_with_rows += child_set.contains(id);
  return rel;
}

}  // namespace

DatasetSummary summarize_homecredit(const HomeCreditData& data, std::string path) {
  DatasetSummary s;
  s.path = std::move(path);
  for (const auto& info : homecredit_tables()) {
    const Table* t = data.get(info.id);
    if (t == nullptr) {
      s.absent_tables.emplace_back(info.file_name);
      continue;
    }
    s.tables.push_back(summarize_table(*t, std::string(info.file_name)));
  }
  const Table* train = data.get(HcTable::kApplicationTrain);
  const Table* test = data.get(HcTable::kApplicationTest);
  if (train) {
    if (const Column* target = train->find("TARGET"); target && target->type() != ColumnType::kCategorical) {
      double sum = 0;
      size_t n = 0;
      for (size_t r = 0; r < train->num_rows(); ++r)
        if (!target->is_missing(r)) { sum += target->as_double(r); ++n; }
      if (n) s.default_rate = sum / static_cast<double>(n);
    }
  }
  std::vector<const Table*> applications;
  if (train) applications.push_back(train);
  if (test) applications.push_back(test);
  for (const auto& info : homecredit_tables()) {
    const Table* child = data.get(info.id);
    if (child == nullptr) continue;
    for (const auto& ref : info.references) {
      if (ref.parent == HcTable::kApplicationTrain) {
        if (applications.empty()) continue;
        s.relations.push_back(relate(*child, std::string(info.name), std::string(ref.column), applications,
                                     test ? "application_train+test" : "application_train"));
      } else if (const Table* parent = data.get(ref.parent)) {
        s.relations.push_back(relate(*child, std::string(info.name), std::string(ref.column), {parent},
                                     std::string(homecredit_table(ref.parent).name)));
      }
    }
  }
  return s;
}

namespace {
std::string thousands(size_t n) {
  std::string digits = std::to_string(n), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}
std::string fmt(const char* format, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}
std::string shorten(const std::string& s) { return s.size() <= 28 ? s : s.substr(0, 25) + "..."; }
std::string number(double v) {
  if (std::fabs(v) >= 1e6 || (std::fabs(v) < 1e-3 && v != 0)) return fmt("%.4g", v);
  if (v == std::floor(v)) return fmt("%.0f", v);
  return fmt("%.4g", v);
}
}  // namespace

std::string render_table_summary(const TableSummary& s) {
  std::string out;
  out += s.name + ": " + thousands(s.rows) + " rows, " + std::to_string(s.columns.size()) + " columns, " +
         fmt("%.1f", static_cast<double>(s.memory_bytes) / 1e6) + " MB in memory\n";
  char line[512];
  std::snprintf(line, sizeof line, "  %-32s %-11s %8s  %s\n", "column", "type", "missing", "values");
  out += line;
  for (const auto& c : s.columns) {
    std::string values;
    if (c.type == ColumnType::kCategorical) {
      values = std::to_string(c.levels) + " levels";
      for (size_t i = 0; i < c.top_levels.size(); ++i)
        values += (i ? ", " : ": ") + shorten(c.top_levels[i].first) + " " + fmt("%.0f%%", 100 * c.top_levels[i].second);
    } else if (c.missing < s.rows) {
      values = "min " + number(c.min) + ", mean " + number(c.mean) + ", max " + number(c.max);
    } else {
      values = "(all missing)";
    }
    std::snprintf(line, sizeof line, "  %-32s %-11s %7.1f%%  %s\n", c.name.c_str(), column_type_name(c.type),
                  100 * c.missing_rate, values.c_str());
    out += line;
  }
  return out;
}

std::string render_dataset_summary(const DatasetSummary& s, bool with_columns) {
  std::string out = "Home Credit data in " + s.path + ": " + std::to_string(s.tables.size()) + " of 8 tables\n";
  char line[512];
  std::snprintf(line, sizeof line, "  %-28s %12s %6s %10s %9s\n", "table", "rows", "cols", "memory MB", "missing");
  out += line;
  for (const auto& t : s.tables) {
    size_t cells = t.rows * t.columns.size(), missing = 0;
    for (const auto& c : t.columns) missing += c.missing;
    std::snprintf(line, sizeof line, "  %-28s %12s %6zu %10.1f %8.1f%%\n", t.name.c_str(), thousands(t.rows).c_str(),
                  t.columns.size(), static_cast<double>(t.memory_bytes) / 1e6,
                  cells ? 100.0 * static_cast<double>(missing) / static_cast<double>(cells) : 0.0);
    out += line;
  }
  for (const auto& a : s.absent_tables) out += "  " + a + ": absent\n";
  if (s.default_rate >= 0) out += fmt("Default rate (application_train TARGET): %.2f%%\n", 100 * s.default_rate);
  if (!s.relations.empty()) {
    out += "Key relations\n";
    for (const auto& r : s.relations) {
      std::snprintf(line, sizeof line,
                    "  %-36s -> %-44s %s distinct, %s orphan rows; %s of %s parents have rows (%.1f%%)\n",
                    r.child.c_str(), r.parent.c_str(), thousands(r.distinct_keys).c_str(),
                    thousands(r.orphan_rows).c_str(), thousands(r.parents_with_rows).c_str(),
                    thousands(r.parents).c_str(),
                    r.parents ? 100.0 * static_cast<double>(r.parents_with_rows) / static_cast<double>(r.parents) : 0.0);
      out += line;
    }
  }
  if (with_columns)
    for (const auto& t : s.tables) out += "\n" + render_table_summary(t);
  return out;
}

nlohmann::json to_json(const TableSummary& s) {
  nlohmann::json j;
  j["name"] = s.name;
  j["rows"] = s.rows;
  j["memory_bytes"] = s.memory_bytes;
  j["columns"] = nlohmann::json::array();
  for (const auto& c : s.columns) {
    nlohmann::json jc{{"name", c.name}, {"type", column_type_name(c.type)}, {"missing", c.missing},
                      {"missing_rate", c.missing_rate}};
    if (c.type == ColumnType::kCategorical) {
      jc["levels"] = c.levels;
      for (const auto& [level, share] : c.top_levels) jc["top_levels"].push_back({{"level", level}, {"share", share}});
    } else if (c.missing < s.rows) {
      jc["min"] = c.min;
      jc["max"] = c.max;
      jc["mean"] = c.mean;
    }
    j["columns"].push_back(jc);
  }
  return j;
}

nlohmann::json to_json(const DatasetSummary& s) {
  nlohmann::json j;
  j["path"] = s.path;
  for (const auto& t : s.tables) j["tables"].push_back(to_json(t));
  j["absent_tables"] = s.absent_tables;
  if (s.default_rate >= 0) j["default_rate"] = s.default_rate;
  for (const auto& r : s.relations) {
    j["relations"].push_back({{"child", r.child}, {"parent", r.parent}, {"child_rows", r.child_rows},
                              {"distinct_keys", r.distinct_keys}, {"orphan_rows", r.orphan_rows},
                              {"parents", r.parents}, {"parents_with_rows", r.parents_with_rows}});
  }
  return j;
}

}  // namespace credo
