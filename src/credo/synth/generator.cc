// generate_homecredit: plans every client, generates blocks of clients in parallel into text
// buffers written in order (a bounded window of blocks in flight), then tunes the intercept,
// draws TARGET and writes the application files, the truth file and the summary.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <memory>

#include "credo/base/parallel.h"
#include "credo/base/progress.h"
#include "credo/synth/application_table.h"
#include "credo/base/auc.h"
#include "credo/synth/bureau_tables.h"
#include "credo/synth/client_plan.h"
#include "credo/synth/csv_format.h"
#include "credo/synth/monthly_tables.h"
#include "credo/synth/previous_tables.h"
#include "credo/synth/risk_model.h"
#include "credo/synth/summary.h"
#include "credo/synth/synth.h"
#include "credo/synth/table_rows.h"

namespace credo {

namespace {
using namespace synth;

constexpr int64_t kBlockClients = 1024;
constexpr double kDefaultRate = 0.081;

// One output file, written through a large buffer; errors are kept until close().
class OutputFile {
 public:
  Status open(const std::string& path) {
    path_ = path;
    file_ = std::fopen(path.c_str(), "wb");
    if (!file_) return Status::IoError("cannot write " + path + ": " + std::strerror(errno));
    std::setvbuf(file_, nullptr, _IOFBF, 1 << 20);
    return Status::Ok();
  }
  void write(const std::string& text) {
    if (file_ && std::fwrite(text.data(), 1, text.size(), file_) != text.size()) failed_ = true;
    bytes_ += text.size();
  }
  Status close() {
    if (file_ && std::fclose(file_) != 0) failed_ = true;
    file_ = nullptr;
    return failed_ ? Status::IoError("write failed: " + path_) : Status::Ok();
  }
  ~OutputFile() {
    if (file_) std::fclose(file_);
  }
  uint64_t bytes() const { return bytes_; }

