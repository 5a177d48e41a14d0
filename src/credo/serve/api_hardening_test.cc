// The service under the abuse the review tried, over real sockets on loopback: clients trickling
// their headers, idling on keep-alive, opening too many connections, sending endless chunked
// bodies or bodies without a token; numbers beyond a double; wrong content types and methods;
// oversized request lines and headers. Each test has the configured limits short, so it runs in
// a few seconds.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "credo/serve/api_testing.h"

namespace credo::serve {
namespace {

using testing::ApiTest;
using testing::json;
using testing::ServedApi;
using Clock = std::chrono::steady_clock;

// A raw TCP connection to the server, for what an HTTP client library would not send.
class RawConnection {
 public:
  explicit RawConnection(int port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_port = htons(static_cast<uint16_t>(port));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  }
  ~RawConnection() {
    if (fd_ >= 0) ::close(fd_);
  }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }
  // False once the peer closed or reset the connection.
  bool send(std::string_view text) {
    while (!text.empty()) {
      ssize_t sent = ::send(fd_, text.data(), text.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      text.remove_prefix(static_cast<size_t>(sent));
    }
    return true;
  }
  bool readable(int timeout_ms) const {
    pollfd p{fd_, POLLIN, 0};
    return ::poll(&p, 1, timeout_ms) == 1;
  }
  // What arrives within `timeout_ms` until the peer closes (or the answer's end, once a full
  // response head and Content-Length body are in).
  std::string receive(int timeout_ms) {
    std::string text;
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Clock::now() < deadline) {
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
      if (!readable(std::max(left, 1))) break;
      char buffer[65536];
      ssize_t got = ::recv(fd_, buffer, sizeof buffer, 0);
      if (got <= 0) {
        closed_ = true;
        break;
      }
      text.append(buffer, static_cast<size_t>(got));
      if (complete(text)) break;
    }
    return text;
  }
  // Whether the peer has closed the connection (waiting up to `timeout_ms`).
  bool closed_by_peer(int timeout_ms) {
    if (closed_) return true;
    auto deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
    while (Clock::now() < deadline) {
      if (!readable(10)) continue;
      char buffer[4096];
      ssize_t got = ::recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT);
      if (got == 0 || (got < 0 && errno != EAGAIN)) return closed_ = true;
    }
    return false;
  }

 private:
  static bool complete(const std::string& text) {
    size_t head_end = text.find("\r\n\r\n");
    if (head_end == std::string::npos) return false;
    size_t at = text.find("Content-Length: ");
    if (at == std::string::npos || at > head_end) return false;
    return text.size() >= head_end + 4 + std::stoul(text.substr(at + 16));
  }

  int fd_ = -1;
  bool connected_ = false, closed_ = false;
};

int status_of(const std::string& answer) {
  return answer.rfind("HTTP/1.1 ", 0) == 0 ? std::atoi(answer.c_str() + 9) : 0;
}

std::string header_of(const std::string& answer, const std::string& name) {
  size_t at = answer.find("\r\n" + name + ": ");
  if (at == std::string::npos) return "";
  size_t start = at + name.size() + 4;
  return answer.substr(start, answer.find("\r\n", start) - start);
}

json body_of(const std::string& answer) {
  size_t at = answer.find("\r\n\r\n");
  return at == std::string::npos ? json() : json::parse(answer.substr(at + 4), nullptr, false);
}

// How long a GET takes to be answered 200, in seconds (a large number when it is not).
double seconds_to_answer(const ServedApi& api, const std::string& path) {
  auto start = Clock::now();
  httplib::Client client("127.0.0.1", api.port());
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(5, 0);
  auto res = client.Get(path);
  if (!res || res->status != 200) return 1e9;
  return std::chrono::duration<double>(Clock::now() - start).count();
}

