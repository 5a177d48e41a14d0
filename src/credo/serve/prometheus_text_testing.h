// A strict reader of Prometheus' text exposition format 0.0.4 for tests: it says whether a
// scrape would be accepted (names, escapes, values, TYPE before samples, families contiguous,
// no duplicate series, histograms cumulative and ending in +Inf with _count equal to it) and
// returns the samples, so tests of /metrics need no Prometheus.
#pragma once

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace credo::serve::test_prometheus {

struct Sample {
  std::string name;
  std::map<std::string, std::string> labels;  // unescaped
  double value = 0;
};

struct ParsedText {
  std::string error;  // empty when valid: "line 3: ..."
  std::vector<Sample> samples;
  std::map<std::string, std::string> types, helps;

  // The value of the one sample with this name and exactly these labels, NaN when there is none.
  double value(const std::string& name, const std::map<std::string, std::string>& labels = {}) const {
    for (const Sample& s : samples)
      if (s.name == name && s.labels == labels) return s.value;
    return std::nan("");
  }
};

inline bool prometheus_name_ok(const std::string& name, bool colon) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  for (char c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && !(colon && c == ':')) return false;
  return true;
}

inline bool prometheus_value_ok(const std::string& text, double* value) {
  if (text == "+Inf" || text == "Inf") return *value = HUGE_VAL, true;
  if (text == "-Inf") return *value = -HUGE_VAL, true;
  if (text == "NaN") return *value = std::nan(""), true;
  if (text.empty()) return false;
  char* end = nullptr;
  *value = std::strtod(text.c_str(), &end);
  return end == text.c_str() + text.size() && text.find_first_of("xXpP") == std::string::npos &&
         text != "inf" && text != "nan";
}

inline ParsedText parse_prometheus_text(const std::string& text) {
  ParsedText parsed;
  std::string family_now;             // the family of the samples being read
  std::set<std::string> families_done, series_seen;
  int line_number = 0;
  auto fail = [&](const std::string& why) {
    parsed.error = "line " + std::to_string(line_number) + ": " + why;
    return parsed;
  };
  if (!text.empty() && text.back() != '\n') return fail("the text does not end with a newline");
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    std::string line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::string keyword = line.substr(0, 7);
      if (keyword != "# HELP " && keyword != "# TYPE ") continue;  // a comment
      size_t name_end = line.find(' ', 7);
      std::string name = line.substr(7, name_end == std::string::npos ? std::string::npos : name_end - 7);
      std::string rest = name_end == std::string::npos ? "" : line.substr(name_end + 1);
      if (!prometheus_name_ok(name, true)) return fail("bad metric name '" + name + "'");
      if (keyword == "# HELP ") {
        for (size_t i = 0; i < rest.size(); ++i)
          if (rest[i] == '\\' && (i + 1 >= rest.size() || (rest[++i] != '\\' && rest[i] != 'n')))
            return fail("bad escape in HELP");
        if (!parsed.helps.emplace(name, rest).second) return fail("second HELP for " + name);
      } else {
        static const std::set<std::string> kTypes = {"counter", "gauge", "histogram", "summary", "untyped"};
        if (!kTypes.count(rest)) return fail("unknown type '" + rest + "'");
        if (families_done.count(name) || family_now == name) return fail("TYPE after samples of " + name);
        if (!parsed.types.emplace(name, rest).second) return fail("second TYPE for " + name);
      }
      continue;
    }
    Sample sample;
    size_t i = 0;
    while (i < line.size() && line[i] != '{' && line[i] != ' ') ++i;
    sample.name = line.substr(0, i);
    if (!prometheus_name_ok(sample.name, true)) return fail("bad metric name '" + sample.name + "'");
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        size_t eq = line.find('=', i);
        if (eq == std::string::npos) return fail("label without '='");
        std::string label = line.substr(i, eq - i);
        if (!prometheus_name_ok(label, false)) return fail("bad label name '" + label + "'");
        if (eq + 1 >= line.size() || line[eq + 1] != '"') return fail("label value not quoted");
        std::string value;
        size_t k = eq + 2;
        for (; k < line.size() && line[k] != '"'; ++k) {
          if (line[k] != '\\') {
            value += line[k];
            continue;
          }
          if (++k >= line.size()) return fail("escape at end of line");
          if (line[k] == 'n') value += '\n';
          else if (line[k] == '\\' || line[k] == '"') value += line[k];
          else return fail("bad escape in label value");
        }
        if (k >= line.size()) return fail("unterminated label value");
        if (!sample.labels.emplace(label, value).second) return fail("label " + label + " twice");
        i = k + 1;
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) return fail("unterminated label set");
      ++i;
    }
    if (i >= line.size() || line[i] != ' ') return fail("no value");
    std::string value_text = line.substr(i + 1);
    size_t space = value_text.find(' ');
    if (space != std::string::npos) {  // a timestamp (milliseconds)
      std::string timestamp = value_text.substr(space + 1);
      if (timestamp.empty() || timestamp.find_first_not_of("-0123456789") != std::string::npos)
        return fail("bad timestamp");
      value_text.resize(space);
    }
    if (!prometheus_value_ok(value_text, &sample.value)) return fail("bad value '" + value_text + "'");
    // Its family: the name itself, or the histogram/summary it is a part of.
    std::string family = sample.name;
    for (const char* suffix : {"_bucket", "_sum", "_count"}) {
      std::string s = suffix;
      if (family.size() > s.size() && family.compare(family.size() - s.size(), s.size(), s) == 0) {
        std::string base = family.substr(0, family.size() - s.size());
        auto type = parsed.types.find(base);
        if (type != parsed.types.end() && (type->second == "histogram" || type->second == "summary")) family = base;
      }
    }
    if (family != family_now) {
      if (families_done.count(family)) return fail("samples of " + family + " are not together");
      if (!family_now.empty()) families_done.insert(family_now);
      family_now = family;
    }
    std::string key = sample.name;
    for (const auto& [k, v] : sample.labels) key += "|" + k + "=" + v;
    if (!series_seen.insert(key).second) return fail("duplicate series " + key);
    parsed.samples.push_back(sample);
  }
  // Histograms: per label set, le increasing to +Inf, counts cumulative, _count = +Inf bucket.
  for (const auto& [name, type] : parsed.types) {
    if (type != "histogram") continue;
    std::map<std::map<std::string, std::string>, std::vector<const Sample*>> buckets;
    for (const Sample& s : parsed.samples) {
      if (s.name != name + "_bucket") continue;
      auto labels = s.labels;
      if (!labels.erase("le")) return fail(name + "_bucket without le");
      buckets[labels].push_back(&s);
    }
    for (const auto& [labels, series] : buckets) {
      double last_le = -HUGE_VAL, last_count = 0;
      for (const Sample* s : series) {
        double le = 0;
        if (!prometheus_value_ok(s->labels.at("le"), &le) || le <= last_le) return fail(name + ": le not increasing");
        if (s->value < last_count) return fail(name + ": buckets not cumulative");
        last_le = le;
        last_count = s->value;
      }
      if (last_le != HUGE_VAL) return fail(name + ": no +Inf bucket");
      if (parsed.value(name + "_count", labels) != last_count) return fail(name + "_count differs from +Inf");
      if (std::isnan(parsed.value(name + "_sum", labels)) && last_count >= 0) {
        bool has_sum = false;
        for (const Sample& s : parsed.samples) has_sum |= s.name == name + "_sum" && s.labels == labels;
        if (!has_sum) return fail(name + ": no _sum");
      }
    }
  }
  return parsed;
}

}  // namespace credo::serve::test_prometheus
