// Horizontal bar charts (leaderboards, feature importance, SHAP contributions): one row per bar,
// labels right-aligned in a column as wide as the longest (capped, with an ellipsis), bars growing
// left or right from a zero line, values written at the bar ends, optional +/- whiskers.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "credo/report/svg_canvas.h"
#include "credo/report/svg_chart.h"

namespace credo::report {
namespace {

using svg::kPad, svg::kTitlePx, svg::kAxisLabelPx, svg::kTickPx;
constexpr double kLabelPx = 12, kValuePx = 11;
constexpr double kRowPx = 24, kBarPx = 15;
constexpr double kBoldWidening = 1.1;  // bold text is about this much wider

struct Row {
  std::string label;       // truncated to the label column
  std::string value_text;  // "0.1234" or "0.1234 ± 0.002", "n/a" if not finite
  double value = 0, error = 0;
  bool finite = false, highlight = false;
  bool grows_left() const { return finite && value < 0; }
};

}  // namespace

std::string render_svg(const BarChart& chart) {
  const double width = std::clamp<double>(chart.width, 240, 20000);
  bool by_sign = !chart.positive_label.empty() || !chart.negative_label.empty();

  // Values, their texts and the range they need (always including zero, where bars start).
  std::vector<Row> rows;
  svg::ValueRange range;
  range.add(0);
  double right_text_px = 0, left_text_px = 0;
  for (const Bar& bar : chart.bars) {
    Row& row = rows.emplace_back();
    row.finite = std::isfinite(bar.value);
    row.value = row.finite ? bar.value : 0;
    row.highlight = bar.highlight;
    if (row.finite && bar.error && std::isfinite(*bar.error)) row.error = std::fabs(*bar.error);
    row.value_text = svg::format_value(chart.value_format, bar.value);
    if (row.error > 0) row.value_text += " \u00B1 " + svg::format_value(chart.value_format, row.error);
    if (row.finite) {
      range.add(row.value);
      for (double whisker_end : {row.value - row.error, row.value + row.error}) {
        if (std::isfinite(whisker_end)) range.add(whisker_end);  // not beyond the largest double
      }
      by_sign |= row.value < 0;
    }
    double& side_px = row.grows_left() ? left_text_px : right_text_px;
    side_px = std::max(side_px, svg::text_width_px(row.value_text, kValuePx));
  }
  if (range.lo == range.hi) range.hi = 1;  // all zero

  // Label column: as wide as the longest label, within a cap that leaves the bars some room.
  const double label_cap_px = std::max(
      40.0, std::min(0.45 * width, width - 2 * kPad - left_text_px - right_text_px - 160));
  double label_column_px = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    double font_px = kLabelPx * (rows[i].highlight ? kBoldWidening : 1.0);
    rows[i].label = svg::truncate_to_width(chart.bars[i].label, font_px, label_cap_px);
    label_column_px = std::max(label_column_px, svg::text_width_px(rows[i].label, font_px));
  }
  const double plot_left = kPad + label_column_px + 10 + (left_text_px > 0 ? left_text_px + 6 : 0);
  double plot_right = width - kPad - (right_text_px > 0 ? right_text_px + 6 : 0);
  std::vector<double> ticks =
      nice_ticks(range.lo, range.hi, std::clamp(static_cast<int>((plot_right - plot_left) / 60), 4, 10));
  std::vector<std::string> tick_labels = format_ticks(ticks);
  // The last tick label is centred on the plot's right edge: keep it inside the document.
  plot_right = std::min(plot_right, width - kPad - svg::text_width_px(tick_labels.back(), kTickPx) / 2 + 6);
  const svg::LinearScale unclamped_scale{ticks.front(), ticks.back(), plot_left, plot_right};
  // Only values beyond +/-1e300 fall outside the ticks; their bars stop at the axis end.
  auto scale = [&](double value) { return unclamped_scale(std::clamp(value, ticks.front(), ticks.back())); };

  // Vertical layout: title, legend, rows, tick labels, value label; the height follows the rows.
  double top = kPad;
  if (!chart.title.empty()) top += kTitlePx + 12;
  const bool has_legend = by_sign && (!chart.positive_label.empty() || !chart.negative_label.empty());
  const double legend_y = top + 8;
  if (has_legend) top += 22;
  const double plot_top = top + 4;
  const double plot_bottom = plot_top + std::max<size_t>(rows.size(), 1) * kRowPx + 4;
  const double tick_label_y = plot_bottom + 6 + kTickPx / 2 + 2;
  const double height = tick_label_y + kTickPx / 2 + (chart.value_label.empty() ? 0 : kAxisLabelPx + 12) + kPad;

