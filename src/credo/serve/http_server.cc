// libmicrohttpd (MHD) in its internal epoll threads with suspend/resume. A request goes:
// URI-log callback (its exchange is created) -> first access-handler call (the head: begin, the
// 414/431/413 checks, the head handler, which may answer at once) -> body calls (appended up to
// the limit; past it the 413 is written on the socket and the connection closed, as MHD cannot
// queue an answer mid-body) -> the last call suspends the connection and hands the exchange to a
// worker -> the worker resumes it -> the access handler queues the answer, its body zero-copy from
// the exchange, which lives until MHD reports the request completed.
//
// Deadlines: MHD's own timeout is per connection and reset by any byte, so a client trickling a
// byte every few seconds would never hit it. A watchdog thread checks each connection's phase
// (waiting for a head, reading a body, answering) against its deadline and shuts the socket down;
// MHD then sees the error and closes it. The watchdog and MHD's "connection closed" notification
// take the same lock, and MHD closes the descriptor only after that notification, so the
// watchdog never shuts down a descriptor number that another connection reused.
#include "credo/serve/http_server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_set>
#include <vector>

namespace credo::serve {
namespace {

using Clock = std::chrono::steady_clock;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now().time_since_epoch()).count();
}

// Where a connection is, for its deadline.
enum Phase : int { kWaitingForHead, kReadingBody, kHandling, kAnswering };

struct Connection {
  int fd = -1;
  std::atomic<int> phase{kWaitingForHead};
  std::atomic<int64_t> since_ms{0};
  bool shut = false;  // the watchdog shut it down (under the connections' lock)

  void enter(Phase p) {
    since_ms.store(now_ms(), std::memory_order_relaxed);
    phase.store(p, std::memory_order_release);
  }
};

struct Exchange : HttpExchange {
  MHD_Connection* connection = nullptr;
  Connection* socket = nullptr;
  size_t uri_bytes = 0;
  bool started = false, dispatched = false, queued = false;
  bool discarding = false;  // answered at its head; its short body is read and dropped first
};

// A request answered at its head whose declared body is at most this long has the body read and
// dropped before the answer: a client that writes its whole body before reading (most do) would
// otherwise see the connection reset under it and lose the answer. A longer or chunked body is
// not read: the answer goes at once and the connection closes.
constexpr uint64_t kMaxDiscardedBodyBytes = 4u << 20;

const char* reason_phrase(int status) {
  switch (status) {
    case 400: return "Bad Request";
    case 413: return "Payload Too Large";
    case 500: return "Internal Server Error";
    default: return "Error";
  }
}

}  // namespace

struct HttpServer::Impl {
  HttpLimits limits;
  HttpHandlers handlers;
  int listen_fd = -1;
  bool ipv6 = false;
  int port = 0;
  MHD_Daemon* daemon = nullptr;

  std::atomic<uint64_t> body_bytes{0};
  std::atomic<size_t> open{0};

  std::mutex connections_mutex;
  std::unordered_set<Connection*> connections;

  // The workers' queue.
  std::mutex queue_mutex;
  std::condition_variable queue_ready, queue_idle;
  std::deque<Exchange*> queue;
  size_t running = 0;  // exchanges being handled
  bool workers_stop = false;
  std::vector<std::thread> workers;

  std::mutex stop_mutex;
  std::condition_variable stop_requested;
  bool stopping = false;
  std::thread watchdog;

  Impl(HttpLimits l, HttpHandlers h) : limits(std::move(l)), handlers(std::move(h)) {}

  // --- MHD callbacks (static trampolines) ---

  static void* on_uri(void* cls, const char* uri, MHD_Connection* connection) {
    auto* exchange = new Exchange;
    exchange->uri_bytes = uri ? std::strlen(uri) : 0;
    exchange->connection = connection;
    return exchange;
  }

