// SVG writing helpers and axis ticks shared by the line and bar charts.
#include "credo/report/svg_canvas.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <initializer_list>

#include "credo/report/svg_chart.h"

namespace credo::report {
namespace svg {
namespace {

constexpr const char* kSeriesColours[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                          "#E69F00", "#56B4E9", "#000000", "#F0E442"};

// Advance widths (in em) of printable ASCII in DejaVu Sans, the widest of the usual fallback
// sans-serif fonts, so that an estimate made with them is rarely too narrow.
constexpr float kAsciiWidthEm[95] = {
    0.318f, 0.400f, 0.460f, 0.838f, 0.636f, 0.950f, 0.780f, 0.275f,  //  !"#$%&'
    0.390f, 0.390f, 0.500f, 0.838f, 0.318f, 0.361f, 0.318f, 0.337f,  // ()*+,-./
    0.636f, 0.636f, 0.636f, 0.636f, 0.636f, 0.636f, 0.636f, 0.636f,  // 01234567
    0.636f, 0.636f, 0.337f, 0.337f, 0.838f, 0.838f, 0.838f, 0.531f,  // 89:;<=>?
    1.000f, 0.684f, 0.686f, 0.698f, 0.770f, 0.632f, 0.575f, 0.775f,  // @ABCDEFG
    0.752f, 0.295f, 0.295f, 0.656f, 0.557f, 0.863f, 0.748f, 0.787f,  // HIJKLMNO
    0.603f, 0.787f, 0.695f, 0.635f, 0.611f, 0.732f, 0.684f, 0.989f,  // PQRSTUVW
    0.685f, 0.611f, 0.685f, 0.390f, 0.337f, 0.390f, 0.838f, 0.500f,  // XYZ[\]^_
    0.500f, 0.613f, 0.635f, 0.550f, 0.635f, 0.615f, 0.352f, 0.635f,  // `abcdefg
    0.634f, 0.278f, 0.278f, 0.579f, 0.278f, 0.974f, 0.634f, 0.612f,  // hijklmno
    0.635f, 0.635f, 0.411f, 0.521f, 0.392f, 0.634f, 0.592f, 0.818f,  // pqrstuvw
    0.592f, 0.592f, 0.525f, 0.636f, 0.337f, 0.636f, 0.838f,          // xyz{|}~
};
constexpr double kOtherWidthEm = 0.7;       // any other code point
constexpr const char* kEllipsis = "\u2026";  // "..." as one character, 1 em wide

// The length of the valid UTF-8 sequence at s[i] and its code point, or 0 if it is invalid
// (truncated, overlong, a surrogate or beyond U+10FFFF).
size_t decode_utf8(std::string_view s, size_t i, uint32_t* code_point) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return *code_point = lead, 1;
  size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || lead > 0xF4 || i + length > s.size()) return 0;
  uint32_t cp = lead & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMinimum[length] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  *code_point = cp;
  return length;
}

double code_point_width_em(uint32_t cp) {
  return cp >= 32 && cp < 127 ? kAsciiWidthEm[cp - 32] : kOtherWidthEm;
}

}  // namespace

const char* series_colour(size_t index) {
  return kSeriesColours[index % (sizeof kSeriesColours / sizeof kSeriesColours[0])];
}

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 16);
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    size_t length = decode_utf8(text, i, &cp);
    if (length == 0) {
      out += "\uFFFD";
      ++i;
      continue;
    }
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default:
        if (cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF) {
          out += ' ';
        } else {
          out.append(text.substr(i, length));
        }
    }
    i += length;
  }
  return out;
}

double text_width_px(std::string_view text, double font_size_px) {
  double width_em = 0;
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    size_t length = decode_utf8(text, i, &cp);
    width_em += length == 0 ? kOtherWidthEm : code_point_width_em(cp);
    i += std::max<size_t>(length, 1);
  }
  return width_em * font_size_px;
}

