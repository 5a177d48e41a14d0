// Compiling a feature spec against the Home Credit schemas, fitting it on the data, and running
// it in batch and for one client. The per-table work (cleaning, derived columns, joins,
// aggregations, encodings) is in table_features.cc and is the same for both paths.
#include "credo/features/pipeline.h"

#include <algorithm>
#include <chrono>

#include "credo/base/large_vector.h"
#include "credo/base/parallel.h"
#include "credo/features/table_features.h"

namespace credo {

using features_internal::FeatureColumn;
using features_internal::FittedState;
using features_internal::TablePlan;

struct FeaturePipeline::State {
  FeatureSpec spec;
  std::vector<TablePlan> tables;
  int application = -1;  // index of the application table in `tables`
  FittedState fitted;
  // The features of each history table (by index in `tables`) for a client with no rows in it,
  // once fitted. They are the same for every such client (counts 0, the rest missing or 0), and
  // most posted applications have no history: running the six tables' plans on empty tables
  // for each of them was ~90% of compute_client's time.
  std::vector<std::vector<double>> no_history;
};

namespace {
Status cache_no_history(FeaturePipeline::State& s);  // below, beside the online loader it uses
}  // namespace

FeaturePipeline::FeaturePipeline() = default;
FeaturePipeline::~FeaturePipeline() = default;
FeaturePipeline::FeaturePipeline(FeaturePipeline&&) noexcept = default;
FeaturePipeline& FeaturePipeline::operator=(FeaturePipeline&&) noexcept = default;

StatusOr<FeaturePipeline> FeaturePipeline::compile(FeatureSpec spec) {
  FeaturePipeline p;
  p.state_ = std::make_unique<State>();
  State& s = *p.state_;
  s.spec = std::move(spec);
  CREDO_ASSIGN_OR_RETURN(s.tables, features_internal::plan_tables(s.spec));
  for (size_t i = 0; i < s.tables.size(); ++i)
    if (s.tables[i].is_application) s.application = static_cast<int>(i);
  if (s.application < 0)
    return Status::InvalidArgument(s.spec.source + ": the spec needs a 'table application' (one row per client)");
  return p;
}

StatusOr<FeaturePipeline> FeaturePipeline::from_metadata(const nlohmann::json& metadata, const std::string& where) {
  // The metadata comes from a file a user can edit (a feature file, a bundle's features.json):
  // every field is checked, and an error names the file and the field.
  auto field_error = [&](const std::string& field, const std::string& what) {
    return Status::ParseError(where + ": field '" + field + "' " + what);
  };
  if (!metadata.is_object() || !metadata.contains("spec") || !metadata.contains("fitted"))
    return Status::InvalidArgument(where + " has no fitted feature spec in its metadata");
  if (!metadata["spec"].is_string()) return field_error("spec", "is not a string");
  std::string spec_source = "spec";
  if (metadata.contains("spec_source")) {
    if (!metadata["spec_source"].is_string()) return field_error("spec_source", "is not a string");
    spec_source = metadata["spec_source"].get<std::string>();
  }
  CREDO_ASSIGN_OR_RETURN(FeatureSpec spec, parse_feature_spec(metadata["spec"].get<std::string>(), spec_source));
  CREDO_ASSIGN_OR_RETURN(FeaturePipeline p, compile(std::move(spec)));
  auto fitted = features_internal::fitted_from_json(metadata["fitted"]);
  if (!fitted.ok()) return field_error("fitted", "is malformed: " + fitted.status().message());
  p.state_->fitted = std::move(*fitted);
  if (!metadata.contains("features") || !metadata["features"].is_array())
    return field_error("features", "is missing or not a list");
  const nlohmann::json& features = metadata["features"];
  for (size_t i = 0; i < features.size(); ++i) {
    const nlohmann::json& f = features[i];
    std::array<std::string, 6> values;
    const std::array<const char*, 6> keys = {"name", "table", "filter", "aggregation", "source_column", "description"};
    for (size_t k = 0; k < keys.size(); ++k) {
      if (!f.is_object() || !f.contains(keys[k]) || !f[keys[k]].is_string())
        return field_error("features[" + std::to_string(i) + "]." + keys[k], "is missing or not a string");
      values[k] = f[keys[k]].get<std::string>();
    }
    p.features_.push_back({values[0], values[1], values[2], values[3], values[4], values[5]});
  }
  // The fitted state must be complete: compute_client over no history runs every table's plan.
  Status cached = cache_no_history(*p.state_);
  if (!cached.ok()) return field_error("fitted", "does not fit the spec: " + cached.message());
  p.fitted_ = true;
  return p;
}

nlohmann::json FeaturePipeline::metadata() const {
  nlohmann::json m;
  m["spec"] = state_->spec.text;
  m["spec_source"] = state_->spec.source;
  m["fitted"] = features_internal::fitted_to_json(state_->fitted);
  m["features"] = nlohmann::json::array();
  for (const auto& f : features_) {
    m["features"].push_back({{"name", f.name}, {"table", f.table}, {"filter", f.filter}, {"aggregation", f.aggregation},
                             {"source_column", f.source_column}, {"description", f.description}});
  }
  return m;
}

int FeaturePipeline::training_fold_of(int64_t client_id) const {
  return features_internal::fold_of(client_id, state_->fitted.seed);
}

namespace {

// Float32 columns of the matrix under construction, one table's features at a time, in one
// column-major arena reserved for every feature up front: fresh memory costs a page fault and
// the kernel's zeroing, so each page is touched once.
struct ColumnStore {
  explicit ColumnStore(size_t rows) : rows(rows) { values.reserve(rows * kMaxFeatures); }
  static constexpr size_t kMaxFeatures = 4096;
  static constexpr size_t kMaxSpare = 64;  // about what one batch of aggregations produces
  size_t rows;
  std::vector<FeatureInfo> infos;
  LargeVector<float> values;

