// A feature build tracked as a run (`credo features --experiment`): its params, timings and
// sizes, the leakage findings, the dictionary, report and spec as artifacts, and the feature
// file's fingerprint as the run's data fingerprint (training runs that read the file record the
// same one, so the two link up). The run starts before the build, so a failed build is a
// FAILED run.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "credo/base/status.h"
#include "credo/features/feature_matrix.h"
#include "credo/features/leakage.h"
#include "credo/features/pipeline.h"
#include "credo/store/active_run.h"
#include "credo/store/store.h"

namespace credo::store {

// What a finished build leaves to record.
struct FeatureBuildRecord {
  std::string data, out;                 // the raw data read, the feature file written
  std::string spec_source, spec_text;    // "default.spec" or the spec file, and its text
  uint64_t seed = 42;
  const FeatureMatrix* matrix = nullptr;
  const FeatureBuildReport* build = nullptr;
  const LeakageReport* leakage = nullptr;
  std::string dictionary_path, report_path;  // written beside the feature file
  double seconds = 0;
  double peak_memory_mb = 0;
};

class FeatureBuildRun {
 public:
  // Starts a run named "features" in `experiment` (tagged credo.stage=features).
  static StatusOr<std::unique_ptr<FeatureBuildRun>> start(Store& store, const std::string& experiment,
                                                          const std::string& command_line);
  // Logs the record and ends the run (FINISHED).
  Status finish(const FeatureBuildRecord& record);
  const std::string& id() const { return run_->id(); }

 private:
  FeatureBuildRun(Store& store, std::unique_ptr<ActiveRun> run) : store_(store), run_(std::move(run)) {}
  Store& store_;
  std::unique_ptr<ActiveRun> run_;
};

}  // namespace credo::store