std::string truncate_to_width(std::string_view text, double font_size_px, double max_width_px) {
  if (text_width_px(text, font_size_px) <= max_width_px) return std::string(text);
  double budget_em = max_width_px / font_size_px - 1.0;  // what is left beside the ellipsis
  double used_em = 0;
  size_t end = 0;
  while (end < text.size()) {
    uint32_t cp = 0;
    size_t length = decode_utf8(text, end, &cp);
    double width_em = length == 0 ? kOtherWidthEm : code_point_width_em(cp);
    if (used_em + width_em > budget_em) break;
    used_em += width_em;
    end += std::max<size_t>(length, 1);
  }
  while (end > 0 && text[end - 1] == ' ') --end;
  return std::string(text.substr(0, end)) + kEllipsis;
}

std::string format_coord(double value) {
  if (!std::isfinite(value)) value = 0;
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  std::string text = buffer;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

std::string format_value(const std::string& format, double value) {
  if (!std::isfinite(value)) return "n/a";
  // Exactly one conversion of a double, so a caller's format cannot read what is not there.
  int conversions = 0;
  bool valid = true;
  for (size_t i = 0; i < format.size() && valid; ++i) {
    if (format[i] != '%') continue;
    if (i + 1 < format.size() && format[i + 1] == '%') {
      ++i;
      continue;
    }
    size_t k = i + 1;
    while (k < format.size() && std::string_view("-+ #0").find(format[k]) != std::string_view::npos) ++k;
    while (k < format.size() && std::isdigit(static_cast<unsigned char>(format[k]))) ++k;
    if (k < format.size() && format[k] == '.') {
      ++k;
      while (k < format.size() && std::isdigit(static_cast<unsigned char>(format[k]))) ++k;
    }
    if (k < format.size() && format[k] == 'l') ++k;
    valid = k < format.size() && std::string_view("eEfFgGaA").find(format[k]) != std::string_view::npos;
    ++conversions;
    i = k;
  }
  const char* checked = valid && conversions == 1 ? format.c_str() : "%.4g";
  char buffer[128];
  std::snprintf(buffer, sizeof buffer, checked, value);
  return buffer;
}

SvgCanvas::SvgCanvas(double width_px, double height_px, std::string_view title) {
  std::string w = format_coord(width_px), h = format_coord(height_px);
  out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out_ += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + w + "\" height=\"" + h +
          "\" viewBox=\"0 0 " + w + " " + h +
          "\" font-family=\"Helvetica, Arial, 'DejaVu Sans', sans-serif\" role=\"img\">\n";
  if (!title.empty()) out_ += "<title>" + escape_xml(title) + "</title>\n";
  out_ += "<rect class=\"background\" x=\"0\" y=\"0\" width=\"" + w + "\" height=\"" + h +
          "\" fill=\"#ffffff\"/>\n";
}

void SvgCanvas::text(double x, double y, std::string_view content, const TextStyle& style) {
  // The baseline sits about a third of the font size below the centre line.
  double baseline = y + 0.35 * style.size_px;
  out_ += "<text x=\"" + format_coord(x) + "\" y=\"" + format_coord(baseline) + "\" font-size=\"" +
          format_coord(style.size_px) + "\" text-anchor=\"" + style.anchor + "\" fill=\"" +
          style.fill + "\"";
  if (style.bold) out_ += " font-weight=\"bold\"";
  if (style.rotate_deg != 0) {
    out_ += " transform=\"rotate(" + format_coord(style.rotate_deg) + " " + format_coord(x) + " " +
            format_coord(y) + ")\"";
  }
  if (style.halo) out_ += " stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"";
  out_ += ">" + escape_xml(content) + "</text>\n";
}

void SvgCanvas::line(double x1, double y1, double x2, double y2, const char* stroke,
                     double stroke_width, const char* dash_array) {
  out_ += "<line x1=\"" + format_coord(x1) + "\" y1=\"" + format_coord(y1) + "\" x2=\"" +
          format_coord(x2) + "\" y2=\"" + format_coord(y2) + "\" stroke=\"" + stroke +
          "\" stroke-width=\"" + format_coord(stroke_width) + "\"";
  if (dash_array != nullptr) out_ += std::string(" stroke-dasharray=\"") + dash_array + "\"";
  out_ += "/>\n";
}

void SvgCanvas::bar(double x, double y, double width, double height, const char* fill,
                    const char* stroke, std::string_view tooltip) {
  out_ += "<rect class=\"bar\" x=\"" + format_coord(x) + "\" y=\"" + format_coord(y) +
          "\" width=\"" + format_coord(std::max(width, 0.0)) + "\" height=\"" +
          format_coord(std::max(height, 0.0)) + "\" fill=\"" + fill + "\"";
  if (stroke != nullptr) out_ += std::string(" stroke=\"") + stroke + "\" stroke-width=\"1.5\"";
  out_ += "><title>" + escape_xml(tooltip) + "</title></rect>\n";
}

void SvgCanvas::swatch(double x, double y, double size, const char* fill) {
  out_ += "<rect class=\"swatch\" x=\"" + format_coord(x) + "\" y=\"" + format_coord(y) +
          "\" width=\"" + format_coord(size) + "\" height=\"" + format_coord(size) + "\" fill=\"" +
          fill + "\"/>\n";
}

void SvgCanvas::polyline(const std::vector<std::pair<double, double>>& points, const char* stroke,
                         double stroke_width, std::string_view tooltip) {
  out_ += "<polyline fill=\"none\" stroke=\"" + std::string(stroke) + "\" stroke-width=\"" +
          format_coord(stroke_width) + "\" stroke-linejoin=\"round\" stroke-linecap=\"round\" points=\"";
  for (size_t i = 0; i < points.size(); ++i) {
    if (i > 0) out_ += ' ';
    out_ += format_coord(points[i].first) + "," + format_coord(points[i].second);
  }
  out_ += "\"><title>" + escape_xml(tooltip) + "</title></polyline>\n";
}

void SvgCanvas::circle(double cx, double cy, double radius, const char* fill, std::string_view tooltip) {
  out_ += "<circle cx=\"" + format_coord(cx) + "\" cy=\"" + format_coord(cy) + "\" r=\"" +
          format_coord(radius) + "\" fill=\"" + fill + "\"><title>" + escape_xml(tooltip) +
          "</title></circle>\n";
}

void SvgCanvas::begin_clip(double x, double y, double width, double height) {
  std::string id = "plot-area-" + std::to_string(++clip_count_);
  out_ += "<clipPath id=\"" + id + "\"><rect x=\"" + format_coord(x) + "\" y=\"" + format_coord(y) +
          "\" width=\"" + format_coord(width) + "\" height=\"" + format_coord(height) +
          "\"/></clipPath>\n<g clip-path=\"url(#" + id + ")\">\n";
}

void SvgCanvas::end_clip() { out_ += "</g>\n"; }

std::string SvgCanvas::finish() && {
  out_ += "</svg>\n";
  return std::move(out_);
}

}  // namespace svg

