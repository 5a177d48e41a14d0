// The training run's report as one HTML page (reports/index.html): what was chosen and why, in
// figures and words, with the run's charts beside them. It is what `make demo` ends with.
#pragma once

#include <string>
#include <vector>

#include "credo/train/trainer.h"

namespace credo::train {

struct ImportantFeature {
  std::string name, description;
  double mean_abs_shap = 0;
};

struct ExplainedClient {
  int64_t id = 0;
  double probability = 0;
  std::string chart;  // path of its SVG, relative to the page
};

// The page; `features` are the most important first, `clients` those with a chart.
std::string render_training_page(const TrainResult& result, const TrainConfig& config,
                                 const std::vector<ImportantFeature>& features,
                                 const std::vector<ExplainedClient>& clients);

}  // namespace credo::train
