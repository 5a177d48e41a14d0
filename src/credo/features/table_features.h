// Internal to the feature pipeline: the work done on one table of the spec, shared by the batch
// build and the online path. A table is cleaned (missing rules), extended (derived columns and
// the aggregates of the tables it joins), then aggregated per group of its key with and
// without each filter; the application table is encoded row by row instead. The plans come from
// feature_plan.h, what a build learns is kept in fitted_state.h.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "credo/base/large_vector.h"
#include "credo/base/status.h"
#include "credo/data/homecredit.h"
#include "credo/data/table.h"
#include "credo/features/aggregate.h"
#include "credo/features/expression.h"
#include "credo/features/feature_matrix.h"
#include "credo/features/feature_plan.h"
#include "credo/features/fitted_state.h"
#include "credo/features/spec.h"

namespace credo::features_internal {

inline constexpr size_t kMaxLevels = 64;  // levels kept per text column (the most frequent)

struct FeatureColumn {
  FeatureInfo info;
  LargeVector<double> values;  // one per group (client)
};

// Rows whose text level is not among the fitted ones, per "table.COLUMN" and level, counted
// when a fitted pipeline is applied to new data.
struct UnseenLevelCounts {
  std::map<std::string, std::map<std::string, size_t>> rows;
  std::set<std::string> counted;  // columns already counted (a column may be encoded per filter)
};

// Where a table's rows come from: the files (batch) or one client's rows (online).
class TableLoader {
 public:
  virtual ~TableLoader() = default;
  virtual StatusOr<Table> load(HcTable table, const std::vector<std::string>& columns) = 0;
};

struct RunContext {
  FittedState* fitted;
  bool fit;           // batch: learn levels and encodings from the data
  int training_fold;  // online: the fold of a training client, or -1
  int threads;
  TableLoader* loader;
  // Output buffers handed back by the consumer, reused for the next outputs of the same size:
  // fresh memory costs a page fault and the kernel's zeroing per page, which was a quarter of
  // the build time when every one of the ~700 outputs was freshly mapped.
  std::vector<LargeVector<double>>* spare = nullptr;
  UnseenLevelCounts* unseen = nullptr;  // applying: where levels not fitted are counted
};

// Receives features as soon as a batch of them is computed (in spec order), so that only a
// bounded number of output columns is alive at once.
using FeatureSink = std::function<Status(std::vector<FeatureColumn>& columns)>;

// The application features of every row of `t` (one row per client). targets[r] is 0/1 for a
// training client (used only to fit target encodings) and -1 otherwise.
StatusOr<std::vector<FeatureColumn>> run_application(const TablePlan& plan, Table t, const std::vector<int>& targets,
                                                     RunContext& ctx);
// The same features of one client's application row (online), appended to `values` in the same
// order, with no names or columns: what compute_client reads.
Status run_application_row(const TablePlan& plan, Table t, RunContext& ctx, std::vector<double>& values);

// The features of table plans[index] per group of `groups` (ids of its key column), handed to
// `sink` in spec order, a batch at a time.
Status run_table(const std::vector<TablePlan>& plans, size_t index, Table t, const KeyIndex& groups, RunContext& ctx,
                 size_t* ignored_rows, const FeatureSink& sink);

}  // namespace credo::features_internal