  static void on_connection(void* cls, MHD_Connection* connection, void** socket_context,
                            enum MHD_ConnectionNotificationCode code) {
    auto* self = static_cast<Impl*>(cls);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
      auto* c = new Connection;
      const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
      c->fd = info ? info->connect_fd : -1;
      c->enter(kWaitingForHead);
      *socket_context = c;
      std::lock_guard lock(self->connections_mutex);
      self->connections.insert(c);
      self->open.fetch_add(1);
    } else if (*socket_context) {
      auto* c = static_cast<Connection*>(*socket_context);
      {
        std::lock_guard lock(self->connections_mutex);
        self->connections.erase(c);
        self->open.fetch_sub(1);
      }
      delete c;
      *socket_context = nullptr;
    }
  }

  static void on_completed(void* cls, MHD_Connection* connection, void** request_context,
                           enum MHD_RequestTerminationCode) {
    auto* exchange = static_cast<Exchange*>(*request_context);
    if (exchange && exchange->socket) exchange->socket->enter(kWaitingForHead);
    delete exchange;
    *request_context = nullptr;
  }

  static MHD_Result on_request(void* cls, MHD_Connection* connection, const char* url, const char* method,
                               const char* version, const char* upload_data, size_t* upload_data_size,
                               void** request_context) {
    auto* self = static_cast<Impl*>(cls);
    auto* exchange = static_cast<Exchange*>(*request_context);
    if (!exchange) {  // MHD always calls on_uri first; kept for safety
      exchange = static_cast<Exchange*>(on_uri(cls, url, connection));
      *request_context = exchange;
    }
    if (!exchange->started) return self->read_head(*exchange, url, method) ? MHD_YES : MHD_NO;
    if (exchange->queued) {  // answered early: MHD reads no body
      *upload_data_size = 0;
      return MHD_YES;
    }
    if (exchange->discarding) {
      if (*upload_data_size == 0) return self->queue_answer(*exchange) ? MHD_YES : MHD_NO;
      self->body_bytes.fetch_add(*upload_data_size, std::memory_order_relaxed);
      *upload_data_size = 0;
      return MHD_YES;
    }
    if (*upload_data_size > 0) {
      size_t size = *upload_data_size;
      *upload_data_size = 0;
      self->body_bytes.fetch_add(size, std::memory_order_relaxed);
      if (exchange->request.body.size() + size > self->limits.max_body_bytes) {
        self->refuse_mid_body(*exchange);
        return MHD_NO;  // MHD closes the connection
      }
      exchange->request.body.append(upload_data, size);
      return MHD_YES;
    }
    if (!exchange->dispatched) {
      exchange->dispatched = true;
      exchange->socket->enter(kHandling);
      MHD_suspend_connection(connection);
      self->dispatch(exchange);
      return MHD_YES;
    }
    return self->queue_answer(*exchange) ? MHD_YES : MHD_NO;
  }

  // --- the request's steps ---

  static MHD_Result collect_field(void* cls, enum MHD_ValueKind, const char* key, const char* value) {
    static_cast<HttpFields*>(cls)->emplace_back(key ? key : "", value ? value : "");
    return MHD_YES;
  }

  bool read_head(Exchange& exchange, const char* url, const char* method) {
    exchange.started = true;
    MHD_Connection* connection = exchange.connection;
    const MHD_ConnectionInfo* context = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
    exchange.socket = context ? static_cast<Connection*>(context->socket_context) : nullptr;
    if (!exchange.socket) return false;
    exchange.socket->enter(kReadingBody);
    HttpRequest& request = exchange.request;
    request.method = method;
    request.path = url;
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, &collect_field, &request.params);
    MHD_get_connection_values(connection, MHD_HEADER_KIND, &collect_field, &request.headers);
    if (const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS)) {
      char text[INET6_ADDRSTRLEN] = "";
      const sockaddr* address = info->client_addr;
      if (address->sa_family == AF_INET)
        inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
      else if (address->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text, sizeof text);
      request.remote_addr = text;
    }
    handlers.begin(exchange);
    size_t head_bytes = 0;
    if (const MHD_ConnectionInfo* info = MHD_get_connection_info(connection, MHD_CONNECTION_INFO_REQUEST_HEADER_SIZE))
      head_bytes = info->header_size;
    std::string length = request.get_header_value("Content-Length");
    uint64_t declared = 0;
    auto [end, error] = std::from_chars(length.data(), length.data() + length.size(), declared);
    bool has_length = !length.empty() && error == std::errc() && end == length.data() + length.size() &&
                      !request.has_header("Transfer-Encoding");
    if (exchange.uri_bytes > limits.max_uri_bytes) {
      handlers.refuse(exchange, 414, "the request target is longer than " + std::to_string(limits.max_uri_bytes) + " bytes");
    } else if (head_bytes > limits.max_head_bytes) {
      handlers.refuse(exchange, 431, "the request headers are larger than " + std::to_string(limits.max_head_bytes) + " bytes");
    } else {
      handlers.head(exchange);
      if (!exchange.answered && has_length && declared > limits.max_body_bytes)
        handlers.refuse(exchange, 413, "the request body is larger than " + std::to_string(limits.max_body_bytes) + " bytes");
    }
    if (!exchange.answered) return true;
    if (has_length && declared > 0 && declared <= kMaxDiscardedBodyBytes) {
      exchange.discarding = true;
      return true;
    }
    return queue_answer(exchange);
  }

  // MHD cannot queue an answer once it reads a body: the 413 goes straight onto the socket (a few
  // hundred bytes, which a fresh connection's send buffer takes at once), then the connection closes.
  void refuse_mid_body(Exchange& exchange) {
    handlers.refuse(exchange, 413, "the request body is larger than " + std::to_string(limits.max_body_bytes) + " bytes");
    const HttpResponse& response = exchange.response;
    std::string text = "HTTP/1.1 " + std::to_string(response.status) + " " + reason_phrase(response.status) + "\r\n";
    if (!response.content_type.empty()) text += "Content-Type: " + response.content_type + "\r\n";
    for (const auto& [name, value] : response.headers) text += name + ": " + value + "\r\n";
    text += "Connection: close\r\nContent-Length: " + std::to_string(response.body.size()) + "\r\n\r\n" + response.body;
    ssize_t sent = ::send(exchange.socket->fd, text.data(), text.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    (void)sent;
    ::shutdown(exchange.socket->fd, SHUT_WR);
    exchange.queued = true;
    handlers.answered(exchange);
  }

  bool queue_answer(Exchange& exchange) {
    HttpResponse& response = exchange.response;
    // The body stays in the exchange until MHD reports the request completed: no copy.
    MHD_Response* answer = MHD_create_response_from_buffer(response.body.size(), response.body.data(),
                                                           MHD_RESPMEM_PERSISTENT);
    if (!answer) return false;
    if (!response.content_type.empty()) MHD_add_response_header(answer, "Content-Type", response.content_type.c_str());
    for (const auto& [name, value] : response.headers) MHD_add_response_header(answer, name.c_str(), value.c_str());
    exchange.queued = true;
    exchange.socket->enter(kAnswering);
    MHD_Result queued = MHD_queue_response(exchange.connection, static_cast<unsigned>(response.status), answer);
    MHD_destroy_response(answer);
    handlers.answered(exchange);
    return queued == MHD_YES;
  }

  // --- the workers ---

  void dispatch(Exchange* exchange) {
    {
      std::lock_guard lock(queue_mutex);
      queue.push_back(exchange);
    }
    queue_ready.notify_one();
  }

  void work() {
    std::unique_lock lock(queue_mutex);
    while (true) {
      queue_ready.wait(lock, [&] { return workers_stop || !queue.empty(); });
      if (queue.empty()) return;
      Exchange* exchange = queue.front();
      queue.pop_front();
      ++running;
      lock.unlock();
      try {
        handlers.request(*exchange);
      } catch (...) {
        handlers.refuse(*exchange, 500, "internal error");
      }
      MHD_resume_connection(exchange->connection);
      lock.lock();
      --running;
      if (running == 0 && queue.empty()) queue_idle.notify_all();
    }
  }

  // --- the deadlines ---

  void watch() {
    const int64_t head = limits.head_timeout.count(), body = limits.body_timeout.count(),
                  answer = limits.answer_timeout.count();
    auto period = std::chrono::milliseconds(std::clamp<int64_t>(std::min({head, body, answer}) / 4, 10, 250));
    std::unique_lock stop_lock(stop_mutex);
    while (!stop_requested.wait_for(stop_lock, period, [&] { return stopping; })) {
      int64_t now = now_ms();
      std::lock_guard lock(connections_mutex);
      for (Connection* c : connections) {
        if (c->shut) continue;
        int64_t waited = now - c->since_ms.load(std::memory_order_relaxed);
        int phase = c->phase.load(std::memory_order_acquire);
        bool late = (phase == kWaitingForHead && waited > head) || (phase == kReadingBody && waited > body) ||
                    (phase == kAnswering && waited > answer);
        if (!late) continue;
        c->shut = true;
        ::shutdown(c->fd, SHUT_RDWR);
      }
    }
  }
};

