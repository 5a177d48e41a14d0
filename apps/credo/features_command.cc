// `credo features`: builds the feature matrix of the Home Credit data from a feature spec,
// with its dictionary and leakage report.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "commands.h"
#include "credo/base/fingerprint.h"
#include "credo/base/memory.h"
#include "credo/features/feature_dictionary.h"
#include "credo/features/leakage.h"
#include "credo/features/pipeline.h"
#include "credo/features/source_data.h"
#include "credo/store/active_run.h"
#include "store_options.h"

namespace credo::cli {
namespace {

struct FeaturesFlags {
  std::string data, out, spec, csv, dictionary, report, experiment, store;
  int threads = 0;
  uint64_t seed = 42;
  bool quiet = false;
  bool print_spec = false;
};

// With --experiment, the build is a tracked run: its params, timings, sizes, the leakage findings,
// the dictionary, report and spec as artifacts, and the feature file's fingerprint as the run's
// data fingerprint (training runs that read the file record the same one, so they link up).
struct FeaturesTracking {
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::ActiveRun> run;
};

StatusOr<FeaturesTracking> start_tracking(const FeaturesFlags& flags) {
  FeaturesTracking tracking;
  if (flags.experiment.empty()) return tracking;
  CREDO_ASSIGN_OR_RETURN(tracking.store, open_command_store(flags.store, true));
  store::RunOptions options;
  options.experiment = flags.experiment;
  options.run_name = "features";
  options.command_line = this_command_line();
  options.tags = {{"credo.stage", "features"}};
  CREDO_ASSIGN_OR_RETURN(tracking.run, store::ActiveRun::start(*tracking.store, options));
  return tracking;
}

Status run_features(const FeaturesFlags& flags) {
  if (flags.print_spec) {
    std::fwrite(default_feature_spec_text().data(), 1, default_feature_spec_text().size(), stdout);
    return Status::Ok();
  }
  if (flags.data.empty() || flags.out.empty()) return Status::InvalidArgument("--data and --out are required");
  auto start = std::chrono::steady_clock::now();
  std::string text(default_feature_spec_text());
  std::string source = "default.spec";
  if (!flags.spec.empty()) {
    std::ifstream in(flags.spec);
    if (!in) return Status::NotFound(flags.spec + ": no such spec file");
    std::stringstream buf;
    buf << in.rdbuf();
    text = buf.str();
    source = flags.spec;
  }
  CREDO_ASSIGN_OR_RETURN(FeaturesTracking tracking, start_tracking(flags));
  CREDO_ASSIGN_OR_RETURN(FeatureSpec spec, parse_feature_spec(text, source));
  CREDO_ASSIGN_OR_RETURN(FeaturePipeline pipeline, FeaturePipeline::compile(std::move(spec)));
  CREDO_ASSIGN_OR_RETURN(HomeCreditSource data, HomeCreditSource::open(flags.data));
  FeatureBuildOptions options;
  options.threads = flags.threads;
  options.progress = flags.quiet ? nullptr : stderr;
  options.seed = flags.seed;
  FeatureBuildReport build;
  CREDO_ASSIGN_OR_RETURN(FeatureMatrix matrix, pipeline.build(data, options, &build));

  LeakageReport leakage = check_leakage(matrix, 0.9, 30000, flags.threads);
  std::string report_path = flags.report.empty() ? flags.out + ".leakage.txt" : flags.report;
  std::string report_text = render_leakage_report(leakage);
  if (FILE* f = std::fopen(report_path.c_str(), "wb")) {
    std::fwrite(report_text.data(), 1, report_text.size(), f);
    std::fclose(f);
  }
  CREDO_RETURN_IF_ERROR(leakage_status(leakage));

  // The raw data's path goes with the features, so `credo serve` finds the clients' applications.
  record_source_data(matrix, flags.data);
  CREDO_RETURN_IF_ERROR(write_feature_matrix(matrix, flags.out));
  std::string dictionary_path = flags.dictionary.empty() ? flags.out + ".dictionary.csv" : flags.dictionary;
  CREDO_RETURN_IF_ERROR(write_feature_dictionary(matrix.features(), dictionary_path));
  if (!flags.csv.empty()) CREDO_RETURN_IF_ERROR(write_feature_matrix_csv(matrix, flags.csv));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  size_t train = 0;
  for (size_t r = 0; r < matrix.num_rows(); ++r) train += !matrix.is_test(r);
  std::printf("features           %zu for %zu clients (%zu train, %zu test)\n", matrix.num_features(),
              matrix.num_rows(), train, matrix.num_rows() - train);
  std::printf("time               %.1f s (build %.1f s), peak memory %.0f MB\n", seconds, build.seconds,
              static_cast<double>(peak_rss_bytes()) / 1e6);
  std::string steps;
  for (const auto& [step, s] : build.seconds_per_table) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s%s %.2f s", steps.empty() ? "" : ", ", step.c_str(), s);
    steps += buf;
  }
  std::printf("steps              %s\n", steps.c_str());
  for (const auto& [table, ignored] : build.ignored_rows)
    if (ignored) std::printf("ignored            %zu %s rows whose client is not in the application files\n", ignored, table.c_str());
  std::printf("written            %s, %s%s%s\n", flags.out.c_str(), dictionary_path.c_str(),
              flags.csv.empty() ? "" : ", ", flags.csv.c_str());
  std::printf("leakage            %zu features with AUC > 0.9, %zu from TARGET, %zu constant, %zu always missing "
              "(report: %s)\n",
              leakage.high_auc.size(), leakage.target_lineage.size(), leakage.constant.size(),
              leakage.all_missing.size(), report_path.c_str());
  for (size_t i = 0; i < std::min<size_t>(5, leakage.top_auc.size()); ++i)
    std::printf("  strongest %zu     %-50s AUC %.4f\n", i + 1, leakage.top_auc[i].first.c_str(), leakage.top_auc[i].second);
  if (!tracking.run) return Status::Ok();

