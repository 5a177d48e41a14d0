// `credo predict`: scores every client of a feature file with a model found by its URI, and
// writes SK_ID_CURR, the probability of default and the decision under the model's threshold.
#include <cstdio>
#include <numeric>

#include "commands.h"
#include "credo/base/atomic_file.h"
#include "credo/data/csv_writer.h"
#include "credo/store/model_uri.h"
#include "credo/train/model_bundle.h"
#include "store_options.h"

namespace credo::cli {
namespace {

struct PredictFlags {
  std::string model, features, out, store;
  int threads = 0;
};

Status run_predict(const PredictFlags& flags) {
  std::filesystem::path bundle_dir;
  if (flags.model.rfind("models:/", 0) == 0 || flags.model.rfind("runs:/", 0) == 0) {
    CREDO_ASSIGN_OR_RETURN(auto store, open_command_store(flags.store, false));
    CREDO_ASSIGN_OR_RETURN(store::ResolvedModel resolved, store::resolve_model_uri(*store, flags.model));
    bundle_dir = resolved.dir;
  } else {
    bundle_dir = flags.model;  // a bundle folder on disk
  }
  CREDO_ASSIGN_OR_RETURN(train::Bundle bundle, train::load_bundle(bundle_dir, flags.threads > 0 ? flags.threads : 1));
  CREDO_ASSIGN_OR_RETURN(FeatureMatrix matrix, read_feature_matrix(flags.features));
  std::vector<int32_t> rows(matrix.num_rows());
  std::iota(rows.begin(), rows.end(), 0);
  CREDO_ASSIGN_OR_RETURN(std::vector<float> block, train::aligned_rows(bundle, matrix, rows));
  CREDO_ASSIGN_OR_RETURN(std::vector<float> scores,
                         bundle.model->predict({block.data(), rows.size(), bundle.info.features.size()}));
  std::string csv = "SK_ID_CURR,probability,decision\n";
  size_t refused = 0;
  char number[kMaxCsvNumberChars];
  for (size_t r = 0; r < rows.size(); ++r) {
    bool refuse = scores[r] >= bundle.info.threshold;
    refused += refuse;
    csv += std::to_string(matrix.id(r)) + ",";
    csv.append(number, format_csv_number(number, scores[r]));
    csv += refuse ? ",REFUSED\n" : ",ACCEPTED\n";
  }
  CREDO_RETURN_IF_ERROR(write_file_atomically(flags.out, csv));
  std::printf("scored             %zu clients with %s (%s, threshold %.4g): %zu refused, %zu accepted -> %s\n",
              rows.size(), flags.model.c_str(), bundle.info.algorithm.c_str(), bundle.info.threshold, refused,
              rows.size() - refused, flags.out.c_str());
  return Status::Ok();
}

}  // namespace

void add_predict_command(CLI::App& app, int& exit_code) {
  auto flags = std::make_shared<PredictFlags>();
  CLI::App* cmd = app.add_subcommand("predict", "Score a feature file with a registered model: probability and decision");
  cmd->add_option("--model", flags->model, "models:/NAME/VERSION, models:/NAME@ALIAS, runs:/RUN/model or a bundle folder")
      ->required();
  cmd->add_option("--features", flags->features, "The feature file to score (credo features --out)")->required();
  cmd->add_option("--out", flags->out, "CSV to write: SK_ID_CURR,probability,decision")->required();
  add_store_flag(cmd, flags->store);
  cmd->add_option("--threads", flags->threads, "Threads (default 1)");
  cmd->callback([flags, &exit_code] { exit_code = report(run_predict(*flags)); });
}

}  // namespace credo::cli
