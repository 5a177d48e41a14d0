// The scoring API over HTTP (cpp-httplib): routes, JSON answers and errors, request ids, limits
// and the access log. It owns no model logic: every answer comes from the ScoringService.
// Listens on 127.0.0.1 unless told otherwise.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "credo/base/status.h"
#include "credo/serve/prediction_log.h"
#include "credo/serve/scoring_service.h"

namespace credo::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                     // 0: a free port chosen by the system (see ApiServer::port)
  size_t max_body_bytes = 1u << 20;    // larger bodies get 413
  int read_timeout_seconds = 5;        // for headers and body
  int write_timeout_seconds = 5;
  int worker_threads = 8;              // the bounded pool serving connections
  FILE* access_log = stderr;           // one JSON line per request; nullptr for none
};

class ApiServer {
 public:
  // Every scoring answer is recorded in `log` when given (it must outlive the server).
  ApiServer(ScoringService& service, ServerOptions options, PredictionLog* log = nullptr);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds the listening socket; an error names the address when it is taken or not local.
  Status bind();
  // The bound port (after bind()).
  int port() const { return port_; }
  // Serves until stop() is called (from another thread or a signal handler's thread).
  Status serve();
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace credo::serve