TEST(ApiHardeningTest, SlowHeadersHoldNoWorkerAndAreClosedAtTheHeadDeadline) {
  ServerOptions options;
  options.limits.head_timeout = std::chrono::milliseconds(1000);
  options.limits.worker_threads = 4;
  ServedApi api(std::move(options));
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  std::string score = "/api/v1/clients/" + std::to_string(api.service().current()->clients->matrix().id(0)) + "/score";

  // 100 clients send a request head a byte every 200 ms: more than the workers, many times over.
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 100; ++i) {
    slow.push_back(std::make_unique<RawConnection>(api.port()));
    ASSERT_TRUE(slow.back()->connected());
  }
  const std::string head = "GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: trickle trickle trickle\r\n\r\n";
  auto start = Clock::now();
  for (size_t byte = 0; byte < 8; ++byte) {
    for (auto& c : slow) c->send(head.substr(byte, 1));
    EXPECT_LT(seconds_to_answer(api, "/health"), 1.0);
    EXPECT_LT(seconds_to_answer(api, score), 1.0);
    std::this_thread::sleep_for(std::chrono::milliseconds(200) - (Clock::now() - start) % std::chrono::milliseconds(200));
  }
  // 1.6 s in, past the 1 s head deadline: every slow client was closed without an answer.
  int closed = 0;
  for (auto& c : slow) closed += c->closed_by_peer(1000) ? 1 : 0;
  EXPECT_EQ(closed, 100);
  EXPECT_LT(seconds_to_answer(api, "/health"), 1.0);
}

TEST(ApiHardeningTest, ASlowBodyIsClosedAtTheBodyDeadline) {
  ServerOptions options;
  options.limits.body_timeout = std::chrono::milliseconds(800);
  ServedApi api(std::move(options));
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  RawConnection c(api.port());
  ASSERT_TRUE(c.send("POST /api/v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Content-Length: 100\r\n\r\n{"));
  auto start = Clock::now();
  bool closed = false;
  // A byte every 100 ms keeps the connection busy (no idle timeout) but the body never ends in time.
  for (int i = 0; i < 30 && !closed; ++i) {
    c.send(" ");
    closed = c.closed_by_peer(100);
  }
  EXPECT_TRUE(closed);
  double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_GT(seconds, 0.7);
  EXPECT_LT(seconds, 2.0);
}

TEST(ApiHardeningTest, IdleKeepAliveConnectionsLeaveNewClientsServed) {
  ServerOptions options;
  options.limits.max_connections_per_address = 0;  // on loopback every client has one address
  options.limits.worker_threads = 4;
  ServedApi api(std::move(options));
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 320; ++i) {
    idle.push_back(std::make_unique<RawConnection>(api.port()));
    ASSERT_TRUE(idle.back()->connected());
    ASSERT_TRUE(idle.back()->send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
  }
  for (auto& c : idle) ASSERT_EQ(status_of(c->receive(2000)), 200);
  // 320 connections now idle on keep-alive, 80 times the workers: new clients are served at once.
  for (int i = 0; i < 5; ++i) EXPECT_LT(seconds_to_answer(api, "/health"), 1.0);
  EXPECT_GE(api.server().transport().open_connections(), 320u);
}

