// What `credo features` writes, as one library call: the feature matrix of a data folder built
// from a spec (with its leakage check and report) or computed like a model's or feature file's
// (new clients), and the files beside it: the dictionary, the leakage report, an optional CSV.
#pragma once

#include <string>

#include "credo/base/status.h"
#include "credo/features/feature_matrix.h"
#include "credo/features/leakage.h"
#include "credo/features/new_clients.h"
#include "credo/features/pipeline.h"

namespace credo {

struct FeatureFilesOptions {
  std::string data;        // the Home Credit folder or zip
  std::string out;         // the feature file
  std::string spec_path;   // "" = the default spec
  std::string csv;         // "" = no CSV
  std::string dictionary;  // "" = OUT.dictionary.csv
  std::string report;      // "" = OUT.leakage.txt (a build from a spec only)
  FeatureBuildOptions build;
};

struct FeatureFiles {
  FeatureMatrix matrix;
  FeatureBuildReport build;
  LeakageReport leakage;                  // a build from a spec only
  std::string spec_source, spec_text;     // "default.spec" or the spec file, and its text
  std::string dictionary_path, report_path;
};

// Builds the features of options.data from the spec and writes them with their files. A spec
// error names the spec file and line; leakage found is an error after the report is written.
StatusOr<FeatureFiles> build_feature_files(const FeatureFilesOptions& options);

// Computes the features of options.data like `like` (see features_like) and writes them with
// their dictionary (and CSV).
StatusOr<FeatureFiles> write_features_like(const FeatureTemplate& like, const FeatureFilesOptions& options);

}  // namespace credo
