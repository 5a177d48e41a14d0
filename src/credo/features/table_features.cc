// The per-table work of the feature pipeline (see table_features.h).
#include "credo/features/table_features.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <set>
#include <span>

#include "credo/base/parallel.h"
#include "credo/base/random.h"
#include "credo/base/text.h"

namespace credo::features_internal {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

std::string upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// A level as it appears in a feature name: letters, digits and single underscores.
std::string name_part(const std::string& level) {
  std::string out;
  for (char c : level) {
    bool keep = std::isalnum(static_cast<unsigned char>(c));
    if (keep) out.push_back(c);
    else if (!out.empty() && out.back() != '_') out.push_back('_');
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out.empty() ? "EMPTY" : out;
}

std::string join_name(std::initializer_list<std::string> parts) {
  std::string out;
  for (const auto& p : parts) {
    if (p.empty()) continue;
    if (!out.empty()) out += "_";
    out += p;
  }
  return out;
}

std::string lower_first(std::string s) {
  if (s.size() > 1 && std::isupper(static_cast<unsigned char>(s[0])) && std::islower(static_cast<unsigned char>(s[1])))
    s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
  return s;
}



// Numbers of a column as doubles (NaN = missing), whatever its numeric type.
LargeVector<double> as_doubles(const Column& c) {
  LargeVector<double> v(c.size());
  if (c.type() == ColumnType::kDouble) {
    std::copy(c.doubles().begin(), c.doubles().end(), v.begin());
  } else if (c.type() == ColumnType::kInt64) {
    for (size_t r = 0; r < v.size(); ++r) v[r] = c.as_double(r);
  } else {
    for (size_t r = 0; r < v.size(); ++r) v[r] = c.codes()[r] < 0 ? kNaN : c.codes()[r];
  }
  return v;
}

// The levels of a text column, fitted on the batch data (most frequent first), or restored.
StatusOr<const std::vector<std::string>*> levels_for(RunContext& ctx, const std::string& key, const Column& column) {
  auto it = ctx.fitted->levels.find(key);
  if (it != ctx.fitted->levels.end()) return &it->second;
  if (!ctx.fit) return Status::FailedPrecondition("no fitted levels for " + key + " (rebuild the features)");
  std::vector<size_t> counts(column.dictionary().size(), 0);
  for (int32_t c : column.codes())
    if (c >= 0) ++counts[static_cast<size_t>(c)];
  std::vector<size_t> order;
  for (size_t i = 0; i < counts.size(); ++i)
    if (counts[i] > 0) order.push_back(i);
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return counts[a] != counts[b] ? counts[a] > counts[b] : column.dictionary()[a] < column.dictionary()[b];
  });
  if (order.size() > kMaxLevels) order.resize(kMaxLevels);
  std::vector<std::string> levels;
  for (size_t i : order) levels.push_back(column.dictionary()[i]);
  return &ctx.fitted->levels.emplace(key, std::move(levels)).first->second;
}

// Maps the column's dictionary codes to positions in `levels` (-1 when not among them).
std::vector<int32_t> level_map(const Column& column, const std::vector<std::string>& levels) {
  std::vector<int32_t> map(column.dictionary().size(), -1);
  for (size_t c = 0; c < map.size(); ++c) {
    auto it = std::find(levels.begin(), levels.end(), column.dictionary()[c]);
    if (it != levels.end()) map[c] = static_cast<int32_t>(it - levels.begin());
  }
  return map;
}

// Counts the rows of `column` whose level `known` does not know, once per column and batch.
template <typename Known>
void count_unseen(const RunContext& ctx, const std::string& key, const Column& column, Known&& known) {
  if (!ctx.unseen || !ctx.unseen->counted.insert(key).second) return;
  const auto& dictionary = column.dictionary();
  std::vector<uint8_t> unknown(dictionary.size());
  for (size_t c = 0; c < dictionary.size(); ++c) unknown[c] = !known(c);
  std::vector<size_t> counts(dictionary.size(), 0);
  for (int32_t code : column.codes())
    if (code >= 0 && unknown[static_cast<size_t>(code)]) ++counts[static_cast<size_t>(code)];
  for (size_t c = 0; c < dictionary.size(); ++c)
    if (counts[c] > 0) ctx.unseen->rows[key][dictionary[c]] += counts[c];
}

