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

namespace credo::cli::testing {

struct CommandRun {
  int exit_code;
  std::string output;  // stdout and stderr together
};

// Runs a shell command line; returns its exit code and what it wrote on stdout.
inline CommandRun run_shell(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

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
