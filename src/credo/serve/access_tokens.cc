// Token files are parsed line by line with errors naming file:line; a request's token is
// compared with every known token over every byte (no early exit, no lookup keyed by the token),
// so a wrong guess takes as long whichever of its bytes are right.
#include "credo/serve/access_tokens.h"


#include <cctype>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "credo/base/text.h"

namespace credo::serve {
namespace {

constexpr size_t kMinTokenChars = 32;
constexpr const char* kChallenge = "Bearer realm=\"credo\"";

std::string_view trimmed(std::string_view text) { return trim(text, " \t\r"); }

// The first word of `text` (up to a space or tab), and `text` moves past it.
std::string_view next_word(std::string_view& text) {
  text = trimmed(text);
  size_t end = text.find_first_of(" \t");
  std::string_view word = text.substr(0, end);
  text = end == std::string_view::npos ? std::string_view() : text.substr(end);
  return word;
}

// RFC 6750's b64token characters, which an Authorization header can carry as they are.
bool is_token_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~' || c == '+' || c == '/' || c == '=';
}

// Zero when `given` equals `secret`. Every byte of `secret` is visited whatever `given` holds, so
// the time depends on the lengths only (a `given` of another length is compared as `secret`
// itself, and the length difference alone makes it unequal).
unsigned difference(std::string_view secret, std::string_view given) {
  unsigned diff = secret.size() != given.size() ? 1u : 0u;
  const char* compared = secret.size() == given.size() ? given.data() : secret.data();
  for (size_t i = 0; i < secret.size(); ++i)
    diff |= static_cast<unsigned char>(secret[i]) ^ static_cast<unsigned char>(compared[i]);
  return diff;
}

Authorization unauthenticated(std::string message, const char* error) {
  Authorization answer;
  answer.http_status = 401;
  answer.message = std::move(message);
  answer.www_authenticate = error ? std::string(kChallenge) + ", error=\"" + error + "\"" : kChallenge;
  return answer;
}

}  // namespace

const char* role_name(Role role) {
  switch (role) {
    case Role::kNone: return "none";
    case Role::kRead: return "read";
    case Role::kScore: return "score";
    case Role::kAdmin: return "admin";
  }
  return "unknown";
}

std::optional<Role> parse_role(std::string_view name) {
  for (Role role : {Role::kRead, Role::kScore, Role::kAdmin})
    if (name == role_name(role)) return role;
  return std::nullopt;
}

StatusOr<AccessTokens> AccessTokens::parse(std::string_view text, const std::string& source) {
  AccessTokens tokens;
  std::vector<int> token_lines;
  int line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = trimmed(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    std::string where = source + ":" + std::to_string(line_number) + ": ";
    std::string_view role_word = next_word(line);
    std::optional<Role> role = parse_role(role_word);
    if (!role)
      return Status::InvalidArgument(where + "unknown role '" + std::string(role_word).substr(0, 20) +
                                     "' (expected read, score or admin, then the token)");
    std::string_view secret = next_word(line);
    if (secret.empty()) return Status::InvalidArgument(where + "no token after the role (expected ROLE TOKEN [NAME])");
    for (char c : secret)
      if (!is_token_char(c))
        return Status::InvalidArgument(where + "the token has a character other than letters, digits and - . _ ~ + / =");
    if (secret.size() < kMinTokenChars)
      return Status::InvalidArgument(where + "the token has " + std::to_string(secret.size()) + " characters; at least " +
                                     std::to_string(kMinTokenChars) + " are needed (e.g. openssl rand -hex 32)");
    for (size_t i = 0; i < tokens.tokens_.size(); ++i)
      if (tokens.tokens_[i].secret == secret)
        return Status::InvalidArgument(where + "the same token as line " + std::to_string(token_lines[i]));
    std::string name(trimmed(line));
    if (name.empty()) name = "line " + std::to_string(line_number);
    tokens.tokens_.push_back({std::string(secret), *role, std::move(name)});
    token_lines.push_back(line_number);
  }
  if (tokens.tokens_.empty())
    return Status::InvalidArgument(source + " has no token (lines are ROLE TOKEN [NAME]); to allow every request, "
                                   "leave out --token-file");
  return tokens;
}

StatusOr<AccessTokens> AccessTokens::load(const std::filesystem::path& file) {
  namespace fs = std::filesystem;
  std::error_code error;
  fs::file_status status = fs::status(file, error);
  if (error || !fs::exists(status)) return Status::NotFound("token file " + file.string() + " does not exist");
  if (!fs::is_regular_file(status)) return Status::InvalidArgument("token file " + file.string() + " is not a file");
  fs::perms open_to_others = status.permissions() & (fs::perms::group_all | fs::perms::others_all);
  if (open_to_others != fs::perms::none) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(status.permissions() & fs::perms::mask));
    return Status::FailedPrecondition("token file " + file.string() + " has mode " + mode +
                                      ": group or others may read it; make it private with: chmod 600 " +
                                      file.string());
  }
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  if (!in) return Status::IoError("cannot read token file " + file.string());
  return parse(text.str(), file.string());
}

Authorization AccessTokens::authorize(std::string_view authorization_header, Role required) const {
  if (required == Role::kNone || !enforced()) return {};
  std::string_view header = trimmed(authorization_header);
  if (header.empty())
    return unauthenticated("this endpoint needs a token: send the header 'Authorization: Bearer <token>'", nullptr);
  std::string_view scheme = next_word(header);
  std::string lowered(scheme);
  for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lowered != "bearer")
    return unauthenticated("the Authorization header must be 'Bearer <token>' (another scheme was sent)",
                           "invalid_request");
  std::string_view secret = next_word(header);
  if (secret.empty()) return unauthenticated("the Authorization header has no token after 'Bearer'", "invalid_request");
  if (!trimmed(header).empty())
    return unauthenticated("the Authorization header has more than one word after 'Bearer'", "invalid_request");

  size_t match = tokens_.size();
  for (size_t i = 0; i < tokens_.size(); ++i) match = difference(tokens_[i].secret, secret) == 0 ? i : match;
  if (match == tokens_.size()) return unauthenticated("the bearer token is not one this server knows", "invalid_token");

  const Token& token = tokens_[match];
  Authorization answer;
  answer.token_name = token.name;
  if (token.role < required) {
    answer.http_status = 403;
    answer.message = std::string("this endpoint needs the '") + role_name(required) + "' role; the token '" +
                     token.name + "' has the '" + role_name(token.role) + "' role";
    answer.www_authenticate = std::string(kChallenge) + ", error=\"insufficient_scope\"";
  }
  return answer;
}

}  // namespace credo::serve