TEST(ApiHardeningTest, ConnectionsPerAddressAreCapped) {
  ServerOptions options;
  options.limits.max_connections_per_address = 5;
  ServedApi api(std::move(options));
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  std::vector<std::unique_ptr<RawConnection>> held;
  for (int i = 0; i < 5; ++i) {
    held.push_back(std::make_unique<RawConnection>(api.port()));
    ASSERT_TRUE(held.back()->send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
    ASSERT_EQ(status_of(held.back()->receive(2000)), 200);
  }
  RawConnection sixth(api.port());
  sixth.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_TRUE(sixth.closed_by_peer(1000));
  held.pop_back();  // one leaves: a new one is served
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  RawConnection next(api.port());
  ASSERT_TRUE(next.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_EQ(status_of(next.receive(2000)), 200);
}

// Sends a chunked body in 64 KB chunks until the server answers (or `max_bytes`); returns the
// answer and the body bytes sent.
std::pair<std::string, size_t> send_chunked(RawConnection& c, size_t max_bytes) {
  const std::string chunk = "10000\r\n" + std::string(65536, ' ') + "\r\n";
  size_t sent = 0;
  while (sent < max_bytes && !c.readable(0)) {
    if (!c.send(chunk)) break;
    sent += 65536;
  }
  return {c.receive(2000), sent};
}

TEST(ApiHardeningTest, AnEndlessChunkedBodyIsRefusedAtTheLimit) {
  ServedApi api;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  uint64_t before = api.server().transport().body_bytes_received();
  RawConnection c(api.port());
  ASSERT_TRUE(c.send("POST /api/v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                     "Transfer-Encoding: chunked\r\n\r\n"));
  auto [answer, sent] = send_chunked(c, 256u << 20);
  EXPECT_EQ(status_of(answer), 413) << answer.substr(0, 300);
  EXPECT_EQ(body_of(answer)["error"]["code"], "PAYLOAD_TOO_LARGE");
  EXPECT_EQ(header_of(answer, "X-Request-Id").size(), 16u);
  // The server read the limit (1 MB) and a buffer more, not the 256 MB offered; what the client
  // managed to send beyond is what the sockets' buffers hold.
  uint64_t read = api.server().transport().body_bytes_received() - before;
  EXPECT_GT(read, 1u << 20);
  EXPECT_LT(read, (1u << 20) + (256u << 10));
  EXPECT_LT(sent, 64u << 20);
  EXPECT_TRUE(c.closed_by_peer(1000));
  EXPECT_LT(seconds_to_answer(api, "/health"), 1.0);
}

TEST(ApiHardeningTest, NoTokenIsRefusedBeforeAnyBodyIsRead) {
  auto tokens = AccessTokens::parse("score " + std::string(40, 's') + " app\n", "tokens");
  ASSERT_TRUE(tokens.ok()) << tokens.status().to_string();
  ServerOptions options;
  options.tokens = std::move(*tokens);
  ServedApi api(std::move(options));
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  uint64_t before = api.server().transport().body_bytes_received();
  for (const char* framing : {"Transfer-Encoding: chunked", "Content-Length: 104857600"}) {
    RawConnection c(api.port());
    ASSERT_TRUE(c.send(std::string("POST /api/v1/score HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n") +
                       framing + "\r\n\r\n"));
    std::string answer = c.receive(2000);  // not a byte of the body sent
    EXPECT_EQ(status_of(answer), 401) << answer.substr(0, 300);
    EXPECT_EQ(body_of(answer)["error"]["code"], "UNAUTHENTICATED");
  }
  EXPECT_EQ(api.server().transport().body_bytes_received(), before);
}

TEST_F(ApiTest, NumbersBeyondADoubleAre422NamingTheirPath) {
  auto post_text = [](const std::string& path, const std::string& body) {
    auto res = api().client().Post(path, body, "application/json");
    EXPECT_TRUE(res) << path;
    return res ? std::make_pair(res->status, json::parse(res->body, nullptr, false)) : std::make_pair(0, json());
  };
  int64_t known = model()->clients->matrix().id(0);
  struct Case {
    std::string path, body, where;
  };
  for (const Case& c : std::vector<Case>{
           {"/api/v1/score", R"({"application": {"AMT_CREDIT": 1e999}})", "body.application.AMT_CREDIT"},
           {"/api/v1/score/batch", R"({"applications": [{"client_id": 1}, {"application": {"AMT_CREDIT": -1e999}}]})",
            "body.applications[1].application.AMT_CREDIT"},
           {"/api/v1/explanation", R"({"application": {"AMT_ANNUITY": 2E+400}})", "body.application.AMT_ANNUITY"},
           {"/api/v1/outcomes", R"({"client_id": )" + std::to_string(known) + R"(, "defaulted": 1e999})", "body.defaulted"}}) {
    auto [status, answer] = post_text(c.path, c.body);
    EXPECT_EQ(status, 422) << c.path << ": " << answer;
    EXPECT_EQ(answer["error"]["code"], "UNPROCESSABLE") << c.path;
    EXPECT_NE(answer["error"]["message"].get<std::string>().find(c.where + ": the number"), std::string::npos)
        << c.path << ": " << answer;
  }
}

TEST_F(ApiTest, BodiesOtherThanJsonAre415) {
  // curl -d sends application/x-www-form-urlencoded: refused for its type, whatever its size.
  auto form = api().client().Post("/api/v1/score", std::string(10000, 'a'), "application/x-www-form-urlencoded");
  ASSERT_TRUE(form);
  EXPECT_EQ(form->status, 415);
  json error = json::parse(form->body);
  EXPECT_EQ(error["error"]["code"], "UNSUPPORTED_MEDIA_TYPE");
  EXPECT_NE(error["error"]["message"].get<std::string>().find("application/json"), std::string::npos) << error;
  auto plain = api().client().Post("/invocations", "a,b\n1,2\n", "text/plain");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->status, 415);
  EXPECT_NE(plain->body.find("text/csv"), std::string::npos) << plain->body;
  auto charset = api().client().Post("/api/v1/score", json{{"client_id", model()->clients->matrix().id(0)}}.dump(),
                                     "application/json; charset=utf-8");
  ASSERT_TRUE(charset);
  EXPECT_EQ(charset->status, 200) << charset->body;
}

TEST_F(ApiTest, OtherMethodsOnAKnownPathAre405WithAllow) {
  auto put = api().client().Put("/api/v1/score", "{}", "application/json");
  ASSERT_TRUE(put);
  EXPECT_EQ(put->status, 405);
  EXPECT_EQ(put->get_header_value("Allow"), "POST");
  EXPECT_EQ(json::parse(put->body)["error"]["code"], "METHOD_NOT_ALLOWED");
  auto del = api().client().Delete("/health");
  ASSERT_TRUE(del);
  EXPECT_EQ(del->status, 405);
  EXPECT_EQ(del->get_header_value("Allow"), "GET, HEAD");
  auto get = api().client().Get("/api/v1/score");
  ASSERT_TRUE(get);
  EXPECT_EQ(get->status, 405);
  auto unknown = api().client().Delete("/api/v1/nothing");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
}

TEST_F(ApiTest, OversizedRequestLinesAndHeadsAnswerWithTheirOwnId) {
  RawConnection c(api().port());
  ASSERT_TRUE(c.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string first = c.receive(2000);
  ASSERT_EQ(status_of(first), 200);
  std::string first_id = header_of(first, "X-Request-Id");
  ASSERT_EQ(first_id.size(), 16u);
  ASSERT_TRUE(c.send("GET /health?pad=" + std::string(10000, 'p') + " HTTP/1.1\r\nHost: x\r\n\r\n"));
  std::string long_uri = c.receive(2000);
  EXPECT_EQ(status_of(long_uri), 414) << long_uri.substr(0, 200);
  std::string uri_id = header_of(long_uri, "X-Request-Id");
  EXPECT_EQ(uri_id.size(), 16u);
  EXPECT_NE(uri_id, first_id);
  EXPECT_EQ(body_of(long_uri)["error"]["request_id"], uri_id);
  EXPECT_EQ(body_of(long_uri)["error"]["code"], "URI_TOO_LONG");

  RawConnection d(api().port());
  ASSERT_TRUE(d.send("GET /health HTTP/1.1\r\nHost: x\r\nX-Pad: " + std::string(20000, 'h') + "\r\n\r\n"));
  std::string big_head = d.receive(2000);
  EXPECT_EQ(status_of(big_head), 431) << big_head.substr(0, 200);
  std::string head_id = header_of(big_head, "X-Request-Id");
  EXPECT_EQ(head_id.size(), 16u);
  EXPECT_NE(head_id, first_id);
  EXPECT_NE(head_id, uri_id);
  EXPECT_EQ(body_of(big_head)["error"]["request_id"], head_id);
  EXPECT_EQ(body_of(big_head)["error"]["code"], "HEADERS_TOO_LARGE");
}

TEST(ApiHardeningTest, AFailedReloadSaysNoPath) {
  ServedApi api;
  ASSERT_FALSE(::testing::Test::HasFatalFailure());
  // The alias names a version whose registered files are gone.
  ASSERT_TRUE(api.store().set_alias("credit-default", "champion", 2, "test", "promote the challenger").ok());
  namespace fs = std::filesystem;
  std::vector<fs::path> files;  // every registered and logged file; the database stays
  for (const auto& entry : fs::recursive_directory_iterator(api.dir() / "store"))
    if (entry.is_regular_file() && entry.path().filename().string().rfind("store.db", 0) != 0) files.push_back(entry.path());
  int removed = 0;
  for (const fs::path& path : files) {
    fs::permissions(path.parent_path(), fs::perms::owner_all, fs::perm_options::add);
    removed += fs::remove(path) ? 1 : 0;
  }
  ASSERT_GT(removed, 0);
  auto [status, answer] = api.post("/admin/reload", json::object());
  EXPECT_EQ(status, 503) << answer;
  EXPECT_EQ(answer.dump().find(api.dir().string()), std::string::npos) << answer;
  EXPECT_EQ(answer["error"]["message"].get<std::string>().find('/'), std::string::npos) << answer;  // no path at all
  EXPECT_EQ(api.get("/api/v1/model").second["version"], 1);  // still serving the previous version
}

}  // namespace
}  // namespace credo::serve