std::vector<double> nice_ticks(double lo, double hi, int target_count) {
  if (!std::isfinite(lo) || !std::isfinite(hi)) return {0, 1};
  if (lo > hi) std::swap(lo, hi);
  // Bounds so that hi - lo and the steps below stay finite.
  constexpr double kLargest = 1e300, kSmallestRange = 1e-290;
  lo = std::clamp(lo, -kLargest, kLargest);
  hi = std::clamp(hi, -kLargest, kLargest);
  int target = std::clamp(target_count, 2, 50);
  double magnitude = std::max(std::fabs(lo), std::fabs(hi));
  if (hi - lo <= magnitude * 1e-12 || hi - lo < kSmallestRange) {  // one value, up to rounding
    double centre = lo / 2 + hi / 2;
    double half = std::fabs(centre) < kSmallestRange ? 1.0 : std::fabs(centre) * 0.1;
    lo = centre - half;
    hi = centre + half;
  }
  // Of the steps 1, 2, 5 x 10^e near range / (target - 1), the one giving the count nearest the
  // target; a tie goes to the smaller step (more ticks and a tighter span, less empty plot). A
  // relative slack keeps 1.0 / 0.2 from rounding up to 6.
  constexpr double kSlack = 1e-9;
  int exponent = static_cast<int>(std::floor(std::log10((hi - lo) / (target - 1))));
  double best_first = 0, best_count = 0, best_score = INFINITY;
  int best_mantissa = 1, best_exponent = 0;
  for (int e = exponent - 1; e <= exponent + 1; ++e) {
    for (int mantissa : {1, 2, 5}) {
      double step = mantissa * std::pow(10.0, e);
      double first = std::floor(lo / step + kSlack);
      double last = std::max(std::ceil(hi / step - kSlack), first + 1);
      double count = last - first + 1;
      double score = std::fabs(count - target);
      if (score < best_score) {
        best_score = score;
        best_first = first;
        best_count = count;
        best_mantissa = mantissa;
        best_exponent = e;
      }
    }
  }
  // index * mantissa / 10^k is the double nearest the decimal (0.3, not 0.30000000000000004).
  double power = std::pow(10.0, std::abs(best_exponent));
  std::vector<double> ticks;
  for (int i = 0; i < static_cast<int>(best_count); ++i) {
    double units = (best_first + i) * best_mantissa;
    double tick = best_exponent >= 0 ? units * power : units / power;
    ticks.push_back(tick + 0.0);  // + 0.0 turns -0 into 0
  }
  return ticks;
}

