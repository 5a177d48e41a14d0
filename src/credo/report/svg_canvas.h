// What the line and bar charts share: writing SVG elements with escaped text and finite
// coordinates, guessing how wide a label will be (there is no font engine at hand), cutting long
// labels with an ellipsis, a colour-blind-safe palette and linear scales. Internal to report/.
#pragma once

#include <algorithm>
#include <limits>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace credo::report::svg {

// Okabe-Ito colours, in the order series take them (yellow last: it is faint on white).
const char* series_colour(size_t index);
inline constexpr const char* kBarColour = "#0072B2";        // blue
inline constexpr const char* kAccentColour = "#E69F00";     // orange: the highlighted bar
inline constexpr const char* kPositiveColour = "#D55E00";   // vermillion: pushes the score up
inline constexpr const char* kNegativeColour = "#0072B2";   // blue: pushes the score down
inline constexpr const char* kInkColour = "#222222";        // titles, labels, whiskers
inline constexpr const char* kMutedInkColour = "#555555";   // tick labels
inline constexpr const char* kAxisColour = "#444444";
inline constexpr const char* kGridColour = "#E5E5E5";
// Sizes in pixels: the margin around a chart and the type sizes both charts use.
inline constexpr double kPad = 12, kTitlePx = 16, kAxisLabelPx = 13, kTickPx = 11;

// Text as XML character data or attribute value: & < > " ' escaped, invalid UTF-8 replaced by
// U+FFFD, control characters (not allowed in XML 1.0) replaced by spaces.
std::string escape_xml(std::string_view text);

// An estimate of the rendered width of UTF-8 text in a common sans-serif font, erring wide so
// that what is laid out with it does not overlap.
double text_width_px(std::string_view text, double font_size_px);

// The text itself if it fits in max_width_px, else its longest prefix (whole code points) that
// fits with an ellipsis appended.
std::string truncate_to_width(std::string_view text, double font_size_px, double max_width_px);

// A coordinate as an attribute value: at most two decimals, trailing zeros dropped, never
// "nan" or "inf" (a non-finite coordinate, a bug upstream, is written as 0).
std::string format_coord(double value);

// printf of one double with a caller's format such as "%.4g"; a format that is not exactly
// one floating-point conversion falls back to "%.4g". Non-finite values read "n/a".
std::string format_value(const std::string& format, double value);

// Maps a value in [domain_lo, domain_hi] to a pixel in [pixel_lo, pixel_hi] (domain_lo < domain_hi).
struct LinearScale {
  double domain_lo, domain_hi, pixel_lo, pixel_hi;
  double operator()(double value) const {
    return pixel_lo + (value - domain_lo) / (domain_hi - domain_lo) * (pixel_hi - pixel_lo);
  }
};

// The smallest interval holding the values added to it (empty until the first).
struct ValueRange {
  double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
  void add(double value) { lo = std::min(lo, value), hi = std::max(hi, value); }
  bool empty() const { return lo > hi; }
};

struct TextStyle {
  double size_px = 12;
  const char* anchor = "start";  // "start", "middle" or "end"
  const char* fill = kInkColour;
  bool bold = false;
  double rotate_deg = 0;         // about the anchor point
  bool halo = false;             // a white outline so the text reads over lines
};

// An SVG document being written top to bottom; later elements paint over earlier ones.
class SvgCanvas {
 public:
  // Opens the document: size, viewBox (so it scales), font, an accessible title, a white background.
  SvgCanvas(double width_px, double height_px, std::string_view title);

  // Text whose vertical centre is at y.
  void text(double x, double y, std::string_view content, const TextStyle& style);
  void line(double x1, double y1, double x2, double y2, const char* stroke, double stroke_width,
            const char* dash_array = nullptr);
  // A data bar (class="bar"), with a tooltip; stroke may be null.
  void bar(double x, double y, double width, double height, const char* fill, const char* stroke,
           std::string_view tooltip);
  // A legend's colour square (class="swatch").
  void swatch(double x, double y, double size, const char* fill);
  void polyline(const std::vector<std::pair<double, double>>& points, const char* stroke,
                double stroke_width, std::string_view tooltip);
  void circle(double cx, double cy, double radius, const char* fill, std::string_view tooltip);
  // Clips what follows to a rectangle until end_clip().
  void begin_clip(double x, double y, double width, double height);
  void end_clip();

  // Closes the document and returns it.
  std::string finish() &&;

 private:
  std::string out_;
  int clip_count_ = 0;
};

}  // namespace credo::report::svg