HttpServer::HttpServer(HttpLimits limits, HttpHandlers handlers)
    : impl_(std::make_unique<Impl>(std::move(limits), std::move(handlers))) {}

HttpServer::~HttpServer() {
  stop();
  if (impl_->listen_fd >= 0) ::close(impl_->listen_fd);
}

int HttpServer::port() const { return impl_->port; }
uint64_t HttpServer::body_bytes_received() const { return impl_->body_bytes.load(); }
size_t HttpServer::open_connections() const { return impl_->open.load(); }

Status HttpServer::bind(const std::string& host, int port) {
  std::string where = host + ":" + (port == 0 ? std::string("any port") : std::to_string(port));
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (int error = ::getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found); error != 0)
    return Status::IoError("cannot listen on " + where + ": " + gai_strerror(error));
  std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> addresses(found, &::freeaddrinfo);
  for (addrinfo* a = found; a; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
    if (fd < 0) continue;
    int on = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) != 0 || ::listen(fd, 1024) != 0) {
      ::close(fd);
      continue;
    }
    sockaddr_storage bound{};
    socklen_t length = sizeof bound;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
    impl_->ipv6 = bound.ss_family == AF_INET6;
    impl_->port = ntohs(impl_->ipv6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                    : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
    impl_->listen_fd = fd;
    return Status::Ok();
  }
  return Status::IoError("cannot listen on " + where + " (is the port taken, or the address not one of this machine's?)");
}

