// The metrics text checked as Prometheus checks it: `promtool check metrics` (Debian's
// prometheus package) parses it with Prometheus' own text-format parser and lints it (names,
// HELP, counter suffixes). And a sample's value looked up by the series exactly as printed, so
// the tests pin the exposition text itself.
#pragma once

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "credo/base/external_tool_testing.h"
#include "credo/base/temp_dir.h"

namespace credo::serve::testing {

// "" when promtool accepts the text (no parse error, no lint problem), else what it said.
inline std::string promtool_problems(const std::string& text) {
  TempDir dir{"promtool"};
  std::filesystem::path file = dir / "metrics.txt";
  std::ofstream(file, std::ios::binary) << text;
  credo::testing::ToolRun run = credo::testing::run_tool("promtool check metrics < " + file.string());
  return run.exit_code == 0 ? "" : "promtool exit " + std::to_string(run.exit_code) + ": " + run.output;
}

// The value of the line "SERIES VALUE" (SERIES: the name and label set as rendered, e.g.
// `credo_decisions_total{decision="REFUSED"}`), NaN when no line starts with it.
inline double sample_value(const std::string& text, const std::string& series) {
  std::string prefix = series + " ";
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string::npos) end = text.size();
    if (text.compare(at, prefix.size(), prefix) == 0)
      return std::strtod(text.substr(at + prefix.size(), end - at - prefix.size()).c_str(), nullptr);
    at = end + 1;
  }
  return NAN;
}

}  // namespace credo::serve::testing

// Skips when promtool is not installed (scripts/install-deps.sh installs it).
#define CREDO_SKIP_WITHOUT_PROMTOOL() CREDO_SKIP_WITHOUT("command -v promtool", "prometheus (promtool)")