  // Takes the columns' values as floats; their double buffers go to `spare` for reuse.
  Status add(std::vector<FeatureColumn>& columns, std::vector<LargeVector<double>>* spare = nullptr) {
    if (infos.size() + columns.size() > kMaxFeatures)
      return Status::InvalidArgument("the spec makes more than " + std::to_string(kMaxFeatures) + " features");
    for (auto& c : columns) {
      for (double v : c.values) values.push_back(static_cast<float>(v));
      infos.push_back(std::move(c.info));
      if (spare && spare->size() < kMaxSpare) spare->push_back(std::move(c.values));
      c.values = {};
    }
    return Status::Ok();
  }
  const float* column(size_t f) const { return values.data() + f * rows; }
};

// Reads a Home Credit table with only the columns the plan needs. With `missing_is_empty`, a
// history table the data lacks is read as no rows (new clients scored without that table).
class FileTables final : public features_internal::TableLoader {
 public:
  FileTables(const HomeCreditSource& source, const FeatureBuildOptions& options, FeatureBuildReport* report,
             bool missing_is_empty = false)
      : source_(source), options_(options), report_(report), missing_is_empty_(missing_is_empty) {}

  StatusOr<Table> load(HcTable table, const std::vector<std::string>& columns) override {
    const auto& info = homecredit_table(table);
    if (missing_is_empty_ && !source_.has(table)) return empty_table(homecredit_schema(table));
    auto start = std::chrono::steady_clock::now();
    CREDO_ASSIGN_OR_RETURN(Table t,
                           load_homecredit_table(source_, table, options_.threads, options_.progress, columns));
    if (report_) {
      report_->rows_per_table.emplace_back(info.name, t.num_rows());
      report_->seconds_per_table.emplace_back(
          std::string("read ") + std::string(info.name),
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    }
    return t;
  }

 private:
  const HomeCreditSource& source_;
  const FeatureBuildOptions& options_;
  FeatureBuildReport* report_;
  bool missing_is_empty_;
};

// One client's rows, as posted to the scoring service or taken from the files in a test.
class ClientTables final : public features_internal::TableLoader {
 public:
  explicit ClientTables(const ClientRows& rows) : rows_(rows) {}
  StatusOr<Table> load(HcTable table, const std::vector<std::string>& columns) override {
    const auto& slot = rows_.history[static_cast<size_t>(table)];
    if (!slot) return empty_table(homecredit_schema(table));
    return *slot;
  }

