// A feature build tracked as a run (see feature_build_run.h).
#include "credo/store/feature_build_run.h"

#include "credo/base/fingerprint.h"

namespace credo::store {

StatusOr<std::unique_ptr<FeatureBuildRun>> FeatureBuildRun::start(Store& store, const std::string& experiment,
                                                                   const std::string& command_line) {
  RunOptions options;
  options.experiment = experiment;
  options.run_name = "features";
  options.command_line = command_line;
  options.tags = {{"credo.stage", "features"}};
  CREDO_ASSIGN_OR_RETURN(std::unique_ptr<ActiveRun> run, ActiveRun::start(store, options));
  return std::unique_ptr<FeatureBuildRun>(new FeatureBuildRun(store, std::move(run)));
}

Status FeatureBuildRun::finish(const FeatureBuildRecord& r) {
  ActiveRun& run = *run_;
  const FeatureMatrix& matrix = *r.matrix;
  size_t train = 0;
  for (size_t row = 0; row < matrix.num_rows(); ++row) train += !matrix.is_test(row);
  CREDO_ASSIGN_OR_RETURN(std::string fingerprint, fingerprint_file(r.out));
  CREDO_RETURN_IF_ERROR(store_.set_data_fingerprint(run.id(), fingerprint));
  CREDO_RETURN_IF_ERROR(run.log_params({{"data", r.data}, {"spec", r.spec_source}, {"seed", std::to_string(r.seed)},
                                        {"out", r.out}, {"spec_fingerprint", fingerprint_bytes(r.spec_text)}}));
  CREDO_RETURN_IF_ERROR(run.log_metric("clients", static_cast<double>(matrix.num_rows())));
  CREDO_RETURN_IF_ERROR(run.log_metric("train_clients", static_cast<double>(train)));
  CREDO_RETURN_IF_ERROR(run.log_metric("features", static_cast<double>(matrix.num_features())));
  CREDO_RETURN_IF_ERROR(run.log_metric("seconds_total", r.seconds));
  CREDO_RETURN_IF_ERROR(run.log_metric("peak_memory_mb", r.peak_memory_mb));
  for (const auto& [step, s] : r.build->seconds_per_table) CREDO_RETURN_IF_ERROR(run.log_metric("seconds/" + step, s));
  const LeakageReport& leakage = *r.leakage;
  CREDO_RETURN_IF_ERROR(run.log_metric("leakage/high_auc", static_cast<double>(leakage.high_auc.size())));
  CREDO_RETURN_IF_ERROR(run.log_metric("leakage/constant", static_cast<double>(leakage.constant.size())));
  CREDO_RETURN_IF_ERROR(run.log_metric("leakage/all_missing", static_cast<double>(leakage.all_missing.size())));
  if (!leakage.top_auc.empty())
    CREDO_RETURN_IF_ERROR(run.log_metric("leakage/top_single_feature_auc", leakage.top_auc[0].second));
  CREDO_RETURN_IF_ERROR(run.log_artifact(r.dictionary_path));
  CREDO_RETURN_IF_ERROR(run.log_artifact(r.report_path));
  CREDO_RETURN_IF_ERROR(run.log_text("feature.spec", r.spec_text));
  return run.end();
}

}  // namespace credo::store
