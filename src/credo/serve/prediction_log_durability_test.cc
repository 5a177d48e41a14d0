// What the prediction log promises beyond a clean stop, tried with real processes on a real
// store: a process killed with SIGKILL under load has every prediction it acknowledged in the
// store, and a store write-locked by another process for longer than the store waits makes the
// callers wait, then logs every event once the lock is released: none dropped.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "credo/base/temp_dir.h"
#include "credo/serve/prediction_log.h"
#include "credo/serve/prediction_log_testing.h"
#include "credo/store/sqlite.h"

namespace credo::serve {
namespace {

namespace fs = std::filesystem;
using SteadyClock = std::chrono::steady_clock;

std::set<std::string> logged_ids(const fs::path& store_dir) {
  auto store = store::open_store(store_dir, false);
  EXPECT_TRUE(store.ok()) << store.status().to_string();
  std::set<std::string> ids;
  if (!store.ok()) return ids;
  for (const auto& e : (*store)->list_predictions(0, 0, 0).value()) ids.insert(e.request_id);
  return ids;
}

// The child: 8 threads record events as fast as the log takes them and print the id of each
// acknowledged one on `ack_fd`, until it is killed. Never returns.
[[noreturn]] void record_until_killed(const fs::path& store_dir, int ack_fd) {
  auto store = store::open_store(store_dir);
  if (!store.ok()) ::_exit(3);
  PredictionLog log(**store);
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0;; ++i) {
        store::PredictionEvent e = testing_event(t, i);
        std::string line = e.request_id + "\n";
        if (!log.record(std::move(e)).ok()) ::_exit(4);
        // One write(2) of a short line to a pipe is atomic: lines of several threads never mix.
        if (::write(ack_fd, line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(5);
      }
    });
  for (auto& t : threads) t.join();
  ::_exit(0);
}

TEST(PredictionLogDurabilityTest, EveryAcknowledgedPredictionSurvivesAKill9UnderLoad) {
  TempDir dir("prediction_log_kill");
  int ack[2];
  ASSERT_EQ(::pipe(ack), 0);
  pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::close(ack[0]);
    record_until_killed(dir / "store", ack[1]);
  }
  ::close(ack[1]);
  // Should the child hang without acknowledging anything, it is killed all the same.
  std::mutex mutex;
  std::condition_variable reaped;
  bool done = false;
  std::thread watchdog([&] {
    std::unique_lock lock(mutex);
    if (!reaped.wait_for(lock, std::chrono::seconds(30), [&] { return done; })) ::kill(child, SIGKILL);
  });
  auto stop_watchdog = [&] {
    {
      std::lock_guard lock(mutex);
      done = true;
    }
    reaped.notify_all();
    watchdog.join();
  };
  FILE* acks = ::fdopen(ack[0], "r");
  if (!acks) {
    ::kill(child, SIGKILL);
    ::waitpid(child, nullptr, 0);
    stop_watchdog();
    FAIL() << "fdopen: " << std::strerror(errno);
  }
  std::vector<std::string> acknowledged;
  char line[64];
  bool killed = false;
  auto start = SteadyClock::now();
  // Killed in full flow: once 20,000 are answered, or after 2 s if this machine is slow.
  while (std::fgets(line, sizeof line, acks)) {
    acknowledged.emplace_back(line, std::strlen(line) - 1);
    if (!killed && (acknowledged.size() >= 20000 || SteadyClock::now() - start > std::chrono::seconds(2))) {
      ::kill(child, SIGKILL);
      killed = true;  // the lines already in the pipe are still read: they were acknowledged
    }
  }
  std::fclose(acks);
  int status = 0;
  pid_t waited = ::waitpid(child, &status, 0);
  stop_watchdog();
  ASSERT_EQ(waited, child);
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL) << "the child ended by itself, status " << status;
  ASSERT_GT(acknowledged.size(), 100u) << "too little load to mean anything";

  std::set<std::string> logged = logged_ids(dir / "store");
  size_t lost = 0;
  for (const std::string& id : acknowledged)
    if (!logged.count(id)) ++lost;
  EXPECT_EQ(lost, 0u) << "acknowledged predictions missing from the store after kill -9";
  // Logged but not acknowledged: committed while their caller had not yet printed (at most one
  // commit's worth per thread): never the other way round.
  EXPECT_GE(logged.size(), acknowledged.size());
  std::printf("answered %zu, logged %zu, lost %zu\n", acknowledged.size(), logged.size(), lost);
}