 private:
  const ClientRows& rows_;
};

// Runs the history table plans[index] (and the tables it joins) over one client's rows,
// appending its features to `vector`.
Status run_client_history(const FeaturePipeline::State& s, size_t index, ClientTables& tables,
                          const KeyIndex& client_index, features_internal::RunContext& run, std::vector<double>& vector) {
  const TablePlan& plan = s.tables[index];
  CREDO_ASSIGN_OR_RETURN(Table t, tables.load(plan.table, plan.load_columns));
  size_t ignored = 0;
  return features_internal::run_table(s.tables, index, std::move(t), client_index, run, &ignored,
                                      [&](std::vector<FeatureColumn>& batch) {
                                        for (auto& c : batch) vector.push_back(c.values[0]);
                                        return Status::Ok();
                                      });
}

// Fills s.no_history from the fitted state: each history table's features over no rows.
Status cache_no_history(FeaturePipeline::State& s) {
  ClientRows none;
  ClientTables tables(none);
  features_internal::RunContext run{&s.fitted, false, -1, 1, &tables};
  std::vector<int64_t> ids = {0};
  KeyIndex client_index(ids);
  s.no_history.assign(s.tables.size(), {});
  for (size_t i = 0; i < s.tables.size(); ++i) {
    if (s.tables[i].is_application || s.tables[i].is_child) continue;
    CREDO_RETURN_IF_ERROR(run_client_history(s, i, tables, client_index, run, s.no_history[i]));
  }
  return Status::Ok();
}

}  // namespace

namespace {

// The clients of a batch: application_train rows then application_test rows.
struct BatchClients {
  Table rows;
  std::vector<int64_t> ids;
  std::vector<int> targets;  // 0/1, or -1 when unknown
  size_t n_train = 0;
};

// Reads the clients. A build needs both files; new data (`either_file`) needs one of them.
StatusOr<BatchClients> load_clients(const HomeCreditSource& source, FileTables& files, const TablePlan& app_plan,
                                    bool either_file) {
  bool has_train = source.has(HcTable::kApplicationTrain), has_test = source.has(HcTable::kApplicationTest);
  if (either_file && !has_train && !has_test)
    return Status::NotFound(source.path() + ": neither application_train.csv nor application_test.csv is there");
  BatchClients c;
  std::vector<std::string> train_columns = app_plan.load_columns;
  train_columns.push_back("TARGET");
  Table train = empty_table(homecredit_schema(HcTable::kApplicationTrain));
  Table test = empty_table(homecredit_schema(HcTable::kApplicationTest));
  if (!either_file || has_train) {
    CREDO_ASSIGN_OR_RETURN(train, files.load(HcTable::kApplicationTrain, train_columns));
  }
  if (!either_file || has_test) {
    CREDO_ASSIGN_OR_RETURN(test, files.load(HcTable::kApplicationTest, app_plan.load_columns));
  }
  CREDO_ASSIGN_OR_RETURN(c.rows, concat_rows(train, test, app_plan.load_columns));
  c.n_train = train.num_rows();
  c.targets.assign(c.rows.num_rows(), -1);
  const Column* target = train.find("TARGET");
  for (size_t r = 0; r < c.n_train; ++r)
    c.targets[r] = target->is_missing(r) ? -1 : static_cast<int>(target->as_double(r));
  auto ids_span = (*c.rows.get("SK_ID_CURR"))->int64s();
  c.ids.assign(ids_span.begin(), ids_span.end());
  std::vector<int64_t> sorted = c.ids;
  std::sort(sorted.begin(), sorted.end());
  auto dup = std::adjacent_find(sorted.begin(), sorted.end());
  if (dup != sorted.end())
    return Status::InvalidArgument("SK_ID_CURR " + std::to_string(*dup) +
                                   " is in both application_train.csv and application_test.csv");
  return c;
}

// Runs every table plan over the files into a matrix (no metadata): fitting `run.fitted` when
// run.fit, else applying it. The clients' rows are consumed.
StatusOr<FeatureMatrix> compute_batch(const FeaturePipeline::State& s, BatchClients clients, FileTables& files,
                                      features_internal::RunContext& run, std::vector<LargeVector<double>>& spare,
                                      const FeatureBuildOptions& options, FeatureBuildReport* report) {
  const TablePlan& app_plan = s.tables[static_cast<size_t>(s.application)];
  const size_t n = clients.ids.size(), n_train = clients.n_train;
  KeyIndex client_index(clients.ids);
  ColumnStore store(n);
  {
    auto t0 = std::chrono::steady_clock::now();
    CREDO_ASSIGN_OR_RETURN(auto columns,
                           features_internal::run_application(app_plan, std::move(clients.rows), clients.targets, run));
    CREDO_RETURN_IF_ERROR(store.add(columns));
    if (report)
      report->seconds_per_table.emplace_back(
          "features application", std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  for (size_t i = 0; i < s.tables.size(); ++i) {
    const TablePlan& plan = s.tables[i];
    if (plan.is_application || plan.is_child) continue;
    CREDO_ASSIGN_OR_RETURN(Table t, files.load(plan.table, plan.load_columns));
    auto t0 = std::chrono::steady_clock::now();
    size_t ignored = 0;
    CREDO_RETURN_IF_ERROR(features_internal::run_table(
        s.tables, i, std::move(t), client_index, run, &ignored,
        [&](std::vector<FeatureColumn>& batch) { return store.add(batch, &spare); }));
    if (report) {
      report->ignored_rows.emplace_back(plan.statement.name, ignored);
      report->seconds_per_table.emplace_back(
          "features " + plan.statement.name,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
    }
  }
  spare = {};
  // Transpose the float columns into the row-major matrix, block by block, freeing as it goes.
  FeatureMatrix matrix(store.infos, n);
  for (size_t r = 0; r < n; ++r) matrix.set_client(r, clients.ids[r], clients.targets[r], r >= n_train);
  const size_t f_count = store.infos.size();
  constexpr size_t kBlock = 64;
  for (size_t f0 = 0; f0 < f_count; f0 += kBlock) {
    size_t f1 = std::min(f_count, f0 + kBlock);
    parallel_for((n + 4095) / 4096, options.threads, [&](size_t b) {
      size_t r0 = b * 4096, r1 = std::min(n, r0 + 4096);
      for (size_t r = r0; r < r1; ++r) {
        float* row = matrix.row(r);
        for (size_t f = f0; f < f1; ++f) row[f] = store.column(f)[r];
      }
    });
  }
  return matrix;
}

}  // namespace

StatusOr<FeatureMatrix> FeaturePipeline::build(const HomeCreditSource& source, const FeatureBuildOptions& options,
                                               FeatureBuildReport* report) {
  auto start = std::chrono::steady_clock::now();
  State& s = *state_;
  s.fitted = FittedState();
  s.fitted.seed = options.seed;
  FileTables files(source, options, report);
  std::vector<LargeVector<double>> spare;
  features_internal::RunContext run{&s.fitted, true, -1, options.threads, &files, &spare};
  const TablePlan& app_plan = s.tables[static_cast<size_t>(s.application)];
  CREDO_ASSIGN_OR_RETURN(BatchClients clients, load_clients(source, files, app_plan, false));
  CREDO_ASSIGN_OR_RETURN(FeatureMatrix matrix, compute_batch(s, std::move(clients), files, run, spare, options, report));
  CREDO_RETURN_IF_ERROR(cache_no_history(s));
  features_ = matrix.features();
  fitted_ = true;
  matrix.metadata() = metadata();
  if (report) report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return matrix;
}

StatusOr<FeatureMatrix> FeaturePipeline::apply(const HomeCreditSource& source, const FeatureBuildOptions& options,
                                               FeatureBuildReport* report) const {
  if (!fitted_) return Status::FailedPrecondition("the feature pipeline has not been fitted (build features first)");
  auto start = std::chrono::steady_clock::now();
  const State& s = *state_;
  FileTables files(source, options, report, true);
  std::vector<LargeVector<double>> spare;
  FittedState& fitted = const_cast<FittedState&>(s.fitted);  // read only: fit = false
  features_internal::UnseenLevelCounts unseen;
  features_internal::RunContext run{&fitted, false, -1, options.threads, &files, &spare, &unseen};
  const TablePlan& app_plan = s.tables[static_cast<size_t>(s.application)];
  CREDO_ASSIGN_OR_RETURN(BatchClients clients, load_clients(source, files, app_plan, true));
  CREDO_ASSIGN_OR_RETURN(FeatureMatrix matrix, compute_batch(s, std::move(clients), files, run, spare, options, report));
  if (matrix.features() != features_)
    return Status::Internal("applying the fitted features gave other features than the fit (" +
                            std::to_string(matrix.num_features()) + " for " + std::to_string(features_.size()) + ")");
  matrix.metadata() = metadata();
  if (report) {
    for (const auto& [column, levels] : unseen.rows)
      for (const auto& [level, rows] : levels) report->unseen_levels.push_back({column, level, rows});
    report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  return matrix;
}

StatusOr<std::vector<double>> FeaturePipeline::compute_client(const ClientRows& rows, int training_fold) const {
  return compute_client_with(rows.application, rows, training_fold);
}

StatusOr<std::vector<double>> FeaturePipeline::compute_client(ClientRows&& rows, int training_fold) const {
  Table application = std::move(rows.application);
  return compute_client_with(std::move(application), rows, training_fold);
}

StatusOr<std::vector<double>> FeaturePipeline::compute_client_with(Table application, const ClientRows& rows,
                                                                   int training_fold) const {
  if (!fitted_) return Status::FailedPrecondition("the feature pipeline has not been fitted (build features first)");
  const State& s = *state_;
  if (application.num_rows() != 1)
    return Status::InvalidArgument("expected exactly one application row, got " +
                                   std::to_string(application.num_rows()));
  ClientTables tables(rows);
  FittedState& fitted = const_cast<FittedState&>(s.fitted);  // read only: fit = false
  features_internal::RunContext run{&fitted, false, training_fold, 1, &tables};
  const TablePlan& app_plan = s.tables[static_cast<size_t>(s.application)];
  CREDO_ASSIGN_OR_RETURN(const Column* id_column, application.get("SK_ID_CURR"));
  std::vector<int64_t> ids = {id_column->int64s()[0]};
  KeyIndex client_index(ids);
  std::vector<double> vector;
  vector.reserve(features_.size());
  CREDO_RETURN_IF_ERROR(features_internal::run_application_row(app_plan, std::move(application), run, vector));
  for (size_t i = 0; i < s.tables.size(); ++i) {
    const TablePlan& plan = s.tables[i];
    if (plan.is_application || plan.is_child) continue;
    const auto& posted = rows.history[static_cast<size_t>(plan.table)];
    if (!posted || posted->num_rows() == 0) {
      vector.insert(vector.end(), s.no_history[i].begin(), s.no_history[i].end());
      continue;
    }
    CREDO_RETURN_IF_ERROR(run_client_history(s, i, tables, client_index, run, vector));
  }
  if (vector.size() != features_.size())
    return Status::Internal("online features: " + std::to_string(vector.size()) + " values for " +
                            std::to_string(features_.size()) + " features");
  return vector;
}

}  // namespace credo
