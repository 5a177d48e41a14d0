// Runs the `credo` binary as a user would, for the end-to-end tests of its commands.
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace credo::cli::testing {

struct CommandRun {
  int exit_code;
  std::string output;  // stdout and stderr together
};

// Runs `credo ARGS` through the shell (so ARGS may quote), with `env` ("NAME=value ...") before it.
inline CommandRun credo(const std::string& args, const std::string& env = "") {
  std::string command = env + (env.empty() ? "" : " ") + std::string(CREDO_BINARY) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

}  // namespace credo::cli::testing
