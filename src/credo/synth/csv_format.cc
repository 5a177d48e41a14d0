#include "credo/synth/csv_format.h"

#include <charconv>
#include <cmath>

namespace credo::synth {

void append_int(std::string& out, int64_t value) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof buf, value);
  out.append(buf, res.ptr);
}

namespace {
constexpr int64_t kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000};

// Python switches to exponent notation below 1e-4 and from 1e16 on.
void append_shortest(std::string& out, double value) {
  char buf[40];
  double mag = std::fabs(value);
  if (value == 0) {
    out.append("0.0");
    return;
  }
  if (mag >= 1e-4 && mag < 1e16) {
    auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed);
    std::string_view s(buf, static_cast<size_t>(res.ptr - buf));
    out.append(s);
    if (s.find('.') == std::string_view::npos) out.append(".0");
    return;
  }
  auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::scientific);
  out.append(buf, res.ptr);
}
}  // namespace

void append_float(std::string& out, double value, int decimals) {
  if (std::isnan(value)) return;
  if (decimals < 0 || decimals > 8 || std::fabs(value) >= 1e15) {
    append_shortest(out, value);
    return;
  }
  // Fixed-point path: exact for values rounded to `decimals`, and ~10x faster than the
  // shortest-representation search (this is the hot loop of the generator).
  int64_t scaled = std::llround(value * static_cast<double>(kPow10[decimals]));
  if (scaled == 0) {
    out.append("0.0");
    return;
  }
  if (std::fabs(value) < 1e-4) {  // Python writes these in exponent form
    append_shortest(out, static_cast<double>(scaled) / static_cast<double>(kPow10[decimals]));
    return;
  }
  if (scaled < 0) {
    out.push_back('-');
    scaled = -scaled;
  }
  int64_t whole = scaled / kPow10[decimals];
  int64_t frac = scaled % kPow10[decimals];
  append_int(out, whole);
  out.push_back('.');
  if (frac == 0) {
    out.push_back('0');
    return;
  }
  int digits = decimals;
  while (frac % 10 == 0) {
    frac /= 10;
    --digits;
  }
  char buf[16];
  for (int i = digits - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  out.append(buf, static_cast<size_t>(digits));
}

std::string csv_field(std::string_view text) {
  if (text.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(text);
  std::string quoted = "\"";
  for (char c : text) {
    if (c == '"') quoted.push_back('"');
    quoted.push_back(c);
  }
  quoted.push_back('"');
  return quoted;
}

}  // namespace credo::synth
