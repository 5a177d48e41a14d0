// MLflow's text formats. The YAML rules follow PyYAML's emitter (analyze_scalar and
// choose_scalar_style) and SafeResolver, which is what MLflow's write_yaml calls.
#include "credo/store/mlflow_format.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <regex>

namespace credo::store {
namespace {

struct CodePoint {
  char32_t value = 0;
  bool valid = true;  // false: a byte that is not part of valid UTF-8 (value is the byte)
};

// Decodes UTF-8, keeping each invalid byte as a code point of its own marked invalid.
std::vector<CodePoint> decode_utf8(std::string_view text) {
  std::vector<CodePoint> out;
  out.reserve(text.size());
  size_t i = 0;
  while (i < text.size()) {
    auto byte = static_cast<unsigned char>(text[i]);
    size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
    char32_t value = length == 1 ? byte : length == 2 ? (byte & 0x1F) : length == 3 ? (byte & 0x0F) : (byte & 0x07);
    bool valid = length != 0 && i + length <= text.size();
    for (size_t k = 1; valid && k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0) == 0x80;
      value = (value << 6) | (next & 0x3F);
    }
    static constexpr char32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (valid) valid = value >= kMinimum[length] && value <= 0x10FFFF && !(value >= 0xD800 && value <= 0xDFFF);
    if (!valid) {
      out.push_back({byte, false});
      ++i;
    } else {
      out.push_back({value, true});
      i += length;
    }
  }
  return out;
}

bool is_break(char32_t c) { return c == '\n' || c == 0x85 || c == 0x2028 || c == 0x2029; }
// PyYAML's "\0 \t\r\n\x85\u2028\u2029": what may surround an indicator.
bool is_blank_or_break(char32_t c) { return c == 0 || c == ' ' || c == '\t' || c == '\r' || is_break(c); }

// Characters written as they are when allow_unicode is on (MLflow sets it). This is libyaml's
// IS_PRINTABLE, which MLflow's CSafeDumper uses: unlike pure-Python PyYAML it escapes characters
// beyond U+FFFF (emoji) as \UXXXXXXXX.
bool is_printable(CodePoint c) {
  if (!c.valid) return false;
  char32_t v = c.value;
  if (v == '\n' || (v >= 0x20 && v <= 0x7E)) return true;
  if (v == 0xFEFF) return false;
  return v == 0x85 || (v >= 0xA0 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD);
}

struct ScalarAnalysis {
  bool allow_block_plain = true;
  bool allow_single_quoted = true;
  bool line_breaks = false;
};

// PyYAML's Emitter.analyze_scalar for a non-empty scalar in block context.
ScalarAnalysis analyze(const std::vector<CodePoint>& text, std::string_view bytes) {
  bool block_indicators = bytes.rfind("---", 0) == 0 || bytes.rfind("...", 0) == 0;
  bool line_breaks = false, special = false;
  bool leading_space = false, leading_break = false, trailing_space = false, trailing_break = false;
  bool break_space = false, space_break = false;
  bool previous_space = false, previous_break = false;
  const size_t n = text.size();
  for (size_t i = 0; i < n; ++i) {
    char32_t ch = text[i].valid ? text[i].value : 0xFFFFFFFF;
    bool preceded_by_blank = i == 0 || is_blank_or_break(text[i - 1].valid ? text[i - 1].value : 1);
    bool followed_by_blank = i + 1 >= n || is_blank_or_break(text[i + 1].valid ? text[i + 1].value : 1);
    if (i == 0) {
      if (std::u32string_view(U"#,[]{}&*!|>'\"%@`").find(ch) != std::u32string_view::npos) block_indicators = true;
      if ((ch == '?' || ch == ':' || ch == '-') && followed_by_blank) block_indicators = true;
    } else {
      if (ch == ':' && followed_by_blank) block_indicators = true;
      if (ch == '#' && preceded_by_blank) block_indicators = true;
    }
    if (is_break(ch)) line_breaks = true;
    if (!is_printable(text[i])) special = true;
    if (ch == ' ') {
      leading_space |= i == 0;
      trailing_space |= i == n - 1;
      break_space |= previous_break;
      previous_space = true;
      previous_break = false;
    } else if (is_break(ch)) {
      leading_break |= i == 0;
      trailing_break |= i == n - 1;
      space_break |= previous_space;
      previous_space = false;
      previous_break = true;
    } else {
      previous_space = previous_break = false;
    }
  }
  ScalarAnalysis analysis;
  analysis.line_breaks = line_breaks;
  if (leading_space || leading_break || trailing_space || trailing_break || line_breaks || block_indicators)
    analysis.allow_block_plain = false;
  if (break_space || space_break || special) analysis.allow_block_plain = analysis.allow_single_quoted = false;
  return analysis;
}

// True when YAML 1.1 (PyYAML's SafeResolver) reads the plain text as something other than a
// string: a bool, int, float, null, timestamp, merge key or '='.
bool resolves_to_non_string(std::string_view text) {
  static const std::regex kImplicit(
      "yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF"
      "|[-+]?[0-9][0-9_]*\\.[0-9_]*([eE][-+][0-9]+)?"
      "|\\.[0-9][0-9_]*([eE][-+][0-9]+)?"
      "|[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*"
      "|[-+]?\\.(inf|Inf|INF)|\\.(nan|NaN|NAN)"
      "|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+"
      "|[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+"
      "|<<|~|null|Null|NULL|="
      "|[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]"
      "|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?([Tt]|[ \\t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9]"
      "(\\.[0-9]*)?([ \\t]*(Z|[-+][0-9][0-9]?(:[0-9][0-9])?))?");
  return std::regex_match(text.begin(), text.end(), kImplicit);
}

std::string single_quoted(std::string_view text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

void append_utf8(std::string& out, char32_t v) {
  if (v < 0x80) {
    out += static_cast<char>(v);
  } else if (v < 0x800) {
    out += static_cast<char>(0xC0 | (v >> 6));
    out += static_cast<char>(0x80 | (v & 0x3F));
  } else if (v < 0x10000) {
    out += static_cast<char>(0xE0 | (v >> 12));
    out += static_cast<char>(0x80 | ((v >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (v & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (v >> 18));
    out += static_cast<char>(0x80 | ((v >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((v >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (v & 0x3F));
  }
}

// PyYAML's write_double_quoted with allow_unicode, without line folding.
std::string double_quoted(const std::vector<CodePoint>& text) {
  std::string out = "\"";
  for (CodePoint c : text) {
    char32_t v = c.value;
    bool plain = c.valid && v != '"' && v != '\\' && v != 0x2028 && v != 0x2029 && v != 0xFEFF &&
                 ((v >= 0x20 && v <= 0x7E) || (v >= 0xA0 && v <= 0xD7FF) || (v >= 0xE000 && v <= 0xFFFD));
    if (plain) {
      append_utf8(out, v);
      continue;
    }
    const char* named = nullptr;
    if (c.valid) {
      switch (v) {
        case 0: named = "0"; break;
        case 0x07: named = "a"; break;
        case 0x08: named = "b"; break;
        case 0x09: named = "t"; break;
        case 0x0A: named = "n"; break;
        case 0x0B: named = "v"; break;
        case 0x0C: named = "f"; break;
        case 0x0D: named = "r"; break;
        case 0x1B: named = "e"; break;
        case '"': named = "\""; break;
        case '\\': named = "\\"; break;
        case 0x85: named = "N"; break;
        case 0xA0: named = "_"; break;
        case 0x2028: named = "L"; break;
        case 0x2029: named = "P"; break;
        default: break;
      }
    }
    char escape[16];
    if (named) {
      std::snprintf(escape, sizeof escape, "\\%s", named);
    } else if (v <= 0xFF) {
      std::snprintf(escape, sizeof escape, "\\x%02X", static_cast<unsigned>(v));
    } else if (v <= 0xFFFF) {
      std::snprintf(escape, sizeof escape, "\\u%04X", static_cast<unsigned>(v));
    } else {
      std::snprintf(escape, sizeof escape, "\\U%08X", static_cast<unsigned>(v));
    }
    out += escape;
  }
  return out + "\"";
}

}  // namespace

std::string yaml_scalar(std::string_view text) {
  if (text.empty()) return "''";  // plain '' would read as null
  std::vector<CodePoint> code_points = decode_utf8(text);
  ScalarAnalysis analysis = analyze(code_points, text);
  if (analysis.allow_block_plain && !resolves_to_non_string(text)) return std::string(text);
  // PyYAML would single-quote text with line breaks too, folding it over several lines; double
  // quotes with \n say the same on one line.
  if (analysis.allow_single_quoted && !analysis.line_breaks) return single_quoted(text);
  return double_quoted(code_points);
}

std::string yaml_string_list(const std::vector<std::string>& items) {
  if (items.empty()) return "[]";
  std::string out;
  for (const std::string& item : items) out += "\n- " + yaml_scalar(item);
  return out;
}

std::string yaml_string_map(const std::map<std::string, std::string>& entries) {
  if (entries.empty()) return "{}";
  std::string out;
  for (const auto& [key, value] : entries) out += "\n  " + yaml_scalar(key) + ": " + yaml_scalar(value);
  return out;
}

std::string yaml_document(std::vector<YamlField> fields) {
  std::sort(fields.begin(), fields.end(), [](const YamlField& a, const YamlField& b) { return a.key < b.key; });
  std::string out;
  for (const YamlField& field : fields) {
    out += field.key + ":";
    if (field.value.empty() || field.value.front() != '\n') out += ' ';
    out += field.value + "\n";
  }
  return out;
}

std::string python_float_repr(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value < 0 ? "-inf" : "inf";
  // The shortest round-trip digits, laid out as Python's float_repr_style 'short' does:
  // positional when the decimal exponent is in [-4, 16), scientific otherwise.
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, std::fabs(value), std::chars_format::scientific);
  std::string scientific(buffer, end);  // "d.ddde+XX"
  size_t e = scientific.find('e');
  std::string digits = scientific.substr(0, e);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  int exponent = std::stoi(scientific.substr(e + 1));
  int point = exponent + 1;  // digits before the decimal point
  const int ndigits = static_cast<int>(digits.size());
  std::string out = std::signbit(value) ? "-" : "";
  if (point > -4 && point <= 16) {
    if (point <= 0) {
      out += "0." + std::string(-point, '0') + digits;
    } else if (point >= ndigits) {
      out += digits + std::string(point - ndigits, '0') + ".0";
    } else {
      out += digits.substr(0, point) + "." + digits.substr(point);
    }
  } else {
    out += digits.substr(0, 1);
    if (ndigits > 1) out += "." + digits.substr(1);
    char exp_text[16];
    std::snprintf(exp_text, sizeof exp_text, "e%c%02d", exponent < 0 ? '-' : '+', std::abs(exponent));
    out += exp_text;
  }
  return out;
}

std::string file_uri(const std::filesystem::path& absolute_path) {
  std::string out = "file://";
  for (unsigned char c : absolute_path.generic_string()) {
    bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-' || c == '~' || c == '/';
    if (safe) {
      out += static_cast<char>(c);
    } else {
      char escaped[4];
      std::snprintf(escaped, sizeof escaped, "%%%02X", c);
      out += escaped;
    }
  }
  return out;
}

}  // namespace credo::store