// The same for a column encoded with fitted levels (level_map's -1: not among them).
void count_unseen_levels(const RunContext& ctx, const std::string& key, const Column& column, const std::vector<int32_t>& map) {
  count_unseen(ctx, key, column, [&](size_t code) { return map[code] >= 0; });
}

Status apply_missing_rules(const std::vector<MissingStatement>& rules, Table& t) {
  for (const auto& rule : rules) {
    for (size_t i = 0; i < t.num_columns(); ++i) {
      const Column& c = t.column(i);
      if (rule.column != "*" && rule.column != c.name()) continue;
      if (rule.text) {
        if (c.type() != ColumnType::kCategorical) continue;
        auto& dict = c.dictionary();
        auto level = std::find(dict.begin(), dict.end(), rule.value);
        if (level == dict.end()) continue;
        auto code = static_cast<int32_t>(level - dict.begin());
        LargeVector<int32_t> codes(c.codes().begin(), c.codes().end());
        for (int32_t& x : codes)
          if (x == code) x = -1;
        CREDO_RETURN_IF_ERROR(t.set_column(Column::Categorical(c.name(), std::move(codes), dict)));
      } else {
        double value = std::strtod(rule.value.c_str(), nullptr);
        if (c.type() == ColumnType::kCategorical) continue;
        LargeVector<double> values = as_doubles(c);
        for (double& x : values)
          if (x == value) x = kNaN;
        CREDO_RETURN_IF_ERROR(t.set_column(Column::Double(c.name(), std::move(values))));
      }
    }
  }
  return Status::Ok();
}

// Words for a column: its derive description, the description of a joined feature, the
// official dictionary's, or its name.
struct Words {
  std::map<std::string, std::string> of_column;
  std::string phrase(const std::string& column) const {
    auto it = of_column.find(column);
    return lower_first(it != of_column.end() && !it->second.empty() ? it->second : column);
  }
};

Words words_for(const TablePlan& plan, HcTable doc_table) {
  Words w;
  for (const auto& doc : homecredit_dictionary())
    if (doc.table == doc_table) w.of_column[doc.column] = doc.description;
  for (const auto& d : plan.statement.derived) w.of_column[d.name] = d.description;
  return w;
}

std::string aggregation_words(Aggregation a) {
  switch (a) {
    case Aggregation::kMin: return "Smallest";
    case Aggregation::kMax: return "Largest";
    case Aggregation::kMean: return "Average";
    case Aggregation::kSum: return "Total";
    case Aggregation::kVar: return "Variance of";
    case Aggregation::kCount: return "Number of known values of";
    case Aggregation::kNunique: return "Number of distinct";
    case Aggregation::kShare: return "Share of";
  }
  return "";
}

std::string over(const std::string& filter_words, const std::string& table_words) {
  return filter_words.empty() ? table_words : filter_words + " " + table_words;
}

// Evaluates the derived columns and adds them to `t`. Expressions that read only columns
// already there are evaluated together, in parallel, wave after wave.
Status add_derived_columns(const TablePlan& plan, Table& t, int threads) {
  const auto& derived = plan.statement.derived;
  std::vector<bool> done(derived.size(), false);
  size_t remaining = derived.size();
  while (remaining > 0) {
    std::vector<size_t> wave;
    for (size_t k = 0; k < derived.size(); ++k) {
      if (done[k]) continue;
      bool ready = true;
      for (const auto& c : plan.derived[k].columns()) {
        bool pending = false;
        for (size_t j = 0; j < derived.size(); ++j) pending |= !done[j] && j != k && derived[j].name == c;
        ready &= !pending;
      }
      if (ready) wave.push_back(k);
    }
    if (wave.empty()) return Status::InvalidArgument("derived columns of " + plan.statement.name + " read each other in a cycle");
    std::vector<StatusOr<LargeVector<double>>> values(wave.size(), Status::Internal("not evaluated"));
    parallel_for(wave.size(), threads, [&](size_t i) { values[i] = plan.derived[wave[i]].evaluate(t); });
    for (size_t i = 0; i < wave.size(); ++i) {
      if (!values[i].ok())
        return Status::InvalidArgument(plan.statement.name + ": derive " + derived[wave[i]].name + ": " +
                                       values[i].status().message());
      CREDO_RETURN_IF_ERROR(t.set_column(Column::Double(derived[wave[i]].name, std::move(values[i]).value())));
      done[wave[i]] = true;
      --remaining;
    }
  }
  return Status::Ok();
}

}  // namespace


