// Who may call what: bearer tokens with roles, read from `credo serve --token-file FILE`.
// Roles nest (admin > score > read); an endpoint names the lowest role it needs (endpoint
// catalogue). Without a token file everything is allowed, which the server permits only on
// loopback. Tokens are compared in constant time and never appear in a message.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "credo/base/status.h"

namespace credo::serve {

// The role an endpoint needs; each role includes the ones before it.
enum class Role {
  kNone = 0,   // no token needed: /health, /ready, /ping, /metrics, /openapi.json, /docs
  kRead = 1,   // model information, clients, population, explanations (GET endpoints)
  kScore = 2,  // scoring: POST /api/v1/score, /api/v1/score/batch, /invocations
  kAdmin = 3,  // POST /admin/reload, POST /api/v1/outcomes
};

// "none", "read", "score", "admin".
const char* role_name(Role role);
// The role of a name in a token file ("read", "score", "admin"), or nullopt.
std::optional<Role> parse_role(std::string_view name);

// The answer to one request's credentials.
struct Authorization {
  int http_status = 200;     // 200 allowed, 401 no valid token, 403 a valid token with too low a role
  std::string token_name;    // the token's name for the access log (empty when no token was needed)
  std::string message;       // why not, for the error body; never contains the token
  // For a 401 or 403: the WWW-Authenticate header to answer with (RFC 6750).
  std::string www_authenticate;

  bool allowed() const { return http_status == 200; }
};

class AccessTokens {
 public:
  // No token file: every request is allowed.
  AccessTokens() = default;

  // Reads a token file: one token per line, `ROLE TOKEN [NAME]` (the name is the rest of the
  // line, "line N" when absent), '#' comments and blank lines ignored. Refuses a file that group
  // or others may access (saying which chmod fixes it), an unknown role, a token shorter than
  // 32 characters or with characters a header cannot carry, a duplicate token, and a file with
  // no token; errors name the file and line.
  static StatusOr<AccessTokens> load(const std::filesystem::path& file);
  // The same checks on text already read (`source` names it in errors), without the file's mode.
  static StatusOr<AccessTokens> parse(std::string_view text, const std::string& source);

  // Whether tokens are checked at all (a token file was given).
  bool enforced() const { return !tokens_.empty(); }
  size_t size() const { return tokens_.size(); }

  // Checks an Authorization header value ("Bearer <token>"; empty when the header is absent)
  // against what the endpoint needs. The time taken does not depend on the tokens' contents.
  Authorization authorize(std::string_view authorization_header, Role required) const;

 private:
  struct Token {
    std::string secret;
    Role role = Role::kRead;
    std::string name;
  };
  std::vector<Token> tokens_;
};

}  // namespace credo::serve