 private:
  std::string path_;
  FILE* file_ = nullptr;
  bool failed_ = false;
  uint64_t bytes_ = 0;
};

// What one block of clients produces.
struct Block {
  std::array<TableText, kHcTableCount> history;  // only the history tables are used
  std::string application;                       // rows without SK_ID_CURR and TARGET
  std::vector<uint32_t> row_end;                 // end offset of each client's row
};

struct Scores {
  std::vector<double> app, history, features;
};

// The generators, built once (they resolve column positions from the profile).
struct Generators {
  explicit Generators(double drift) : application(drift) {}
  ApplicationGenerator application;
  BureauGenerator bureau;
  PreviousGenerator previous;
  MonthlyGenerator monthly;
};

void generate_block(const Generators& g, uint64_t seed, const std::vector<ClientPlan>& plans, int64_t begin,
                    int64_t end, Block& block, Scores& scores) {
  thread_local std::vector<double> values;
  thread_local std::vector<Contract> contracts;
  MonthlyText monthly;
  for (int64_t i = begin; i < end; ++i) {
    const ClientPlan& plan = plans[static_cast<size_t>(i)];
    Rng app_rng = client_rng(seed, i, kApplicationStream);
    AppFacts app = g.application.generate(plan, app_rng, values);
    append_csv_row(g.application.model(), values.data(), block.application, 2);
    block.row_end.push_back(static_cast<uint32_t>(block.application.size()));

    HistoryFacts history;
    Rng bureau_rng = client_rng(seed, i, kBureauStream);
    g.bureau.generate(plan, bureau_rng, block.history[static_cast<size_t>(HcTable::kBureau)],
                      block.history[static_cast<size_t>(HcTable::kBureauBalance)], history);
    Rng previous_rng = client_rng(seed, i, kPreviousStream);
    contracts.clear();
    g.previous.generate(plan, previous_rng, block.history[static_cast<size_t>(HcTable::kPreviousApplication)],
                        contracts, history);
    for (const Contract& c : contracts) g.monthly.generate(plan, c, previous_rng, monthly, history);

    size_t idx = static_cast<size_t>(i);
    scores.app[idx] = application_score(app);
    scores.history[idx] = history_score(history);
    double f[kAppFeatureCount];
    application_features(app, f);
    std::copy(f, f + kAppFeatureCount, scores.features.begin() + static_cast<ptrdiff_t>(idx * kAppFeatureCount));
  }
  block.history[static_cast<size_t>(HcTable::kPosCashBalance)] = std::move(monthly.pos);
  block.history[static_cast<size_t>(HcTable::kInstallmentsPayments)] = std::move(monthly.instalments);
  block.history[static_cast<size_t>(HcTable::kCreditCardBalance)] = std::move(monthly.cards);
}

Status validate(const SynthOptions& o) {
  if (o.clients <= 0)
    return Status::InvalidArgument("--clients must be positive, got " + std::to_string(o.clients));
  if (!std::isfinite(o.drift) || o.drift < 0)
    return Status::InvalidArgument("--drift must be a finite number >= 0, got " + std::to_string(o.drift));
  if (o.out_dir.empty()) return Status::InvalidArgument("--out: an output directory is required");
  if (o.threads < 0) return Status::InvalidArgument("--threads must be >= 0, got " + std::to_string(o.threads));
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (ec || !std::filesystem::is_directory(o.out_dir))
    return Status::IoError("cannot create output directory " + o.out_dir + (ec ? ": " + ec.message() : ""));
  return Status::Ok();
}
}  // namespace

StatusOr<SynthSummary> generate_homecredit(const SynthOptions& options) {
  auto start = std::chrono::steady_clock::now();
  CREDO_RETURN_IF_ERROR(validate(options));
  const int64_t n = options.clients;
  const uint64_t seed = options.seed;
  const int threads = options.threads > 0 ? options.threads : default_thread_count();

  std::array<OutputFile, kHcTableCount> files;
  for (const auto& info : homecredit_tables()) {
    OutputFile& f = files[static_cast<size_t>(info.id)];
    CREDO_RETURN_IF_ERROR(f.open(options.out_dir + "/" + std::string(info.file_name)));
    f.write(csv_header(info.id));
  }

  // 1. Plans (latent factors, counts) for every client, then ids from the prefix sums.
  std::vector<ClientPlan> plans(static_cast<size_t>(n));
  const int64_t blocks = (n + kBlockClients - 1) / kBlockClients;
  parallel_for(static_cast<size_t>(blocks), threads, [&](size_t b) {
    int64_t lo = static_cast<int64_t>(b) * kBlockClients, hi = std::min(n, lo + kBlockClients);
    for (int64_t i = lo; i < hi; ++i) plans[static_cast<size_t>(i)] = draw_client_plan(seed, i);
  });
  assign_ids(seed, plans);

  // 2. Blocks of clients in parallel, a bounded window at a time, written in order.
  const Generators generators(options.drift);
  Scores scores;
  scores.app.resize(static_cast<size_t>(n));
  scores.history.resize(static_cast<size_t>(n));
  scores.features.resize(static_cast<size_t>(n) * kAppFeatureCount);
  std::vector<std::string> application_text(static_cast<size_t>(blocks));
  std::vector<std::vector<uint32_t>> application_row_end(static_cast<size_t>(blocks));
  SynthSummary summary;
  ProgressBar progress("synth", static_cast<uint64_t>(n), "clients", options.progress);
  const int64_t window = std::max<int64_t>(2, 3 * threads);
  for (int64_t first = 0; first < blocks; first += window) {
    int64_t count = std::min(window, blocks - first);
    std::vector<Block> batch(static_cast<size_t>(count));
    parallel_for(static_cast<size_t>(count), threads, [&](size_t k) {
      int64_t b = first + static_cast<int64_t>(k);
      int64_t lo = b * kBlockClients, hi = std::min(n, lo + kBlockClients);
      generate_block(generators, seed, plans, lo, hi, batch[k], scores);
      progress.add(static_cast<uint64_t>(hi - lo));
    });
    for (int64_t k = 0; k < count; ++k) {
      Block& block = batch[static_cast<size_t>(k)];
      for (size_t t = static_cast<size_t>(HcTable::kBureau); t < kHcTableCount; ++t) {
        files[t].write(block.history[t].text);
        summary.rows[t] += block.history[t].rows;
      }
      application_text[static_cast<size_t>(first + k)] = std::move(block.application);
      application_row_end[static_cast<size_t>(first + k)] = std::move(block.row_end);
    }
  }
  progress.finish();

  // 3. The true default probability: intercept tuned on train clients for an 8.1% rate.
  std::vector<double> train_scores;
  std::vector<uint8_t> is_train(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    size_t idx = static_cast<size_t>(i);
    is_train[idx] = !plans[idx].is_test;
    if (is_train[idx]) train_scores.push_back(scores.app[idx] + scores.history[idx]);
  }
  if (train_scores.empty()) train_scores.push_back(0);
  const double intercept = intercept_for_rate(train_scores, kDefaultRate);
  std::vector<double> true_pd(static_cast<size_t>(n));
  std::vector<uint8_t> target(static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    size_t idx = static_cast<size_t>(i);
    true_pd[idx] = sigmoid(intercept + scores.app[idx] + scores.history[idx]);
    target[idx] = client_rng(seed, i, kTargetStream).bernoulli(true_pd[idx]);
  }
  std::vector<double> app_pd = application_only_pd(intercept, scores.app, scores.history, scores.features, is_train);

  // 4. Application files (train with TARGET, test without) and the truth file.
  OutputFile truth;
  CREDO_RETURN_IF_ERROR(truth.open(options.out_dir + "/synth_truth.csv"));
  truth.write("SK_ID_CURR,SET,TRUE_PD,APP_PD\n");
  OutputFile& train_file = files[static_cast<size_t>(HcTable::kApplicationTrain)];
  OutputFile& test_file = files[static_cast<size_t>(HcTable::kApplicationTest)];
  std::string train_buf, test_buf, truth_buf;
  std::vector<double> train_true, train_app;
  std::vector<uint8_t> train_target;
  int64_t defaults = 0;
  for (int64_t b = 0; b < blocks; ++b) {
    const std::string& text = application_text[static_cast<size_t>(b)];
    const auto& ends = application_row_end[static_cast<size_t>(b)];
    uint32_t begin = 0;
    for (size_t k = 0; k < ends.size(); ++k) {
      size_t idx = static_cast<size_t>(b * kBlockClients) + k;
      const ClientPlan& plan = plans[idx];
      std::string& out = plan.is_test ? test_buf : train_buf;
      append_int(out, plan.client_id);
      out.push_back(',');
      if (!plan.is_test) {
        out.push_back(target[idx] ? '1' : '0');
        out.push_back(',');
        train_true.push_back(true_pd[idx]);
        train_app.push_back(app_pd[idx]);
        train_target.push_back(target[idx]);
        defaults += target[idx];
      }
      out.append(text, begin, ends[k] - begin);
      begin = ends[k];
      append_int(truth_buf, plan.client_id);
      truth_buf.append(plan.is_test ? ",test," : ",train,");
      append_float(truth_buf, true_pd[idx], 6);
      truth_buf.push_back(',');
      append_float(truth_buf, app_pd[idx], 6);
      truth_buf.push_back('\n');
      ++summary.rows[static_cast<size_t>(plan.is_test ? HcTable::kApplicationTest : HcTable::kApplicationTrain)];
    }
    std::string().swap(application_text[static_cast<size_t>(b)]);
    train_file.write(train_buf);
    test_file.write(test_buf);
    truth.write(truth_buf);
    train_buf.clear();
    test_buf.clear();
    truth_buf.clear();
  }
  for (size_t t = 0; t < kHcTableCount; ++t) {
    summary.bytes[t] = files[t].bytes();
    CREDO_RETURN_IF_ERROR(files[t].close());
  }
  CREDO_RETURN_IF_ERROR(truth.close());

  summary.train_clients = summary.rows[static_cast<size_t>(HcTable::kApplicationTrain)];
  summary.test_clients = summary.rows[static_cast<size_t>(HcTable::kApplicationTest)];
  summary.default_rate = summary.train_clients > 0 ? static_cast<double>(defaults) / summary.train_clients : 0;
  summary.bayes_auc = roc_auc(train_true, train_target);
  summary.app_only_auc = roc_auc(train_app, train_target);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CREDO_RETURN_IF_ERROR(write_summary_json(options.out_dir, options, summary));
  return summary;
}

}  // namespace credo
