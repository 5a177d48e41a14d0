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
  // Bars in two colours by sign (e.g. SHAP contributions), named in a legend: positive values in
  // vermillion ("toward refusal"), negative in blue ("toward acceptance"). Bars are coloured by
  // sign whenever a label is set or some value is negative.
  std::string positive_label, negative_label;
};

// The SVG document for each chart (UTF-8 text, escaped). Never fails: missing or non-finite
// data give an empty plot reading "no data"; a bar with a non-finite value keeps its row and
// reads "n/a" but draws no bar.
std::string render_svg(const LineChart& chart);
std::string render_svg(const BarChart& chart);

// Round axis ticks covering [lo, hi]: ascending, evenly spaced by 1, 2 or 5 times a power of
// ten, about target_count of them (at least 2), the first <= lo and the last >= hi. A zero range
// gets a small range around the value; non-finite bounds give {0, 1}; bounds beyond +/-1e300
// are taken as +/-1e300 (ticks round beyond them would not be finite).
std::vector<double> nice_ticks(double lo, double hi, int target_count);

// Labels for evenly spaced ticks, all in one style and as short as the step allows: plain with
// the step's decimals ("0.0", "0.2", "1500") or, for large or tiny magnitudes, short exponent
// forms ("0", "5e5", "1.5e6"; "5e-5").
std::vector<std::string> format_ticks(const std::vector<double>& ticks);

}  // namespace credo::report
