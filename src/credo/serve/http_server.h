// The HTTP transport of the scoring service, the one adapter around GNU libmicrohttpd. It is
// event-driven: a few I/O threads read and write every connection, so an open connection costs a
// buffer, not a thread, and a slow or idle client never holds a worker. A request's head must
// arrive within a deadline of its connection opening (or of the previous answer on a keep-alive
// connection), its body within another; idle connections are closed, and the connections per
// client address and in total are capped. Handlers run on a bounded pool of workers (they may
// block) while their connection waits, suspended, for the answer.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "credo/base/status.h"
#include "credo/serve/http_message.h"

namespace credo::serve {

struct HttpLimits {
  size_t max_body_bytes = 1u << 20;   // a longer body gets 413 as soon as it is passed, chunked or not
  size_t max_uri_bytes = 8192;        // a longer request target gets 414
  size_t max_head_bytes = 16384;      // a larger request head gets 431
  // A request's head (request line and headers) must be complete within this of the connection
  // opening or of the previous answer on the connection (so it also caps keep-alive idling).
  std::chrono::milliseconds head_timeout{10000};
  std::chrono::milliseconds body_timeout{30000};    // from the head to the body's last byte
  std::chrono::milliseconds answer_timeout{30000};  // for the client to take the whole answer
  int idle_timeout_seconds = 5;       // a connection with no traffic at all for this long is closed
  int max_connections = 1000;         // in total; more are closed at once
  // Per client address (0: no cap). Behind a proxy or on loopback every client shares one address,
  // so the default leaves room for a load generator's connections.
  int max_connections_per_address = 256;
  int io_threads = 2;                 // threads reading and writing connections
  int worker_threads = 64;            // threads running handlers
};

struct HttpHandlers {
  // First, on an I/O thread, for every request: gives it its facts (its own request id).
  std::function<void(HttpExchange&)> begin;
  // Then, on an I/O thread, before any body byte is read: may answer at once (exchange.answered),
  // e.g. an error for a missing token; must not block.
  std::function<void(HttpExchange&)> head;
  // On a worker, with the whole body: fills exchange.response.
  std::function<void(HttpExchange&)> request;
  // Fills the answer for a refusal the transport decides (413, 414, 431, a 500 for a handler
  // that threw): `status` and a message for the caller.
  std::function<void(HttpExchange&, int status, const std::string& message)> refuse;
  // Once per answer, when it is handed to the connection (the access log and metrics).
  std::function<void(const HttpExchange&)> answered;
};

class HttpServer {
 public:
  HttpServer(HttpLimits limits, HttpHandlers handlers);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Resolves `host` and listens on its first address that binds; `port` 0 takes a free one.
  Status bind(const std::string& host, int port);
  int port() const;
  // Serves until stop(); then stops accepting, lets the requests in flight be answered (a few
  // seconds at most) and closes every connection.
  Status serve();
  // Safe from any thread, any number of times.
  void stop();

  // Request-body bytes received since the start (bodies refused early count what was read).
  uint64_t body_bytes_received() const;
  // Connections open now.
  size_t open_connections() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace credo::serve
