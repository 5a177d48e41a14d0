// For the interop tests: credo's output checked by the tools its users check it with (promtool,
// xmllint, python3 with xgboost and PyYAML, chromium), not by checkers written beside it.
// A test skips only when its tool is not installed; scripts/install-deps.sh installs them all,
// so a machine set up by it (CI) never skips.
#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "credo/base/temp_dir.h"

namespace credo::testing {

struct ToolRun {
  int exit_code;       // -1 when killed by a signal
  std::string output;  // stdout and stderr together
};

// Runs a shell command line: its exit code and what it wrote on stdout.
inline ToolRun run_shell_stdout(const std::string& command_line) {
  FILE* pipe = popen(command_line.c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed: " + command_line};
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Runs a shell command line (stderr merged into stdout).
inline ToolRun run_tool(const std::string& command_line) { return run_shell_stdout(command_line + " 2>&1"); }

// Whether a shell command that probes for a tool succeeds, e.g. "command -v promtool" or
// "python3 -c 'import xgboost'".
inline bool tool_available(const std::string& probe) { return run_tool(probe + " >/dev/null").exit_code == 0; }

// Debian's Python, the one python3-xgboost and python3-yaml are installed for (a python3 found
// first in PATH, pyenv's say, does not see them).
inline constexpr const char* kDebianPython = "/usr/bin/python3";

// Where the interop scripts (tests/interop/*.py) are.
inline std::string interop_script(const std::string& name) {
  return std::string(CREDO_SOURCE_DIR) + "/tests/interop/" + name;
}

// "" when `xmllint --noout` (libxml2's parser) finds the document well-formed, else what it said.
inline std::string xmllint_problems(const std::string& document) {
  TempDir dir{"xmllint"};
  std::filesystem::path file = dir / "document.xml";
  std::ofstream(file, std::ios::binary) << document;
  ToolRun run = run_tool("xmllint --noout " + file.string());
  return run.exit_code == 0 && run.output.empty() ? "" : "xmllint exit " + std::to_string(run.exit_code) + ": " + run.output;
}

struct BrowserRun {
  int exit_code;
  std::string dom;      // the document as Chromium built it (--dump-dom)
  std::string console;  // the page's console messages, script errors and policy violations, one a line
};

// Opens `url` in headless Chromium, its own fresh profile, and returns the DOM it built and the
// lines its log gave for the page's console ("INFO:CONSOLE" lines of --enable-logging=stderr;
// Chromium 156 logs console.error, uncaught exceptions and Content-Security-Policy refusals there).
inline BrowserRun open_in_chromium(const std::string& url) {
  TempDir profile{"chromium"};
  std::filesystem::path dom_file = profile / "dom.html", log_file = profile / "log.txt";
  // In a subshell: run_tool's own 2>&1 must not take the log away from its file.
  ToolRun run = run_tool("(timeout 120 chromium --headless --disable-gpu --no-sandbox --no-first-run "
                         "--user-data-dir=" + (profile / "profile").string() +
                         " --enable-logging=stderr --v=0 --dump-dom '" + url + "' >" + dom_file.string() + " 2>" +
                         log_file.string() + ")");
  BrowserRun result{run.exit_code, "", ""};
  std::ostringstream dom;
  dom << std::ifstream(dom_file).rdbuf();
  result.dom = dom.str();
  std::ifstream log(log_file);
  for (std::string line; std::getline(log, line);)
    if (line.find(":CONSOLE") != std::string::npos) result.console += line + "\n";
  return result;
}

}  // namespace credo::testing

// Skips the test (ctest reports it skipped) when the probe fails, naming what is missing.
#define CREDO_SKIP_WITHOUT(probe, package)                                                            \
  do {                                                                                               \
    if (!::credo::testing::tool_available(probe))                                                    \
      GTEST_SKIP() << "needs Debian's " << (package) << " (scripts/install-deps.sh installs it)"; \
  } while (0)