namespace {

// One aggregation job over one column and one row set, with its outputs allocated.
struct AggregateTask {
  const Grouping* grouping;
  const Column* column;
  Numbers values;                             // the column as numbers (numeric kinds)
  std::vector<Aggregation> kinds;            // numeric kinds (no share)
  std::vector<int32_t> level_of_code;        // share: dictionary code -> level
  size_t n_levels = 0;
  bool count_rows = false;
  std::vector<size_t> outputs;               // indices into the result columns
};

// Step 1 of run_table: the tables `plan` joins are run per row of `t` (their key's parent
// rows), and their features become columns of `t` (with their words for the descriptions).
Status add_joined_columns(const std::vector<TablePlan>& plans, const TablePlan& plan, Table& t, RunContext& ctx,
                          Words& words) {
  for (size_t child_index : plan.children) {
    const TablePlan& child = plans[child_index];
    CREDO_ASSIGN_OR_RETURN(Table rows, ctx.loader->load(child.table, child.load_columns));
    CREDO_ASSIGN_OR_RETURN(const Column* key, t.get(child.statement.key));
    std::vector<int64_t> ids(key->int64s().begin(), key->int64s().end());
    KeyIndex parent_rows(ids);
    size_t ignored = 0;
    std::vector<FeatureColumn> columns;
    CREDO_RETURN_IF_ERROR(run_table(plans, child_index, std::move(rows), parent_rows, ctx, &ignored,
                                    [&columns](std::vector<FeatureColumn>& batch) {
                                      for (auto& c : batch) columns.push_back(std::move(c));
                                      return Status::Ok();
                                    }));
    for (auto& c : columns) {
      if (t.find(c.info.name))
        return Status::InvalidArgument("join " + child.statement.name + " adds column " + c.info.name + ", which " +
                                       plan.statement.name + " already has");
      words.of_column[c.info.name] = c.info.description;
      CREDO_RETURN_IF_ERROR(t.add_column(Column::Double(c.info.name, std::move(c.values))));
    }
  }
  return Status::Ok();
}

// Step 3: the rows of `t` per group of `groups`, first without a filter, then with each one.
StatusOr<std::vector<Grouping>> group_with_filters(const TablePlan& plan, const Table& t, const KeyIndex& groups,
                                                   int threads, size_t* ignored_rows) {
  const TableStatement& st = plan.statement;
  CREDO_ASSIGN_OR_RETURN(const Column* key, t.get(st.key));
  std::vector<Grouping> groupings;
  groupings.push_back(group_rows(key->int64s(), key->missing_flags(), groups, threads));
  if (ignored_rows) *ignored_rows = groupings[0].ignored_rows;
  std::vector<StatusOr<LargeVector<double>>> kept(plan.filters.size(), Status::Internal("not evaluated"));
  parallel_for(plan.filters.size(), threads, [&](size_t f) { kept[f] = plan.filters[f].evaluate(t); });
  for (size_t f = 0; f < plan.filters.size(); ++f) {
    if (!kept[f].ok())
      return Status::InvalidArgument(st.name + ": filter " + st.filters[f].name + ": " + kept[f].status().message());
    groupings.push_back(filter_grouping(groupings[0], *kept[f], threads));
  }
  return groupings;
}

// Step 4's plan: every feature of the table in spec order (its name and words) and the tasks
// that compute them; the numbers the tasks read point into the table or into `converted`.
struct AggregateWork {
  std::vector<FeatureColumn> out;
  std::vector<AggregateTask> tasks;
  std::map<const Column*, LargeVector<double>> converted;  // text columns' codes as numbers

