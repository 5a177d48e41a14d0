// The scoring API over HTTP (transport: serve/http_server.h): routes, JSON answers and errors,
// request ids, bearer tokens, limits, metrics and the access log. It owns no model logic: every answer comes from
// the ScoringService. Listens on 127.0.0.1 unless told otherwise.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "credo/base/status.h"
#include "credo/serve/access_tokens.h"
#include "credo/serve/http_server.h"
#include "credo/serve/prediction_log.h"
#include "credo/serve/scoring_service.h"
#include "credo/store/store.h"

namespace credo::serve {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;                     // 0: a free port chosen by the system (see ApiServer::port)
  // Body, head and URI sizes, the head, body and answer deadlines, idle time, connections in
  // total and per client address, I/O and worker threads (limits.worker_threads: --workers).
  HttpLimits limits;
  FILE* access_log = stderr;           // one JSON line per request, written off the request path; nullptr for none
  AccessTokens tokens;                 // none: every request allowed (loopback only)
};

// What a reload did.
struct ReloadResult {
  bool reloaded = false;
  int from_version = 0, to_version = 0;
};

class ApiServer {
 public:
  // Every scoring answer is recorded in `log` when given (it must outlive the server); `store`
  // is where reloads resolve the model and outcomes are recorded.
  ApiServer(ScoringService& service, store::Store& store, ServerOptions options, PredictionLog* log = nullptr);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds the listening socket; an error names the address when it is taken or not local.
  Status bind();
  // The bound port (after bind()).
  int port() const { return port_; }
  // Serves until stop() is called (from another thread or a signal handler's thread); returns
  // once the requests in flight are answered and the access log is written out.
  Status serve();
  void stop();
  // The transport, for its counters.
  const HttpServer& transport() const;

  // Loads the version the model URI names now and swaps it in when it is another one than the
  // one served (or always with `force`). Requests in flight finish on the old version. One
  // reload at a time; the others wait for it.
  StatusOr<ReloadResult> reload(bool force = false);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace credo::serve
