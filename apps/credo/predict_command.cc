// `credo predict`: scores clients with a model found by its URI and writes SK_ID_CURR, the
// probability of default and the decision under the model's threshold: the clients of a feature
// file, or new clients from raw data, whose features the model's own fitted pipeline computes.
#include <chrono>
#include <cstdio>
#include <thread>

#include <nlohmann/json.hpp>

#include "commands.h"
#include "credo/train/batch_scoring.h"
#include "store_options.h"

namespace credo::cli {
namespace {

struct PredictFlags {
  std::string model, features, data, out, store;
  int threads = 0;
  bool json = false;
  bool quiet = false;
};

Status run_predict(const PredictFlags& flags) {
  if (flags.features.empty() == flags.data.empty())
    return Status::InvalidArgument("give either --features (a feature file) or --data (raw data to compute features from)");
  auto start = std::chrono::steady_clock::now();
  int threads = flags.threads > 0 ? flags.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  CREDO_ASSIGN_OR_RETURN(std::filesystem::path bundle_dir, resolve_model_flag(flags.model, flags.store));
  CREDO_ASSIGN_OR_RETURN(train::Bundle bundle, train::load_bundle(bundle_dir, threads));
  train::ClientScores scores;
  FeatureBuildReport features;
  if (!flags.data.empty()) {
    CREDO_ASSIGN_OR_RETURN(HomeCreditSource source, HomeCreditSource::open(flags.data));
    FeatureBuildOptions options;
    options.threads = threads;
    options.progress = flags.quiet || flags.json ? nullptr : stderr;
    CREDO_ASSIGN_OR_RETURN(scores, train::score_new_clients(bundle, bundle_dir, source, options, &features));
  } else {
    CREDO_ASSIGN_OR_RETURN(FeatureMatrix matrix, read_feature_matrix(flags.features));
    CREDO_ASSIGN_OR_RETURN(scores, train::score_clients(bundle, matrix));
  }
  CREDO_RETURN_IF_ERROR(train::write_client_scores_csv(scores, flags.out));
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const size_t clients = scores.ids.size();
  if (flags.json) {
    nlohmann::json out = {{"model", flags.model},       {"algorithm", bundle.info.algorithm},
                          {"threshold", scores.threshold}, {"clients", clients},
                          {"refused", scores.refused},    {"accepted", clients - scores.refused},
                          {"out", flags.out},             {"seconds", seconds}};
    if (!flags.data.empty()) {
      out["data"] = flags.data;
      out["unseen_level_rows"] = unseen_level_rows(features);
      out["unseen_levels"] = unseen_levels_json(features);
    } else {
      out["features"] = flags.features;
    }
    std::printf("%s\n", out.dump(2).c_str());
    return Status::Ok();
  }
  std::printf("scored             %zu clients with %s (%s, threshold %.4g): %zu refused, %zu accepted -> %s\n", clients,
              flags.model.c_str(), bundle.info.algorithm.c_str(), scores.threshold, scores.refused,
              clients - scores.refused, flags.out.c_str());
  if (!flags.data.empty()) {
    std::printf("features           computed from %s with the model's fitted pipeline in %.1f s\n", flags.data.c_str(),
                features.seconds);
    std::fputs(render_unseen_levels(features).c_str(), stdout);
  }
  std::printf("time               %.1f s\n", seconds);
  return Status::Ok();
}

}  // namespace

void add_predict_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<PredictFlags>();
  CLI::App* cmd = app.add_subcommand(
      "predict", "Score clients with a registered model (a feature file, or raw data): probability and decision");
  cmd->add_option("--model", flags->model, "models:/NAME/VERSION, models:/NAME@ALIAS, runs:/RUN/model or a bundle folder")
      ->required();
  cmd->add_option("--features", flags->features, "The feature file to score (credo features --out)");
  cmd->add_option("--data", flags->data,
                  "Or new clients' raw data (a Home Credit folder or zip): their features are computed with the "
                  "model's own fitted pipeline");
  cmd->add_option("--out", flags->out, "CSV to write: SK_ID_CURR,probability,decision")->required();
  add_store_flag(cmd, flags->store);
  cmd->add_option("--threads", flags->threads, "Threads (default: all cores)");
  cmd->add_flag("--json", flags->json, "Print the summary as JSON (clients, refused, unseen levels...)");
  cmd->add_flag("-q,--quiet", flags->quiet, "No progress bars");
  cmd->callback([flags, &exit_code] { exit_code = report(run_predict(*flags)); });
}

}  // namespace credo::cli