  // Numbers of a column, read in place (text columns: their codes, for count and nunique).
  Numbers numbers_of(const Column& c) {
    Numbers n;
    n.size = c.size();
    if (c.type() == ColumnType::kDouble) {
      n.doubles = c.doubles().data();
    } else if (c.type() == ColumnType::kInt64) {
      n.ints = c.int64s().data();
      n.int_missing = c.missing_count() ? c.missing_flags().data() : nullptr;
    } else {
      auto it = converted.find(&c);
      if (it == converted.end()) it = converted.emplace(&c, as_doubles(c)).first;
      n.doubles = it->second.data();
    }
    return n;
  }
  void add_output(AggregateTask& task, FeatureInfo info) {
    task.outputs.push_back(out.size());
    out.push_back({std::move(info), {}});  // buffers are given batch by batch
  }
};

// The tasks of one `aggregate` statement over the rows of `grouping` (a filter's or all rows).
Status plan_aggregate(const AggregateStatement& a, const TableStatement& st, const Table& t, const Grouping* grouping,
                      const std::string& filter, const std::string& filter_words, const Words& words, RunContext& ctx,
                      AggregateWork& work) {
  std::vector<const Column*> columns;
  for (const auto& pattern : a.columns) {
    size_t before = columns.size();
    for (const auto& c : t.columns())
      if (name_matches(pattern, c.name())) columns.push_back(&c);
    if (columns.size() == before && pattern.find('*') == std::string::npos)
      return Status::InvalidArgument(std::to_string(a.line) + ": table " + st.name + " has no column '" + pattern + "'");
  }
  for (const Column* c : columns) {
    AggregateTask task{grouping, c, {}, {}, {}, 0, false, {}};
    bool text = c->type() == ColumnType::kCategorical;
    std::string phrase = words.phrase(c->name());
    for (Aggregation g : a.aggregations) {
      if (g == Aggregation::kShare) {
        if (!text)
          return Status::InvalidArgument(std::to_string(a.line) + ": '" + c->name() +
                                         "' is a number: share applies to text columns");
        CREDO_ASSIGN_OR_RETURN(const auto* levels, levels_for(ctx, st.name + "." + c->name(), *c));
        task.level_of_code = level_map(*c, *levels);
        count_unseen_levels(ctx, st.name + "." + c->name(), *c, task.level_of_code);
        task.n_levels = levels->size();
        for (const auto& level : *levels) {
          work.add_output(task, {join_name({st.prefix, filter, c->name(), name_part(level), "SHARE"}), st.name, filter,
                                 "share:" + level, c->name(),
                                 "Share of " + over(filter_words, st.words) + " where " + phrase + " is " + level});
        }
      } else {
        if (text && g != Aggregation::kCount && g != Aggregation::kNunique)
          return Status::InvalidArgument(std::to_string(a.line) + ": '" + c->name() +
                                         "' is text: only share, count and nunique apply to it");
        task.kinds.push_back(g);
      }
    }
    if (!task.kinds.empty()) task.values = work.numbers_of(*c);
    // Numeric outputs come after the shares of the same task (the task fills shares first).
    for (Aggregation g : task.kinds) {
      work.add_output(task, {join_name({st.prefix, filter, c->name(), upper(aggregation_name(g))}), st.name, filter,
                             aggregation_name(g), c->name(),
                             aggregation_words(g) + " " + phrase + " over " + over(filter_words, st.words)});
    }
    work.tasks.push_back(std::move(task));
  }
  return Status::Ok();
}

// Step 4: the features of every count and aggregate line, without and with each filter.
Status plan_features(const TablePlan& plan, const Table& t, const std::vector<Grouping>& groupings, const Words& words,
                     RunContext& ctx, AggregateWork& work) {
  const TableStatement& st = plan.statement;
  for (size_t set = 0; set <= plan.filters.size(); ++set) {
    const std::string filter = set == 0 ? "" : st.filters[set - 1].name;
    const std::string filter_words = set == 0 ? "" : st.filters[set - 1].words;
    bool count = set == 0 ? st.count : st.filters[set - 1].count;
    const auto& aggregates = set == 0 ? st.aggregates : st.filters[set - 1].aggregates;
    const Grouping* grouping = &groupings[set];
    if (count) {
      AggregateTask task{grouping, nullptr, {}, {}, {}, 0, true, {}};
      work.add_output(task, {join_name({st.prefix, filter, "COUNT"}), st.name, filter, "count", "",
                             "Number of " + over(filter_words, st.words)});
      work.tasks.push_back(std::move(task));
    }
    for (const auto& a : aggregates)
      CREDO_RETURN_IF_ERROR(plan_aggregate(a, st, t, grouping, filter, filter_words, words, ctx, work));
  }
  return Status::Ok();
}

// Step 5: batches of tasks: outputs get buffers (recycled when possible), are computed in
// parallel, then handed to the sink, which frees or recycles them.
Status compute_in_batches(AggregateWork& work, size_t n_groups, RunContext& ctx, const FeatureSink& sink) {
  constexpr size_t kTasksPerBatch = 32;
  auto& tasks = work.tasks;
  auto& out = work.out;
  for (size_t first = 0; first < tasks.size(); first += kTasksPerBatch) {
    size_t last = std::min(tasks.size(), first + kTasksPerBatch);
    for (size_t i = first; i < last; ++i) {
      for (size_t o : tasks[i].outputs) {
        auto& values = out[o].values;
        if (ctx.spare && !ctx.spare->empty() && ctx.spare->back().size() == n_groups) {
          values = std::move(ctx.spare->back());
          ctx.spare->pop_back();
        } else {
          values = LargeVector<double>(n_groups);
        }
      }
    }
    parallel_for(last - first, ctx.threads, [&](size_t k) {
      const AggregateTask& task = tasks[first + k];
      std::vector<double*> outputs;
      for (size_t o : task.outputs) outputs.push_back(out[o].values.data());
      if (task.count_rows) {
        count_rows(*task.grouping, outputs[0]);
        return;
      }
      size_t next = 0;
      if (task.n_levels > 0) {
        aggregate_shares(task.column->codes(), task.level_of_code, task.n_levels, *task.grouping,
                         std::span<double* const>(outputs.data(), task.n_levels));
        next = task.n_levels;
      }
      if (!task.kinds.empty()) {
        aggregate_numeric(task.values, *task.grouping, task.kinds,
                          std::span<double* const>(outputs.data() + next, task.kinds.size()));
      }
    });
    std::vector<FeatureColumn> batch;
    for (size_t i = first; i < last; ++i)
      for (size_t o : tasks[i].outputs) batch.push_back(std::move(out[o]));
    CREDO_RETURN_IF_ERROR(sink(batch));
  }
  return Status::Ok();
}

}  // namespace