std::vector<std::string> format_ticks(const std::vector<double>& ticks) {
  double step = ticks.size() >= 2 ? std::fabs(ticks[1] - ticks[0]) : 0;
  double largest = 0;
  for (double tick : ticks) {
    if (std::isfinite(tick)) largest = std::max(largest, std::fabs(tick));
  }
  if (!(step > 0) || !std::isfinite(step)) step = largest > 0 ? largest : 1;
  int step_exponent = static_cast<int>(std::floor(std::log10(step) + 1e-9));
  bool plain = largest < 1e6 && step >= 1e-4;
  std::vector<std::string> labels;
  char buffer[64];
  for (double tick : ticks) {
    if (!std::isfinite(tick)) {
      labels.push_back("n/a");
    } else if (plain) {
      std::snprintf(buffer, sizeof buffer, "%.*f", std::max(0, -step_exponent), tick + 0.0);
      labels.push_back(buffer);
    } else if (std::fabs(tick) < step * 1e-9) {
      labels.push_back("0");
    } else {
      // Mantissa digits down to the step, then "1.50e+06" -> "1.5e6".
      int exponent = static_cast<int>(std::floor(std::log10(std::fabs(tick)) + 1e-9));
      std::snprintf(buffer, sizeof buffer, "%.*e", std::clamp(exponent - step_exponent, 0, 16), tick);
      std::string text = buffer;
      size_t e = text.find('e');
      std::string mantissa = text.substr(0, e), power = text.substr(e + 1);
      if (mantissa.find('.') != std::string::npos) {
        while (mantissa.back() == '0') mantissa.pop_back();
        if (mantissa.back() == '.') mantissa.pop_back();
      }
      bool negative = power[0] == '-';
      power.erase(0, power[0] == '-' || power[0] == '+' ? 1 : 0);
      power.erase(0, std::min(power.find_first_not_of('0'), power.size() - 1));
      labels.push_back(mantissa + "e" + (negative ? "-" : "") + power);
    }
  }
  return labels;
}

}  // namespace credo::report
