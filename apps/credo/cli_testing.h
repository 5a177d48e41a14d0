// Runs the `credo` binary as a user would, for the end-to-end tests of its commands.
#pragma once

#include <sys/wait.h>

#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "credo/base/external_tool_testing.h"

namespace credo::cli::testing {

using CommandRun = credo::testing::ToolRun;  // exit code and stdout (stderr too where merged)

// Runs a shell command line; returns its exit code and what it wrote on stdout.
inline CommandRun run_shell(const std::string& command) { return credo::testing::run_shell_stdout(command); }

// Runs `credo ARGS` through the shell (so ARGS may quote), with `env` ("NAME=value ...") before it.
inline CommandRun credo(const std::string& args, const std::string& env = "") {
  return run_shell(env + (env.empty() ? "" : " ") + std::string(CREDO_BINARY) + " " + args + " 2>&1");
}

struct SplitCommandRun {
  int exit_code;
  std::string out;  // stdout
  std::string err;  // stderr
};

// Runs `credo ARGS` with stdout and stderr kept apart: what -q and --json promise is about each.
inline SplitCommandRun credo_split(const std::string& args) {
  static int calls = 0;
  std::filesystem::path err_file = std::filesystem::temp_directory_path() /
                                   ("credo_stderr_" + std::to_string(::getpid()) + "_" + std::to_string(calls++));
  CommandRun run = run_shell(std::string(CREDO_BINARY) + " " + args + " 2>" + err_file.string());
  std::ostringstream err;
  err << std::ifstream(err_file).rdbuf();
  std::filesystem::remove(err_file);
  return {run.exit_code, run.output, err.str()};
}

}  // namespace credo::cli::testing
