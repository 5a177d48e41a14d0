// Line charts (cost against threshold, ROC curves): series on round-ticked axes with light grid
// lines, a legend row under the title when there are several series, an optional dashed marker.
#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "credo/report/svg_canvas.h"
#include "credo/report/svg_chart.h"

namespace credo::report {
namespace {

using svg::TextStyle;
using svg::kPad, svg::kTitlePx, svg::kAxisLabelPx, svg::kTickPx;

constexpr double kLegendPx = 12;

struct DrawnSeries {
  std::string name;
  std::vector<std::pair<double, double>> points;  // finite (x, y) only
  const char* colour;
};

// Legend items laid out left to right, wrapping into rows; returns the height used.
double draw_legend(svg::SvgCanvas& canvas, const std::vector<DrawnSeries>& series, double left,
                   double right, double top) {
  constexpr double kSwatchPx = 18, kRowPx = 18, kGapPx = 18;
  double x = left, y = top + kRowPx / 2;
  for (const DrawnSeries& s : series) {
    std::string name = svg::truncate_to_width(s.name, kLegendPx, std::max(60.0, (right - left) / 2));
    double item_px = kSwatchPx + 6 + svg::text_width_px(name, kLegendPx);
    if (x > left && x + item_px > right) x = left, y += kRowPx;
    canvas.line(x, y, x + kSwatchPx, y, s.colour, 3);
    canvas.text(x + kSwatchPx + 6, y, name, {.size_px = kLegendPx});
    x += item_px + kGapPx;
  }
  return y + kRowPx / 2 - top;
}

}  // namespace

std::string render_svg(const LineChart& chart) {
  const double width = std::clamp<double>(chart.width, 240, 20000);
  const double height = std::clamp<double>(chart.height, 180, 20000);

  std::vector<DrawnSeries> series;
  svg::ValueRange x_range, y_range;
  for (size_t i = 0; i < chart.series.size(); ++i) {
    const LineSeries& in = chart.series[i];
    DrawnSeries& out = series.emplace_back();
    out.name = in.name.empty() ? "series " + std::to_string(i + 1) : in.name;
    out.colour = svg::series_colour(i);
    for (size_t k = 0; k < std::min(in.x.size(), in.y.size()); ++k) {
      if (!std::isfinite(in.x[k]) || !std::isfinite(in.y[k])) continue;
      out.points.emplace_back(in.x[k], in.y[k]);
      x_range.add(in.x[k]);
      y_range.add(in.y[k]);
    }
  }
  const bool has_data = !x_range.empty();
  const bool has_marker = chart.marker_x.has_value() && std::isfinite(*chart.marker_x);
  if (has_marker) x_range.add(*chart.marker_x);
  if (x_range.empty()) x_range = {0, 1};
  if (y_range.empty()) y_range = {0, 1};

  svg::SvgCanvas canvas(width, height, chart.title);

  // Vertical layout, top to bottom: title, legend, plot, tick labels, x label.
  double top = kPad;
  if (!chart.title.empty()) {
    canvas.text(width / 2, top + kTitlePx / 2,
                svg::truncate_to_width(chart.title, kTitlePx * 1.1, width - 2 * kPad),
                {.size_px = kTitlePx, .anchor = "middle", .bold = true});
    top += kTitlePx + 12;
  }
  if (series.size() >= 2) top += draw_legend(canvas, series, kPad + 8, width - kPad, top) + 6;
  const double plot_top = top + 8;
  const double plot_bottom = height - kPad - (chart.x_label.empty() ? 0 : kAxisLabelPx + 10) - 22;

  // Horizontal layout: y label, y tick labels (as wide as the widest), plot.
  std::vector<double> y_ticks =
      nice_ticks(y_range.lo, y_range.hi, std::clamp(static_cast<int>((plot_bottom - plot_top) / 55), 3, 8));
  std::vector<std::string> y_labels = format_ticks(y_ticks);
  double y_labels_px = 0;
  for (const std::string& label : y_labels) y_labels_px = std::max(y_labels_px, svg::text_width_px(label, kTickPx));
  const double plot_left = kPad + (chart.y_label.empty() ? 0 : kAxisLabelPx + 10) + y_labels_px + 8;
  double plot_right = width - kPad - 16;
  std::vector<double> x_ticks =
      nice_ticks(x_range.lo, x_range.hi, std::clamp(static_cast<int>((plot_right - plot_left) / 90), 3, 10));
  std::vector<std::string> x_labels = format_ticks(x_ticks);
  plot_right = width - kPad - std::max(4.0, svg::text_width_px(x_labels.back(), kTickPx) / 2);

  const svg::LinearScale x_scale{x_ticks.front(), x_ticks.back(), plot_left, plot_right};
  const svg::LinearScale y_scale{y_ticks.front(), y_ticks.back(), plot_bottom, plot_top};

  // Grid and ticks, then the axes over them.
  const TextStyle tick_style{.size_px = kTickPx, .anchor = "middle", .fill = svg::kMutedInkColour};
  for (size_t i = 0; i < x_ticks.size(); ++i) {
    double x = x_scale(x_ticks[i]);
    canvas.line(x, plot_top, x, plot_bottom, svg::kGridColour, 1);
    canvas.line(x, plot_bottom, x, plot_bottom + 4, svg::kAxisColour, 1);
    canvas.text(x, plot_bottom + 6 + kTickPx / 2 + 2, x_labels[i], tick_style);
  }
  TextStyle y_tick_style = tick_style;
  y_tick_style.anchor = "end";
  for (size_t i = 0; i < y_ticks.size(); ++i) {
    double y = y_scale(y_ticks[i]);
    canvas.line(plot_left, y, plot_right, y, svg::kGridColour, 1);
    canvas.line(plot_left - 4, y, plot_left, y, svg::kAxisColour, 1);
    canvas.text(plot_left - 7, y, y_labels[i], y_tick_style);
  }
  canvas.line(plot_left, plot_bottom, plot_right, plot_bottom, svg::kAxisColour, 1);
  canvas.line(plot_left, plot_top, plot_left, plot_bottom, svg::kAxisColour, 1);
  if (!chart.x_label.empty()) {
    canvas.text((plot_left + plot_right) / 2, height - kPad - kAxisLabelPx / 2,
                svg::truncate_to_width(chart.x_label, kAxisLabelPx, plot_right - plot_left),
                {.size_px = kAxisLabelPx, .anchor = "middle"});
  }
  if (!chart.y_label.empty()) {
    canvas.text(kPad + kAxisLabelPx / 2, (plot_top + plot_bottom) / 2,
                svg::truncate_to_width(chart.y_label, kAxisLabelPx, plot_bottom - plot_top),
                {.size_px = kAxisLabelPx, .anchor = "middle", .rotate_deg = -90});
  }

  // The series, clipped to the plot (with room for line width at the edges).
  canvas.begin_clip(plot_left - 4, plot_top - 4, plot_right - plot_left + 8, plot_bottom - plot_top + 8);
  for (const DrawnSeries& s : series) {
    std::vector<std::pair<double, double>> pixels;
    for (auto [x, y] : s.points) pixels.emplace_back(x_scale(x), y_scale(y));
    if (pixels.size() == 1) {
      canvas.circle(pixels[0].first, pixels[0].second, 4, s.colour, s.name);
    } else if (pixels.size() > 1) {
      canvas.polyline(pixels, s.colour, 2, s.name);
    }
  }
  canvas.end_clip();
  if (!has_data) {
    canvas.text((plot_left + plot_right) / 2, (plot_top + plot_bottom) / 2, "no data",
                {.size_px = kAxisLabelPx, .anchor = "middle", .fill = svg::kMutedInkColour, .halo = true});
  }

  if (has_marker) {
    double x = x_scale(*chart.marker_x);
    canvas.line(x, plot_top, x, plot_bottom, svg::kInkColour, 1.5, "6 4");
    if (!chart.marker_label.empty()) {
      std::string label = svg::truncate_to_width(chart.marker_label, kLegendPx, (plot_right - plot_left) * 0.6);
      bool fits_right = x + 6 + svg::text_width_px(label, kLegendPx) <= plot_right;
      canvas.text(fits_right ? x + 6 : x - 6, plot_top + 10, label,
                  {.size_px = kLegendPx, .anchor = fits_right ? "start" : "end", .halo = true});
    }
  }
  return std::move(canvas).finish();
}

}  // namespace credo::report