Status run_table(const std::vector<TablePlan>& plans, size_t index, Table t, const KeyIndex& groups, RunContext& ctx,
                 size_t* ignored_rows, const FeatureSink& sink) {
  const TablePlan& plan = plans[index];
  Words words = words_for(plan, plan.table);
  // 1. Tables joined by this one; 2. cleaning and derived columns; 3. row groups, without and
  // with each filter; 4. the features, in spec order; 5. their numeric work, in parallel.
  CREDO_RETURN_IF_ERROR(add_joined_columns(plans, plan, t, ctx, words));
  CREDO_RETURN_IF_ERROR(apply_missing_rules(plan.statement.missing, t));
  CREDO_RETURN_IF_ERROR(add_derived_columns(plan, t, ctx.threads));
  CREDO_ASSIGN_OR_RETURN(std::vector<Grouping> groupings, group_with_filters(plan, t, groups, ctx.threads, ignored_rows));
  AggregateWork work;
  CREDO_RETURN_IF_ERROR(plan_features(plan, t, groupings, words, ctx, work));
  return compute_in_batches(work, groups.size(), ctx, sink);
}

namespace {

// Where run_application's features go. In batch, one column of n values per feature, with its
// names and words. Online (one client), the values appended to one vector and nothing else:
// ~260 one-value buffers, each in a FeatureColumn of six strings, were a third of a posted
// application's feature time (bench/application_json_bench).
class ApplicationOutputs {
 public:
  ApplicationOutputs(size_t rows, std::vector<double>* values) : rows_(rows), values_(values) {}

  // Adds one feature: value_at(r) for each row; describe() gives its FeatureInfo (batch only).
  template <typename Describe, typename ValueAt>
  void add(Describe&& describe, ValueAt&& value_at) {
    if (values_) {
      for (size_t r = 0; r < rows_; ++r) values_->push_back(value_at(r));
      return;
    }
    LargeVector<double> values(rows_);
    for (size_t r = 0; r < rows_; ++r) values[r] = value_at(r);
    columns_.push_back({describe(), std::move(values)});
  }
  // A numeric column passed through as it is (as_doubles' values: NaN = missing).
  template <typename Describe>
  void add_numbers(Describe&& describe, const Column& c) {
    if (values_) {
      for (size_t r = 0; r < rows_; ++r) values_->push_back(c.as_double(r));
      return;
    }
    columns_.push_back({describe(), as_doubles(c)});
  }
  std::vector<FeatureColumn>& columns() { return columns_; }