  svg::SvgCanvas canvas(width, height, chart.title);
  if (!chart.title.empty()) {
    canvas.text(width / 2, kPad + kTitlePx / 2,
                svg::truncate_to_width(chart.title, kTitlePx * kBoldWidening, width - 2 * kPad),
                {.size_px = kTitlePx, .anchor = "middle", .bold = true});
  }
  if (has_legend) {
    double x = kPad + 4;
    for (auto [text, colour] : {std::pair{&chart.positive_label, svg::kPositiveColour},
                                std::pair{&chart.negative_label, svg::kNegativeColour}}) {
      if (text->empty()) continue;
      std::string name = svg::truncate_to_width(*text, kLabelPx, width / 2 - 40);
      canvas.swatch(x, legend_y - 6, 12, colour);
      canvas.text(x + 18, legend_y, name, {.size_px = kLabelPx});
      x += 18 + svg::text_width_px(name, kLabelPx) + 24;
    }
  }

  // Grid lines and the value axis below the rows.
  const svg::TextStyle tick_style{.size_px = kTickPx, .anchor = "middle", .fill = svg::kMutedInkColour};
  for (size_t i = 0; i < ticks.size(); ++i) {
    double x = scale(ticks[i]);
    canvas.line(x, plot_top, x, plot_bottom, svg::kGridColour, 1);
    canvas.line(x, plot_bottom, x, plot_bottom + 4, svg::kAxisColour, 1);
    canvas.text(x, tick_label_y, tick_labels[i], tick_style);
  }
  canvas.line(plot_left, plot_bottom, plot_right, plot_bottom, svg::kAxisColour, 1);
  if (!chart.value_label.empty()) {
    canvas.text((plot_left + plot_right) / 2, height - kPad - kAxisLabelPx / 2,
                svg::truncate_to_width(chart.value_label, kAxisLabelPx, plot_right - plot_left),
                {.size_px = kAxisLabelPx, .anchor = "middle"});
  }

  const double zero_x = scale(0);
  for (size_t i = 0; i < rows.size(); ++i) {
    const Row& row = rows[i];
    const double centre_y = plot_top + 2 + (i + 0.5) * kRowPx;
    canvas.text(kPad + label_column_px, centre_y, row.label,
                {.size_px = kLabelPx, .anchor = "end", .bold = row.highlight});
    if (!row.finite) {
      canvas.text(zero_x + 4, centre_y, row.value_text,
                  {.size_px = kValuePx, .fill = svg::kMutedInkColour});
      continue;
    }
    const double end_x = scale(row.value);
    const char* fill = by_sign ? (row.value < 0 ? svg::kNegativeColour : svg::kPositiveColour)
                               : (row.highlight ? svg::kAccentColour : svg::kBarColour);
    const char* stroke = by_sign && row.highlight ? svg::kInkColour : nullptr;
    canvas.bar(std::min(zero_x, end_x), centre_y - kBarPx / 2, std::fabs(end_x - zero_x), kBarPx, fill,
               stroke, chart.bars[i].label + ": " + row.value_text);
    double text_anchor_x = end_x;
    if (row.error > 0) {
      double low_x = scale(row.value - row.error), high_x = scale(row.value + row.error);
      canvas.line(low_x, centre_y, high_x, centre_y, svg::kInkColour, 1.2);
      canvas.line(low_x, centre_y - 4, low_x, centre_y + 4, svg::kInkColour, 1.2);
      canvas.line(high_x, centre_y - 4, high_x, centre_y + 4, svg::kInkColour, 1.2);
      text_anchor_x = row.grows_left() ? std::min(end_x, low_x) : std::max(end_x, high_x);
    }
    canvas.text(row.grows_left() ? text_anchor_x - 4 : text_anchor_x + 4, centre_y, row.value_text,
                {.size_px = kValuePx, .anchor = row.grows_left() ? "end" : "start"});
  }
  if (rows.empty()) {
    canvas.text((plot_left + plot_right) / 2, plot_top + 2 + kRowPx / 2, "no data",
                {.size_px = kAxisLabelPx, .anchor = "middle", .fill = svg::kMutedInkColour, .halo = true});
  }
  // The zero line over the bars, so both directions read from it.
  canvas.line(zero_x, plot_top, zero_x, plot_bottom, svg::kAxisColour, 1.2);
  return std::move(canvas).finish();
}

}  // namespace credo::report
