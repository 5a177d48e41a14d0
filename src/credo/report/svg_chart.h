// Charts as standalone SVG files: what a person opens to see a cost curve, a leaderboard or the
// importance of features, in any browser, with no plotting library or runtime. Plain, readable
// defaults: a title, labelled axes with round ticks, a legend when there are several series.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace credo::report {

struct LineSeries {
  std::string name;
  std::vector<double> x, y;  // same length; non-finite points are skipped
};

struct LineChart {
  std::string title, x_label, y_label;
  std::vector<LineSeries> series;
  std::optional<double> marker_x;  // a vertical dashed line (e.g. the chosen threshold)
  std::string marker_label;        // written beside the marker ("threshold 0.31")
  int width = 720, height = 420;
};

struct Bar {
  std::string label;
  double value = 0;
  std::optional<double> error;     // drawn as +/- whisker (e.g. standard deviation over folds)
  bool highlight = false;          // drawn in the accent colour (e.g. the chosen model)
};

struct BarChart {
  std::string title, value_label;
  std::vector<Bar> bars;           // drawn top to bottom in this order, as horizontal bars
  int width = 720;                 // height follows the number of bars
  std::string value_format = "%.4g";
};

// The SVG document for each chart (UTF-8 text, escaped).
std::string render_svg(const LineChart& chart);
std::string render_svg(const BarChart& chart);

}  // namespace credo::report
