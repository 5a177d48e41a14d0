// `credo serve` as a user runs it: a child process on an ephemeral port, called over HTTP, its
// probabilities equal to `credo predict`'s for the same clients, stopped with SIGTERM: it exits
// 0 and every prediction it answered is in the store's log. Refusals of unsafe settings.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <gtest/gtest.h>

#include "cli_testing.h"
#include "credo/serve/api_testing.h"

namespace credo::cli {
namespace {

namespace fs = std::filesystem;
using testing::CommandRun;
using testing::credo;
using serve::testing::json;

// A running `credo serve`: its stdout and stderr go to a file the test reads.
class ServeProcess {
 public:
  ServeProcess(const std::vector<std::string>& args, const fs::path& output) : output_(output) {
    pid_ = ::fork();
    if (pid_ == 0) {
      int fd = ::open(output.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      std::vector<char*> argv = {const_cast<char*>(CREDO_BINARY), const_cast<char*>("serve")};
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(CREDO_BINARY, argv.data());
      ::_exit(127);
    }
  }
  ~ServeProcess() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  // The port from "listening on http://127.0.0.1:PORT", waiting up to 60 s (the first start
  // computes the known clients' contributions); 0 if the process ended first.
  int port() {
    for (int i = 0; i < 6000; ++i) {
      std::string text = output();
      size_t at = text.find("listening on       http://127.0.0.1:");
      if (at != std::string::npos) return std::atoi(text.c_str() + at + 36);
      if (::waitpid(pid_, &status_, WNOHANG) == pid_) {
        exited_ = true;
        return 0;
      }
      ::usleep(10000);
    }
    return 0;
  }
  // Sends SIGTERM and waits; the exit code (-1 if killed by a signal).
  int terminate() {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, &status_, 0);
    exited_ = true;
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
  }
  int wait() {
    if (!exited_) ::waitpid(pid_, &status_, 0);
    exited_ = true;
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
  }
  std::string output() const {
    std::ifstream in(output_);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

 private:
  fs::path output_;
  pid_t pid_ = -1;
  int status_ = 0;
  bool exited_ = false;
};

TEST(ServeCliTest, ServesWhatPredictWritesAndLogsEveryAnswerBeforeExiting) {
  const serve::testing::PreparedModels& prepared = serve::testing::prepared_models();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  TempDir dir("serve_cli");
  fs::copy(prepared.store, dir.path() / "store", fs::copy_options::recursive);
  std::string store = (dir.path() / "store").string();

  CommandRun predicted = credo("predict --model models:/credit-default@champion --store " + store + " --features " + prepared.features.string() + " --out " +
                               (dir.path() / "predictions.csv").string());
  ASSERT_EQ(predicted.exit_code, 0) << predicted.output;
  std::map<int64_t, std::pair<double, std::string>> expected;
  std::ifstream csv(dir.path() / "predictions.csv");
  std::string line;
  std::getline(csv, line);
  while (std::getline(csv, line)) {
    std::stringstream fields(line);
    std::string id, p, decision;
    std::getline(fields, id, ',');
    std::getline(fields, p, ',');
    std::getline(fields, decision, ',');
    expected[std::stoll(id)] = {std::stod(p), decision};
  }
  ASSERT_EQ(expected.size(), 3000u);

  ServeProcess server({"--store", store, "--port", "0", "--reload-interval", "0"}, dir.path() / "serve.log");
  int port = server.port();
  ASSERT_GT(port, 0) << server.output();
  httplib::Client client("127.0.0.1", port);
  int answered = 0, compared = 0;
  std::vector<std::string> request_ids;
  for (auto it = expected.begin(); it != expected.end(); std::advance(it, 1)) {
    if (compared == 60) break;
    auto res = client.Get("/api/v1/clients/" + std::to_string(it->first) + "/score");
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << res->body;
    request_ids.push_back(res->get_header_value("X-Request-Id"));
    ++answered;
    json score = json::parse(res->body);
    EXPECT_NEAR(score["probability"].get<double>(), it->second.first, 1e-6) << it->first;
    if (std::abs(it->second.first - score["threshold"].get<double>()) > 1e-6) {
      EXPECT_EQ(score["decision"], it->second.second);
    }
    ++compared;
    std::advance(it, 40);
    if (it == expected.end()) break;
  }
  auto posted = client.Post("/api/v1/score", json{{"application", {{"AMT_CREDIT", 250000}, {"EXT_SOURCE_2", 0.4}}}}.dump(),
                            "application/json");
  ASSERT_TRUE(posted && posted->status == 200);
  ++answered;

  request_ids.push_back(posted->get_header_value("X-Request-Id"));

  EXPECT_EQ(server.terminate(), 0) << server.output();
  std::string out = server.output();
  EXPECT_NE(out.find("stopped            " + std::to_string(answered) + " predictions logged"), std::string::npos) << out;
  // The access log (written by its own thread) has a complete line for every answer, SIGTERM or not.
  std::set<std::string> logged_ids;
  std::stringstream lines(out);
  for (std::string log_line; std::getline(lines, log_line);) {
    if (log_line.empty() || log_line[0] != '{') continue;
    json entry = json::parse(log_line, nullptr, false);
    ASSERT_FALSE(entry.is_discarded()) << log_line;
    logged_ids.insert(entry["request_id"].get<std::string>());
  }
  for (const std::string& id : request_ids) EXPECT_TRUE(logged_ids.count(id)) << id;
  CommandRun listed = credo("runs list --store " + store);  // the store is intact and readable
  EXPECT_EQ(listed.exit_code, 0) << listed.output;
  auto opened = store::open_store(store, false);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ((*opened)->list_predictions(0, 0, 0).value().size(), static_cast<size_t>(answered));
}

TEST(ServeCliTest, RefusesUnsafeSettingsWithAClearError) {
  const serve::testing::PreparedModels& prepared = serve::testing::prepared_models();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  std::string store = " --store " + prepared.store.string();
  CommandRun open_host = credo("serve --host 0.0.0.0 --port 0" + store);
  EXPECT_EQ(open_host.exit_code, 2) << open_host.output;
  EXPECT_NE(open_host.output.find("--token-file"), std::string::npos) << open_host.output;

  TempDir dir("serve_cli_tokens");
  fs::path tokens = dir.path() / "tokens";
  std::ofstream(tokens) << "admin " << std::string(40, 'a') << "\n";
  fs::permissions(tokens, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  CommandRun readable = credo("serve --port 0 --token-file " + tokens.string() + store);
  EXPECT_EQ(readable.exit_code, 2) << readable.output;
  EXPECT_NE(readable.output.find("chmod"), std::string::npos) << readable.output;

  CommandRun unknown = credo("serve --port 0 --model models:/no-such-model@champion" + store);
  EXPECT_EQ(unknown.exit_code, 2) << unknown.output;
  EXPECT_NE(unknown.output.find("no-such-model"), std::string::npos) << unknown.output;
}

// What container platforms set: CREDO_HOST, CREDO_PORT, CREDO_MODEL and CREDO_TOKEN_FILE stand
// for the flags when these are absent.
TEST(ServeCliTest, ReadsItsSettingsFromTheEnvironment) {
  const serve::testing::PreparedModels& prepared = serve::testing::prepared_models();
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  TempDir dir("serve_cli_env");
  fs::copy(prepared.store, dir.path() / "store", fs::copy_options::recursive);
  fs::path tokens = dir.path() / "tokens";
  std::string reader(40, 'r');
  std::ofstream(tokens) << "read " << reader << " env\n";
  fs::permissions(tokens, fs::perms::owner_read | fs::perms::owner_write);

  ::setenv("CREDO_HOST", "0.0.0.0", 1);  // beyond loopback without tokens: refused
  ::setenv("CREDO_PORT", "0", 1);
  CommandRun open_host = credo("serve --store " + (dir.path() / "store").string());
  EXPECT_EQ(open_host.exit_code, 2) << open_host.output;
  EXPECT_NE(open_host.output.find("--host 0.0.0.0"), std::string::npos) << open_host.output;

  ::setenv("CREDO_HOST", "127.0.0.1", 1);
  ::setenv("CREDO_MODEL", "models:/credit-default/2", 1);
  ::setenv("CREDO_TOKEN_FILE", tokens.c_str(), 1);
  ServeProcess server({"--store", (dir.path() / "store").string(), "--reload-interval", "0"}, dir.path() / "serve.log");
  int port = server.port();
  for (const char* name : {"CREDO_HOST", "CREDO_PORT", "CREDO_MODEL", "CREDO_TOKEN_FILE"}) ::unsetenv(name);
  ASSERT_GT(port, 0) << server.output();
  httplib::Client client("127.0.0.1", port);
  auto anonymous = client.Get("/version");
  ASSERT_TRUE(anonymous);
  EXPECT_EQ(anonymous->status, 401);  // the token file was read
  auto version = client.Get("/version", {{"Authorization", "Bearer " + reader}});
  ASSERT_TRUE(version);
  ASSERT_EQ(version->status, 200) << version->body;
  EXPECT_EQ(json::parse(version->body)["model"]["version"], 2);  // the model URI was read
  EXPECT_EQ(server.terminate(), 0) << server.output();
}

}  // namespace
}  // namespace credo::cli