  store::ActiveRun& run = *tracking.run;
  CREDO_ASSIGN_OR_RETURN(std::string fingerprint, fingerprint_file(flags.out));
  CREDO_RETURN_IF_ERROR(tracking.store->set_data_fingerprint(run.id(), fingerprint));
  CREDO_RETURN_IF_ERROR(run.log_params({{"data", flags.data}, {"spec", source}, {"seed", std::to_string(flags.seed)},
                                        {"out", flags.out}, {"spec_fingerprint", fingerprint_bytes(text)}}));
  CREDO_RETURN_IF_ERROR(run.log_metric("clients", static_cast<double>(matrix.num_rows())));
  CREDO_RETURN_IF_ERROR(run.log_metric("train_clients", static_cast<double>(train)));
  CREDO_RETURN_IF_ERROR(run.log_metric("features", static_cast<double>(matrix.num_features())));
  CREDO_RETURN_IF_ERROR(run.log_metric("seconds_total", seconds));
  CREDO_RETURN_IF_ERROR(run.log_metric("peak_memory_mb", static_cast<double>(peak_rss_bytes()) / 1e6));
  for (const auto& [step, s] : build.seconds_per_table) CREDO_RETURN_IF_ERROR(run.log_metric("seconds/" + step, s));
  CREDO_RETURN_IF_ERROR(run.log_metric("leakage/high_auc", static_cast<double>(leakage.high_auc.size())));
  CREDO_RETURN_IF_ERROR(run.log_metric("leakage/constant", static_cast<double>(leakage.constant.size())));
  CREDO_RETURN_IF_ERROR(run.log_metric("leakage/all_missing", static_cast<double>(leakage.all_missing.size())));
  if (!leakage.top_auc.empty()) CREDO_RETURN_IF_ERROR(run.log_metric("leakage/top_single_feature_auc", leakage.top_auc[0].second));
  CREDO_RETURN_IF_ERROR(run.log_artifact(dictionary_path));
  CREDO_RETURN_IF_ERROR(run.log_artifact(report_path));
  CREDO_RETURN_IF_ERROR(run.log_text("feature.spec", text));
  CREDO_RETURN_IF_ERROR(run.end());
  std::printf("tracked            run %s in experiment %s\n", run.id().c_str(), flags.experiment.c_str());
  return Status::Ok();
}

}  // namespace

void add_features_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<FeaturesFlags>();
  auto* cmd = app.add_subcommand("features", "Build the feature matrix from the Home Credit tables and a feature spec");
  cmd->add_option("--data", flags->data, "The Home Credit folder or zip (or credo synth's output)");
  cmd->add_option("--out", flags->out, "The feature matrix file to write (binary, loads in a second)");
  cmd->add_option("--spec", flags->spec, "A feature spec file (default: the spec credo ships; see --print-spec)");
  cmd->add_option("--csv", flags->csv, "Also write the matrix as CSV here");
  cmd->add_option("--dictionary", flags->dictionary, "Where to write the feature dictionary (default: OUT.dictionary.csv)");
  cmd->add_option("--report", flags->report, "Where to write the leakage report (default: OUT.leakage.txt)");
  cmd->add_option("--threads", flags->threads, "Worker threads (default: all cores)");
  cmd->add_option("--seed", flags->seed, "Seed of the out-of-fold target-encoding folds")->capture_default_str();
  cmd->add_option("--experiment", flags->experiment, "Track the build as a run of this experiment in the store");
  add_store_flag(cmd, flags->store);
  cmd->add_flag("-q,--quiet", flags->quiet, "No progress bars");
  cmd->add_flag("--print-spec", flags->print_spec, "Print the default feature spec (to start your own) and exit");
  cmd->callback([flags, &exit_code] { exit_code = report(run_features(*flags)); });
}

}  // namespace credo::cli
