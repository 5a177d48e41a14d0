// The fixture of the API's integration tests: a generated Home Credit data set (3,000 clients),
// its features, and two registered versions (XGBoost as the champion, version 1; logistic
// regression as the challenger, version 2), prepared once per test binary and shared read-only
// between the test processes ctest runs; each process serves its own copy of the store on an
// ephemeral loopback port and calls it with cpp-httplib's client, over real HTTP.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <nlohmann/json.hpp>

#include "credo/base/temp_dir.h"
#include "credo/serve/api_server.h"
#include "credo/store/store.h"

namespace credo::serve::testing {

using json = nlohmann::json;

// The data, features and store template every test process reads (built at most once).
struct PreparedModels {
  std::filesystem::path data, features, store;
};
const PreparedModels& prepared_models();

// A server over a private copy of the prepared store.
class ServedApi {
 public:
  explicit ServedApi(ServerOptions options = {});
  ~ServedApi();

  httplib::Client client() const;
  // Calls and parses; the body must be JSON whatever the status.
  std::pair<int, json> get(const std::string& path, const std::string& token = "") const;
  std::pair<int, json> post(const std::string& path, const json& body, const std::string& token = "") const;

  ScoringService& service() { return *service_; }
  store::Store& store() { return *store_; }
  ApiServer& server() { return *server_; }
  PredictionLog& log() { return *log_; }
  const std::filesystem::path& dir() const { return dir_.path(); }
  int port() const { return server_->port(); }

 private:
  void start(ServerOptions options);  // gtest's ASSERTs return, which a constructor cannot

  TempDir dir_{"served_api"};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ScoringService> service_;
  std::unique_ptr<PredictionLog> log_;
  std::unique_ptr<ApiServer> server_;
  std::thread thread_;
};

// One server for all the tests of a suite (started on first use).
class ApiTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  static ServedApi& api() { return *api_; }
  static std::pair<int, json> get(const std::string& path) { return api_->get(path); }
  static std::pair<int, json> post(const std::string& path, const json& body) { return api_->post(path, body); }
  static std::shared_ptr<const ServedModel> model() { return api_->service().current(); }

 private:
  static ServedApi* api_;
};

}  // namespace credo::serve::testing