// Another process holding the store's write lock (BEGIN EXCLUSIVE) until release().
class ExternalWriteLock {
 public:
  explicit ExternalWriteLock(const fs::path& db_file) {
    int ready[2], release[2];
    if (::pipe(ready) != 0 || ::pipe(release) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::close(ready[0]);
      ::close(release[1]);
      auto db = sql::Database::open(db_file.string(), false);
      if (!db.ok() || !db->exec("BEGIN EXCLUSIVE").ok()) ::_exit(3);
      char byte = 1;
      if (::write(ready[1], &byte, 1) != 1) ::_exit(4);
      (void)::read(release[0], &byte, 1);  // until the parent closes its end
      ::_exit(db->exec("COMMIT").ok() ? 0 : 5);
    }
    ::close(ready[1]);
    ::close(release[0]);
    release_fd_ = release[1];
    char byte = 0;
    held_ = pid_ > 0 && ::read(ready[0], &byte, 1) == 1;
    ::close(ready[0]);
  }
  ~ExternalWriteLock() { release(); }

  bool held() const { return held_; }
  // Ends the other process's transaction and waits for it to exit.
  void release() {
    if (release_fd_ >= 0) ::close(release_fd_);
    release_fd_ = -1;
    if (pid_ > 0) ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }

 private:
  pid_t pid_ = -1;
  int release_fd_ = -1;
  bool held_ = false;
};

TEST(PredictionLogDurabilityTest, ALongExternalLockMakesCallersWaitAndLosesNothing) {
  TempDir dir("prediction_log_lock");
  // The store waits 50 ms for a lock (five times, with pauses: about 2 s in all) before
  // reporting it busy; the lock below is held longer than that.
  auto store = store::open_store(dir / "store", true, nullptr, {.lock_wait_ms = 50}).value();
  ExternalWriteLock lock(dir / "store" / "store.db");
  ASSERT_TRUE(lock.held());
  PredictionLog log(*store, {.capacity = 4, .batch_size = 4, .retry_first_ms = 5, .retry_max_ms = 50});
  constexpr int kCallers = 12, kEach = 20;
  std::atomic<int> answered{0}, refused{0};
  std::vector<std::thread> callers;
  for (int t = 0; t < kCallers; ++t)
    callers.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) (log.record(testing_event(t, i)).ok() ? answered : refused)++;
    });
  auto start = SteadyClock::now();
  while (log.retries() == 0 && SteadyClock::now() - start < std::chrono::seconds(30))
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_GT(log.retries(), 0u) << "the store never reported the lock";
  // The lock outlasted the store's own wait: every caller is still waiting, none was answered
  // or failed, and the queue stayed bounded: a batch of at most 4 being written, 4 queued, and
  // the other callers waiting for room.
  EXPECT_EQ(answered.load(), 0);
  EXPECT_EQ(refused.load(), 0);
  EXPECT_GT(log.queued(), 4u);
  EXPECT_LE(log.queued(), 8u);
  EXPECT_EQ(log.written() + log.failed(), 0u);

  lock.release();
  for (auto& t : callers) t.join();
  EXPECT_EQ(answered.load(), kCallers * kEach);
  EXPECT_EQ(refused.load(), 0);
  EXPECT_EQ(log.failed(), 0u);
  EXPECT_EQ(log.written(), static_cast<uint64_t>(kCallers * kEach));
  EXPECT_EQ(logged_ids(dir / "store").size(), static_cast<size_t>(kCallers * kEach));
}

}  // namespace
}  // namespace credo::serve
