// What a route handler reads and writes: one HTTP request as received (method, path, query,
// headers, body) and the answer being built. Plain values, independent of the HTTP library, so
// the routes do not change when the transport does (serve/http_server.h owns the transport).
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace credo::serve {

using HttpFields = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;       // "GET", "POST", ...
  std::string path;         // decoded, without the query
  HttpFields params;        // the query's NAME=VALUE pairs, decoded, in order
  HttpFields headers;       // as received (names compared without case)
  std::string body;
  std::string remote_addr;  // the client's address, "127.0.0.1" or "::1"
  // The path's {parameters} of the matched endpoint: matches[0] is the path, matches[1] the first.
  std::vector<std::string> matches;

  bool has_param(std::string_view name) const;
  // The first value of the query parameter, or "".
  std::string get_param_value(std::string_view name) const;
  bool has_header(std::string_view name) const;
  // The first value of the header (name without case), or "".
  std::string get_header_value(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string body;
  std::string content_type;  // empty: no Content-Type
  HttpFields headers;        // besides Content-Type and Content-Length

  void set_content(std::string text, std::string_view type) {
    body = std::move(text);
    content_type = type;
  }
  void set_header(std::string name, std::string value) { headers.emplace_back(std::move(name), std::move(value)); }
};

// What the server knows about a request beyond its text, from its head to its access-log line.
struct RequestFacts {
  std::chrono::steady_clock::time_point start;  // when its head was read
  std::string request_id;    // its own, answered in X-Request-Id
  size_t route = 0;          // the matched endpoint (a catalogue index; the unmatched route otherwise)
  std::string token_name;    // who called, when tokens are enforced
};

// One request and its answer as they travel from the I/O thread to a worker and back.
struct HttpExchange {
  HttpRequest request;
  HttpResponse response;
  RequestFacts facts;
  bool answered = false;  // the response is complete (set by a head handler that answered early)
};

}  // namespace credo::serve
