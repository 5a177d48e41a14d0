// `credo features`: builds the feature matrix of the Home Credit data from a feature spec,
// with its dictionary and leakage report; or, with --like, the features of new data computed
// with the fitted pipeline of a model or feature file, in its columns.
#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "credo/base/memory.h"
#include "credo/features/feature_files.h"
#include "credo/store/feature_build_run.h"
#include "credo/train/batch_scoring.h"
#include "store_options.h"

namespace credo::cli {
namespace {

struct FeaturesFlags {
  std::string data, out, spec, csv, dictionary, report, experiment, store, like;
  int threads = 0;
  uint64_t seed = 42;
  bool quiet = false;
  bool json = false;
  bool print_spec = false;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// The template --like names: a feature file, or a model (URI or bundle folder).
StatusOr<FeatureTemplate> template_of(const FeaturesFlags& flags) {
  std::error_code error;
  if (std::filesystem::is_regular_file(flags.like, error)) return feature_template_of_file(flags.like);
  CREDO_ASSIGN_OR_RETURN(std::filesystem::path bundle_dir, resolve_model_flag(flags.like, flags.store));
  CREDO_ASSIGN_OR_RETURN(train::Bundle bundle, train::load_bundle(bundle_dir, 1));
  return train::feature_template_of_bundle(bundle, bundle_dir);
}

FeatureFilesOptions files_options(const FeaturesFlags& flags) {
  FeatureFilesOptions options;
  options.data = flags.data;
  options.out = flags.out;
  options.spec_path = flags.spec;
  options.csv = flags.csv;
  options.dictionary = flags.dictionary;
  options.report = flags.report;
  options.build.threads = flags.threads;
  options.build.progress = flags.quiet || flags.json ? nullptr : stderr;
  options.build.seed = flags.seed;
  return options;
}

Status run_features_like(const FeaturesFlags& flags) {
  auto start = std::chrono::steady_clock::now();
  CREDO_ASSIGN_OR_RETURN(FeatureTemplate like, template_of(flags));
  CREDO_ASSIGN_OR_RETURN(FeatureFiles files, write_features_like(like, files_options(flags)));
  const FeatureMatrix& matrix = files.matrix;
  const FeatureBuildReport& build = files.build;
  const std::string& dictionary_path = files.dictionary_path;
  double seconds = seconds_since(start);
  if (flags.json) {
    nlohmann::json out = {{"like", flags.like},         {"data", flags.data},
                          {"out", flags.out},           {"dictionary", dictionary_path},
                          {"clients", matrix.num_rows()}, {"features", matrix.num_features()},
                          {"unseen_level_rows", unseen_level_rows(build)}, {"unseen_levels", unseen_levels_json(build)},
                          {"seconds", seconds}};
    if (!flags.csv.empty()) out["csv"] = flags.csv;
    std::printf("%s\n", out.dump(2).c_str());
    return Status::Ok();
  }
  std::printf("features           %zu for %zu clients, with the fitted pipeline of %s\n", matrix.num_features(),
              matrix.num_rows(), like.where.c_str());
  std::printf("time               %.1f s, peak memory %.0f MB\n", seconds, static_cast<double>(peak_rss_bytes()) / 1e6);
  std::fputs(render_unseen_levels(build).c_str(), stdout);
  std::printf("written            %s, %s%s%s\n", flags.out.c_str(), dictionary_path.c_str(),
              flags.csv.empty() ? "" : ", ", flags.csv.c_str());
  return Status::Ok();
}

Status run_features(const FeaturesFlags& flags) {
  if (flags.print_spec) {
    std::fwrite(default_feature_spec_text().data(), 1, default_feature_spec_text().size(), stdout);
    return Status::Ok();
  }
  if (flags.data.empty() || flags.out.empty()) return Status::InvalidArgument("--data and --out are required");
  if (!flags.like.empty()) {
    if (!flags.spec.empty() || !flags.experiment.empty())
      return Status::InvalidArgument("--like takes the spec of the model or feature file: no --spec or --experiment");
    return run_features_like(flags);
  }
  auto start = std::chrono::steady_clock::now();
  std::unique_ptr<store::Store> store;
  std::unique_ptr<store::FeatureBuildRun> run;
  if (!flags.experiment.empty()) {
    CREDO_ASSIGN_OR_RETURN(store, open_command_store(flags.store, true));
    CREDO_ASSIGN_OR_RETURN(run, store::FeatureBuildRun::start(*store, flags.experiment, this_command_line()));
  }
  CREDO_ASSIGN_OR_RETURN(FeatureFiles files, build_feature_files(files_options(flags)));
  const FeatureMatrix& matrix = files.matrix;
  const FeatureBuildReport& build = files.build;
  const LeakageReport& leakage = files.leakage;
  const std::string &source = files.spec_source, &dictionary_path = files.dictionary_path,
                    &report_path = files.report_path;
  double seconds = seconds_since(start);
  double peak_memory_mb = static_cast<double>(peak_rss_bytes()) / 1e6;
  if (run) {
    CREDO_RETURN_IF_ERROR(run->finish({.data = flags.data, .out = flags.out, .spec_source = source,
                                       .spec_text = files.spec_text, .seed = flags.seed, .matrix = &matrix,
                                       .build = &build, .leakage = &leakage, .dictionary_path = dictionary_path,
                                       .report_path = report_path, .seconds = seconds,
                                       .peak_memory_mb = peak_memory_mb}));
  }

  size_t train = 0;
  for (size_t r = 0; r < matrix.num_rows(); ++r) train += !matrix.is_test(r);
  if (flags.json) {
    nlohmann::json steps = nlohmann::json::object(), ignored = nlohmann::json::object();
    for (const auto& [step, s] : build.seconds_per_table) steps[step] = s;
    for (const auto& [table, rows] : build.ignored_rows) ignored[table] = rows;
    nlohmann::json top = nlohmann::json::array();
    for (const auto& [name, auc] : leakage.top_auc) top.push_back({{"feature", name}, {"auc", auc}});
    nlohmann::json out = {{"data", flags.data},
                          {"spec", source},
                          {"out", flags.out},
                          {"dictionary", dictionary_path},
                          {"leakage_report", report_path},
                          {"features", matrix.num_features()},
                          {"clients", matrix.num_rows()},
                          {"train_clients", train},
                          {"test_clients", matrix.num_rows() - train},
                          {"seconds", seconds},
                          {"build_seconds", build.seconds},
                          {"peak_memory_mb", peak_memory_mb},
                          {"steps_seconds", steps},
                          {"ignored_rows", ignored},
                          {"leakage",
                           {{"high_auc", leakage.high_auc.size()},
                            {"target_lineage", leakage.target_lineage.size()},
                            {"constant", leakage.constant.size()},
                            {"all_missing", leakage.all_missing.size()},
                            {"top_auc", top}}}};
    if (!flags.csv.empty()) out["csv"] = flags.csv;
    if (run) out["run_id"] = run->id();
    std::printf("%s\n", out.dump(2).c_str());
    return Status::Ok();
  }
  std::printf("features           %zu for %zu clients (%zu train, %zu test)\n", matrix.num_features(),
              matrix.num_rows(), train, matrix.num_rows() - train);
  std::printf("time               %.1f s (build %.1f s), peak memory %.0f MB\n", seconds, build.seconds,
              peak_memory_mb);
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
  if (run) std::printf("tracked            run %s in experiment %s\n", run->id().c_str(), flags.experiment.c_str());
  return Status::Ok();
}

}  // namespace

void add_features_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<FeaturesFlags>();
  auto* cmd = app.add_subcommand("features", "Build the feature matrix from the Home Credit tables and a feature spec");
  cmd->add_option("--data", flags->data, "The Home Credit folder or zip (or credo synth's output)");
  cmd->add_option("--out", flags->out, "The feature matrix file to write (binary, loads in a second)");
  cmd->add_option("--spec", flags->spec, "A feature spec file (default: the spec credo ships; see --print-spec)");
  cmd->add_option("--like", flags->like,
                  "New data's features with the fitted pipeline (levels, encodings, spec) of this model "
                  "(models:/NAME@ALIAS, runs:/RUN/model, a bundle folder) or feature file, in its columns");
  cmd->add_option("--csv", flags->csv, "Also write the matrix as CSV here");
  cmd->add_option("--dictionary", flags->dictionary, "Where to write the feature dictionary (default: OUT.dictionary.csv)");
  cmd->add_option("--report", flags->report, "Where to write the leakage report (default: OUT.leakage.txt)");
  cmd->add_option("--threads", flags->threads, "Worker threads (default: all cores)");
  cmd->add_option("--seed", flags->seed, "Seed of the out-of-fold target-encoding folds")->capture_default_str();
  cmd->add_option("--experiment", flags->experiment, "Track the build as a run of this experiment in the store");
  add_store_flag(cmd, flags->store);
  cmd->add_flag("--json", flags->json, "Print the summary as JSON");
  cmd->add_flag("-q,--quiet", flags->quiet, "No progress bars");
  cmd->add_flag("--print-spec", flags->print_spec, "Print the default feature spec (to start your own) and exit");
  cmd->callback([flags, &exit_code] { exit_code = report(run_features(*flags)); });
}

}  // namespace credo::cli
