// What `credo features` writes (see feature_files.h).
#include "credo/features/feature_files.h"

#include <fstream>
#include <sstream>

#include "credo/base/atomic_file.h"
#include "credo/features/feature_dictionary.h"
#include "credo/features/source_data.h"

namespace credo {
namespace {

// The matrix, its dictionary and its CSV; the dictionary's path goes into `files`.
Status write_matrix_files(const FeatureMatrix& matrix, const FeatureFilesOptions& options, FeatureFiles& files) {
  CREDO_RETURN_IF_ERROR(write_feature_matrix(matrix, options.out));
  files.dictionary_path = options.dictionary.empty() ? options.out + ".dictionary.csv" : options.dictionary;
  CREDO_RETURN_IF_ERROR(write_feature_dictionary(matrix.features(), files.dictionary_path));
  if (!options.csv.empty()) CREDO_RETURN_IF_ERROR(write_feature_matrix_csv(matrix, options.csv));
  return Status::Ok();
}

}  // namespace

StatusOr<FeatureFiles> build_feature_files(const FeatureFilesOptions& options) {
  FeatureFiles files;
  files.spec_text = std::string(default_feature_spec_text());
  files.spec_source = "default.spec";
  if (!options.spec_path.empty()) {
    std::ifstream in(options.spec_path);
    if (!in) return Status::NotFound(options.spec_path + ": no such spec file");
    std::stringstream text;
    text << in.rdbuf();
    files.spec_text = text.str();
    files.spec_source = options.spec_path;
  }
  CREDO_ASSIGN_OR_RETURN(FeatureSpec spec, parse_feature_spec(files.spec_text, files.spec_source));
  CREDO_ASSIGN_OR_RETURN(FeaturePipeline pipeline, FeaturePipeline::compile(std::move(spec)));
  CREDO_ASSIGN_OR_RETURN(HomeCreditSource data, HomeCreditSource::open(options.data));
  CREDO_ASSIGN_OR_RETURN(files.matrix, pipeline.build(data, options.build, &files.build));

  files.leakage = check_leakage(files.matrix, 0.9, 30000, options.build.threads);
  files.report_path = options.report.empty() ? options.out + ".leakage.txt" : options.report;
  CREDO_RETURN_IF_ERROR(write_file_atomically(files.report_path, render_leakage_report(files.leakage)));
  CREDO_RETURN_IF_ERROR(leakage_status(files.leakage));

  // The raw data's path goes with the features, so `credo serve` finds the clients' applications.
  record_source_data(files.matrix, options.data);
  CREDO_RETURN_IF_ERROR(write_matrix_files(files.matrix, options, files));
  return files;
}

StatusOr<FeatureFiles> write_features_like(const FeatureTemplate& like, const FeatureFilesOptions& options) {
  FeatureFiles files;
  CREDO_ASSIGN_OR_RETURN(HomeCreditSource data, HomeCreditSource::open(options.data));
  CREDO_ASSIGN_OR_RETURN(files.matrix, features_like(like, data, options.build, &files.build));
  CREDO_RETURN_IF_ERROR(write_matrix_files(files.matrix, options, files));
  return files;
}

}  // namespace credo