 private:
  size_t rows_;
  std::vector<double>* values_;  // online: the client's values; nullptr in batch
  std::vector<FeatureColumn> columns_;
};

Status run_application_into(const TablePlan& plan, Table t, const std::vector<int>& targets, RunContext& ctx,
                            ApplicationOutputs& out) {
  const TableStatement& st = plan.statement;
  const size_t n = t.num_rows();
  // Words only when there are names to write: their dictionary map costs more than one client.
  Words words;
  bool have_words = false;
  auto words_once = [&]() -> Words& {
    if (!have_words) words = words_for(plan, HcTable::kApplicationTrain), have_words = true;
    return words;
  };
  CREDO_RETURN_IF_ERROR(apply_missing_rules(st.missing, t));
  CREDO_RETURN_IF_ERROR(add_derived_columns(plan, t, ctx.threads));
  // Numbers pass through (ids and the target never do).
  for (const auto& c : t.columns()) {
    if (c.type() == ColumnType::kCategorical || c.name() == "SK_ID_CURR" || c.name() == "TARGET") continue;
    out.add_numbers(
        [&] {
          FeatureInfo info{c.name(), "application", "", "", c.name(), words_once().phrase(c.name())};
          if (!info.description.empty())
            info.description[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(info.description[0])));
          return info;
        },
        c);
  }
  std::set<std::string> encoded;
  std::vector<std::string> binary, onehot, target;
  for (const auto& e : st.encodings) {
    for (const auto& c : e.columns) {
      if (c == "*") continue;
      (e.kind == EncodeStatement::kBinary ? binary : e.kind == EncodeStatement::kTarget ? target : onehot).push_back(c);
      encoded.insert(c);
    }
  }
  for (const auto& e : st.encodings) {
    if (e.kind != EncodeStatement::kOneHot || std::find(e.columns.begin(), e.columns.end(), "*") == e.columns.end())
      continue;
    for (const auto& c : t.columns())
      if (c.type() == ColumnType::kCategorical && !encoded.count(c.name())) onehot.push_back(c.name());
  }
  for (const auto& name : binary) {
    CREDO_ASSIGN_OR_RETURN(const Column* c, t.get(name));
    CREDO_ASSIGN_OR_RETURN(const auto* levels, levels_for(ctx, "application." + name, *c));
    if (levels->size() > 2)
      return Status::InvalidArgument("encode binary " + name + ": the column has " + std::to_string(levels->size()) +
                                     " levels; use onehot");
    auto map = level_map(*c, *levels);
    count_unseen_levels(ctx, "application." + name, *c, map);
    out.add(
        [&] {
          std::string meaning = levels->size() == 2 ? ": 1 if " + (*levels)[1] + ", 0 if " + (*levels)[0] : "";
          return FeatureInfo{name, "application", "", "binary", name, words_once().of_column[name] + meaning};
        },
        [&](size_t r) { return c->codes()[r] < 0 ? kNaN : map[static_cast<size_t>(c->codes()[r])]; });
  }
  for (const auto& name : onehot) {
    CREDO_ASSIGN_OR_RETURN(const Column* c, t.get(name));
    CREDO_ASSIGN_OR_RETURN(const auto* levels, levels_for(ctx, "application." + name, *c));
    auto map = level_map(*c, *levels);
    count_unseen_levels(ctx, "application." + name, *c, map);
    for (size_t j = 0; j < levels->size(); ++j) {
      out.add(
          [&] {
            FeatureInfo info{join_name({name, name_part((*levels)[j])}), "application", "", "onehot:" + (*levels)[j], name,
                             lower_first(words_once().of_column[name]) + " is " + (*levels)[j]};
            info.description[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(info.description[0])));
            return info;
          },
          [&](size_t r) {
            int32_t code = c->codes()[r];
            return code >= 0 && map[static_cast<size_t>(code)] == static_cast<int32_t>(j) ? 1.0 : 0.0;
          });
    }
  }
  CREDO_ASSIGN_OR_RETURN(const Column* id_column, t.get("SK_ID_CURR"));
  for (const auto& name : target) {
    CREDO_ASSIGN_OR_RETURN(const Column* c, t.get(name));
    auto level_text = [&](size_t r) { return std::string(c->category(r)); };  // "" = missing
    if (ctx.fit) {
      // Counts per level, overall and per fold, from the training clients only.
      std::map<std::string, std::array<double, 2 * kTargetFolds>> stats;  // per fold: n, defaults
      std::array<double, 2 * kTargetFolds> totals{};
      for (size_t r = 0; r < n; ++r) {
        if (targets[r] < 0) continue;
        int fold = fold_of(id_column->int64s()[r], ctx.fitted->seed);
        auto& s = stats[level_text(r)];
        s[2 * fold] += 1;
        s[2 * fold + 1] += targets[r];
        totals[2 * fold] += 1;
        totals[2 * fold + 1] += targets[r];
      }
      TargetEncoding enc;
      auto encode = [](double count, double defaults, double prior) {
        return (defaults + prior * kTargetSmoothing) / (count + kTargetSmoothing);
      };
      double all_n = 0, all_y = 0;
      for (int f = 0; f < kTargetFolds; ++f) {
        all_n += totals[2 * f];
        all_y += totals[2 * f + 1];
      }
      enc.prior = all_n > 0 ? all_y / all_n : 0;
      for (int f = 0; f < kTargetFolds; ++f) {
        double rest_n = all_n - totals[2 * f], rest_y = all_y - totals[2 * f + 1];
        enc.fold_prior[static_cast<size_t>(f)] = rest_n > 0 ? rest_y / rest_n : enc.prior;
      }
      for (const auto& [level, s] : stats) {
        double ln = 0, ly = 0;
        for (int f = 0; f < kTargetFolds; ++f) {
          ln += s[2 * f];
          ly += s[2 * f + 1];
        }
        enc.full[level] = encode(ln, ly, enc.prior);
        for (int f = 0; f < kTargetFolds; ++f)
          enc.folds[static_cast<size_t>(f)][level] =
              encode(ln - s[2 * f], ly - s[2 * f + 1], enc.fold_prior[static_cast<size_t>(f)]);
      }
      ctx.fitted->target[name] = std::move(enc);
    }
    auto found = ctx.fitted->target.find(name);
    if (found == ctx.fitted->target.end())
      return Status::FailedPrecondition("no fitted target encoding for " + name + " (rebuild the features)");
    const TargetEncoding& enc = found->second;
    count_unseen(ctx, "application." + name, *c,
                 [&](size_t code) { return enc.full.count(std::string(c->dictionary()[code])) > 0; });
    out.add(
        [&] {
          return FeatureInfo{join_name({name, "TARGET_MEAN"}), "application", "", "target_mean", name,
                             "Default rate of past clients with the same " + lower_first(words_once().of_column[name]) +
                                 " (out-of-fold, smoothed)"};
        },
        [&](size_t r) {
          int fold = ctx.fit ? (targets[r] >= 0 ? fold_of(id_column->int64s()[r], ctx.fitted->seed) : -1)
                             : ctx.training_fold;
          const auto& map = fold >= 0 ? enc.folds[static_cast<size_t>(fold)] : enc.full;
          double prior = fold >= 0 ? enc.fold_prior[static_cast<size_t>(fold)] : enc.prior;
          auto it = map.find(level_text(r));
          return it == map.end() ? prior : it->second;
        });
  }
  return Status::Ok();
}

}  // namespace

StatusOr<std::vector<FeatureColumn>> run_application(const TablePlan& plan, Table t, const std::vector<int>& targets,
                                                     RunContext& ctx) {
  ApplicationOutputs out(t.num_rows(), nullptr);
  CREDO_RETURN_IF_ERROR(run_application_into(plan, std::move(t), targets, ctx, out));
  return std::move(out.columns());
}

Status run_application_row(const TablePlan& plan, Table t, RunContext& ctx, std::vector<double>& values) {
  if (t.num_rows() != 1) return Status::InvalidArgument("expected one application row, got " + std::to_string(t.num_rows()));
  static const std::vector<int> kNoTarget = {-1};
  ApplicationOutputs out(1, &values);
  return run_application_into(plan, std::move(t), kNoTarget, ctx, out);
}

}  // namespace credo::features_internal
