// The API tests' fixture (api_testing.h): the prepared models, built under a file lock so the
// test processes ctest runs in parallel build them once, and the served copy.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fstream>

#include "credo/data/homecredit_loader.h"
#include "credo/features/pipeline.h"
#include "credo/features/source_data.h"
#include "credo/serve/api_testing.h"
#include "credo/synth/synth.h"
#include "credo/train/trainer.h"

namespace credo::serve::testing {
namespace fs = std::filesystem;

namespace {

// Built by this test binary (its size and time), so a rebuilt binary prepares afresh.
fs::path prepared_dir() {
  std::error_code ec;
  fs::path self = fs::read_symlink("/proc/self/exe", ec);
  auto size = fs::file_size(self, ec);
  auto time = fs::last_write_time(self, ec).time_since_epoch().count();
  return fs::temp_directory_path() /
         ("credo_api_models_" + std::to_string(::getuid()) + "_" + std::to_string(size ^ static_cast<uint64_t>(time)));
}

void train_one(store::Store& store, const fs::path& features, const std::string& algorithm) {
  train::TrainConfig config;
  config.features = features.string();
  config.algorithms = {algorithm};
  config.imbalance = {"class_weights"};
  config.trials = 1;
  config.refine_trials = 0;
  config.folds = 2;
  config.threads = 2;
  config.explained_clients = 1;
  auto trained = train::train_models(config, store, "api test", nullptr);
  ASSERT_TRUE(trained.ok()) << trained.status().to_string();
}

void prepare(const PreparedModels& p) {
  SynthOptions synth;
  synth.clients = 3000;
  synth.seed = 7;
  synth.out_dir = p.data.string();
  synth.threads = 2;
  ASSERT_TRUE(generate_homecredit(synth).ok());
  auto spec = parse_feature_spec(default_feature_spec_text(), "default.spec");
  ASSERT_TRUE(spec.ok());
  auto pipeline = FeaturePipeline::compile(std::move(*spec));
  ASSERT_TRUE(pipeline.ok());
  auto source = HomeCreditSource::open(p.data.string());
  ASSERT_TRUE(source.ok());
  auto matrix = pipeline->build(*source, {.threads = 2, .progress = nullptr});
  ASSERT_TRUE(matrix.ok()) << matrix.status().to_string();
  record_source_data(*matrix, p.data.string());
  ASSERT_TRUE(write_feature_matrix(*matrix, p.features.string()).ok());
  auto store = store::open_store(p.store);
  ASSERT_TRUE(store.ok());
  train_one(**store, p.features, "xgboost");   // version 1, the champion
  train_one(**store, p.features, "logistic");  // version 2, the challenger
}

// Models prepared by earlier builds of the test binary, unused for an hour, are removed.
void remove_stale_prepared_models(const fs::path& current) {
  std::error_code ec;
  std::string prefix = "credo_api_models_" + std::to_string(::getuid()) + "_";
  auto hour_ago = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const auto& entry : fs::directory_iterator(fs::temp_directory_path(), ec)) {
    if (entry.path() == current || entry.path().filename().string().rfind(prefix, 0) != 0) continue;
    if (fs::last_write_time(entry.path() / "ready", ec) < hour_ago && !ec) {
      for (auto it = fs::recursive_directory_iterator(entry.path(), ec); it != fs::recursive_directory_iterator(); ++it)
        fs::permissions(it->path(), fs::perms::owner_write, fs::perm_options::add, ec);
      fs::remove_all(entry.path(), ec);
    }
  }
}

}  // namespace

const PreparedModels& prepared_models() {
  static const PreparedModels models = [] {
    fs::path dir = prepared_dir();
    remove_stale_prepared_models(dir);
    PreparedModels p{dir / "data", dir / "features.credo", dir / "store"};
    fs::create_directories(dir);
    int lock = ::open((dir / "lock").c_str(), O_CREAT | O_RDWR, 0600);
    ::flock(lock, LOCK_EX);
    if (!fs::exists(dir / "ready")) {
      fs::remove_all(p.data);
      fs::remove_all(p.store);
      prepare(p);
      if (!::testing::Test::HasFatalFailure()) std::ofstream(dir / "ready") << "ok\n";
    }
    ::flock(lock, LOCK_UN);
    ::close(lock);
    return p;
  }();
  return models;
}

ServedApi::ServedApi(ServerOptions options) { start(std::move(options)); }

void ServedApi::start(ServerOptions options) {
  const PreparedModels& prepared = prepared_models();
  if (::testing::Test::HasFatalFailure()) return;
  // A private store: tests move aliases and record outcomes. Registered files are read-only.
  fs::copy(prepared.store, dir() / "store", fs::copy_options::recursive);
  store_ = store::open_store(dir() / "store").value();
  ServiceOptions service_options;
  service_options.threads = 2;
  service_options.progress = nullptr;
  auto service = ScoringService::open(*store_, "models:/credit-default@champion", service_options);
  ASSERT_TRUE(service.ok()) << service.status().to_string();
  service_ = std::move(*service);
  options.port = 0;
  options.access_log = nullptr;
  log_ = std::make_unique<PredictionLog>(*store_, PredictionLogOptions{.capacity = 10000, .batch_size = 500});
  server_ = std::make_unique<ApiServer>(*service_, *store_, std::move(options), log_.get());
  ASSERT_TRUE(server_->bind().ok());
  thread_ = std::thread([this] { (void)server_->serve(); });
  httplib::Client probe("127.0.0.1", server_->port());
  for (int i = 0; i < 500 && !probe.Get("/health"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

ServedApi::~ServedApi() {
  if (server_) server_->stop();
  if (thread_.joinable()) thread_.join();
  if (log_) log_->close();
}

httplib::Client ServedApi::client() const {
  httplib::Client c("127.0.0.1", server_->port());
  c.set_read_timeout(10, 0);
  return c;
}

namespace {
std::pair<int, json> parsed(const httplib::Result& res, const std::string& path) {
  EXPECT_TRUE(res) << path;
  if (!res) return {0, json()};
  EXPECT_EQ(res->get_header_value("X-Request-Id").size(), 16u) << path;
  json body = json::parse(res->body, nullptr, false);
  EXPECT_FALSE(body.is_discarded()) << path << ": " << res->body.substr(0, 200);
  return {res->status, body};
}
httplib::Headers auth_headers(const std::string& token) {
  if (token.empty()) return {};
  return {{"Authorization", "Bearer " + token}};
}
}  // namespace

std::pair<int, json> ServedApi::get(const std::string& path, const std::string& token) const {
  return parsed(client().Get(path, auth_headers(token)), path);
}

std::pair<int, json> ServedApi::post(const std::string& path, const json& body, const std::string& token) const {
  return parsed(client().Post(path, auth_headers(token), body.dump(), "application/json"), path);
}

ServedApi* ApiTest::api_ = nullptr;

void ApiTest::SetUpTestSuite() {
  if (!api_) api_ = new ServedApi();
}

void ApiTest::TearDownTestSuite() {
  delete api_;
  api_ = nullptr;
}

}  // namespace credo::serve::testing