Status HttpServer::serve() {
  Impl& s = *impl_;
  if (s.listen_fd < 0) return Status::FailedPrecondition("serve() before a successful bind()");
  {
    std::lock_guard lock(s.stop_mutex);
    if (s.stopping) return Status::Ok();
  }
  unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME;
  if (s.ipv6) flags |= MHD_USE_IPv6;
  s.daemon = MHD_start_daemon(
      flags, 0, nullptr, nullptr, &Impl::on_request, &s,                                          //
      MHD_OPTION_LISTEN_SOCKET, static_cast<MHD_socket>(s.listen_fd),                            //
      MHD_OPTION_THREAD_POOL_SIZE, static_cast<unsigned>(std::max(1, s.limits.io_threads)),      //
      MHD_OPTION_CONNECTION_LIMIT, static_cast<unsigned>(std::max(1, s.limits.max_connections)),  //
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, static_cast<unsigned>(std::max(0, s.limits.max_connections_per_address)),
      MHD_OPTION_CONNECTION_TIMEOUT, static_cast<unsigned>(std::max(1, s.limits.idle_timeout_seconds)),
      // Room for the largest head accepted (max_head_bytes) and the body read buffer.
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, static_cast<size_t>(std::max<size_t>(65536, 2 * s.limits.max_head_bytes + 16384)),
      MHD_OPTION_URI_LOG_CALLBACK, &Impl::on_uri, &s,                      //
      MHD_OPTION_NOTIFY_CONNECTION, &Impl::on_connection, &s,              //
      MHD_OPTION_NOTIFY_COMPLETED, &Impl::on_completed, &s,                //
      MHD_OPTION_END);
  if (!s.daemon) return Status::IoError("the HTTP server could not start (libmicrohttpd refused its options)");
  for (int i = 0; i < std::max(1, s.limits.worker_threads); ++i) s.workers.emplace_back([&s] { s.work(); });
  s.watchdog = std::thread([&s] { s.watch(); });
  {
    std::unique_lock lock(s.stop_mutex);
    s.stop_requested.wait(lock, [&] { return s.stopping; });
  }
  // Stop accepting, let the requests in flight finish (a handler that never returns is left after
  // a few seconds), then close every connection.
  MHD_socket listening = MHD_quiesce_daemon(s.daemon);
  {
    std::unique_lock lock(s.queue_mutex);
    s.queue_idle.wait_for(lock, std::chrono::seconds(5), [&] { return s.queue.empty() && s.running == 0; });
  }
  // Give the answers just resumed a moment to be written.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  MHD_stop_daemon(s.daemon);
  s.daemon = nullptr;
  if (listening != MHD_INVALID_SOCKET) ::close(listening);
  s.listen_fd = -1;
  {
    std::lock_guard lock(s.queue_mutex);
    s.workers_stop = true;
  }
  s.queue_ready.notify_all();
  for (std::thread& worker : s.workers) worker.join();
  s.workers.clear();
  s.watchdog.join();
  return Status::Ok();
}

void HttpServer::stop() {
  {
    std::lock_guard lock(impl_->stop_mutex);
    impl_->stopping = true;
  }
  impl_->stop_requested.notify_all();
}

}  // namespace credo::serve
