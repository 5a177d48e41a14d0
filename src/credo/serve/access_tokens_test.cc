// Pins bearer tokens: token files accepted and refused (each error names file:line and never the
// token), the file's mode, every answer of authorize() for each role against each need, headers
// malformed in each way, and that no message ever carries a token.
#include "credo/serve/access_tokens.h"

#include <gtest/gtest.h>

#include <fstream>

#include "credo/base/temp_dir.h"

namespace credo::serve {
namespace {

const std::string kReadToken = "r-0123456789abcdef0123456789abcdef";
const std::string kScoreToken = "s-0123456789abcdef0123456789abcdef";
const std::string kAdminToken = "a-0123456789abcdef0123456789abcdef";

std::string token_file_text() {
  return "# credo tokens\n"
         "\n"
         "read " + kReadToken + " dashboard team\n"
         "  score\t" + kScoreToken + "\r\n"
         "admin " + kAdminToken + " ops\n";
}

AccessTokens sample_tokens() { return AccessTokens::parse(token_file_text(), "tokens.txt").value(); }

struct FileCase {
  std::string text;
  std::string error;  // a part of the message; empty when the file is accepted
};

TEST(AccessTokens, ChecksEachLineOfATokenFile) {
  const std::string long_token(40, 'x');
  const FileCase cases[] = {
      {token_file_text(), ""},
      {"read " + long_token, ""},
      {"writer " + long_token + "\n", "tokens.txt:1: unknown role 'writer'"},
      {"# header\nREAD " + long_token + "\n", "tokens.txt:2: unknown role 'READ'"},
      {"read\n", "tokens.txt:1: no token after the role"},
      {"\n\nscore abcdef0123456789 ci\n", "tokens.txt:3: the token has 16 characters; at least 32"},
      {"read " + std::string(31, 'k') + "\n", "tokens.txt:1: the token has 31 characters"},
      {"read " + long_token + "\"quoted\n", "tokens.txt:1: the token has a character other than"},
      {"read " + long_token + " a\n# x\nadmin " + long_token + " b\n", "tokens.txt:3: the same token as line 1"},
      {"# nothing but comments\n\n", "tokens.txt has no token"},
      {"", "tokens.txt has no token"},
  };
  for (const FileCase& c : cases) {
    StatusOr<AccessTokens> tokens = AccessTokens::parse(c.text, "tokens.txt");
    if (c.error.empty()) {
      EXPECT_TRUE(tokens.ok()) << c.text << ": " << tokens.status().message();
      continue;
    }
    ASSERT_FALSE(tokens.ok()) << c.text;
    EXPECT_NE(tokens.status().message().find(c.error), std::string::npos) << tokens.status().message();
    EXPECT_EQ(tokens.status().message().find(long_token), std::string::npos) << "a message echoes the token";
  }
  EXPECT_EQ(sample_tokens().size(), 3u);
}

TEST(AccessTokens, LoadsAPrivateFileAndRefusesOneOthersCanRead) {
  TempDir dir("access_tokens");
  std::filesystem::path file = dir / "tokens.txt";
  std::ofstream(file) << token_file_text();
  namespace fs = std::filesystem;
  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write);
  StatusOr<AccessTokens> tokens = AccessTokens::load(file);
  ASSERT_TRUE(tokens.ok()) << tokens.status().message();
  EXPECT_TRUE(tokens->enforced());

  fs::permissions(file, fs::perms::group_read, fs::perm_options::add);
  tokens = AccessTokens::load(file);
  ASSERT_FALSE(tokens.ok());
  EXPECT_NE(tokens.status().message().find("mode 0640"), std::string::npos) << tokens.status().message();
  EXPECT_NE(tokens.status().message().find("chmod 600 " + file.string()), std::string::npos);

  fs::permissions(file, fs::perms::owner_read | fs::perms::owner_write | fs::perms::others_read);
  EXPECT_FALSE(AccessTokens::load(file).ok());

  EXPECT_EQ(AccessTokens::load(dir / "absent.txt").status().code(), StatusCode::kNotFound);
  EXPECT_NE(AccessTokens::load(dir / "absent.txt").status().message().find("absent.txt"), std::string::npos);
  std::ofstream(dir / "bad.txt") << "read short\n";
  fs::permissions(dir / "bad.txt", fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_NE(AccessTokens::load(dir / "bad.txt").status().message().find((dir / "bad.txt").string() + ":1:"),
            std::string::npos);
}

struct AuthCase {
  const std::string* token;  // nullptr: no header
  Role required;
  int status;
  const char* name;
};

TEST(AccessTokens, RolesNest) {
  AccessTokens tokens = sample_tokens();
  const AuthCase cases[] = {
      {&kReadToken, Role::kRead, 200, "dashboard team"},   {&kReadToken, Role::kScore, 403, "dashboard team"},
      {&kReadToken, Role::kAdmin, 403, "dashboard team"},  {&kScoreToken, Role::kRead, 200, "line 4"},
      {&kScoreToken, Role::kScore, 200, "line 4"},         {&kScoreToken, Role::kAdmin, 403, "line 4"},
      {&kAdminToken, Role::kRead, 200, "ops"},             {&kAdminToken, Role::kScore, 200, "ops"},
      {&kAdminToken, Role::kAdmin, 200, "ops"},            {nullptr, Role::kNone, 200, ""},
      {nullptr, Role::kRead, 401, ""},                     {&kReadToken, Role::kNone, 200, ""},
  };
  for (const AuthCase& c : cases) {
    Authorization answer = tokens.authorize(c.token ? "Bearer " + *c.token : "", c.required);
    std::string what = std::string(c.token ? c.name : "no token") + " for " + role_name(c.required);
    EXPECT_EQ(answer.http_status, c.status) << what;
    EXPECT_EQ(answer.allowed(), c.status == 200) << what;
    EXPECT_EQ(answer.token_name, c.name) << what;
  }
  Authorization refused = tokens.authorize("Bearer " + kReadToken, Role::kAdmin);
  EXPECT_EQ(refused.message, "this endpoint needs the 'admin' role; the token 'dashboard team' has the 'read' role");
  EXPECT_EQ(refused.www_authenticate, "Bearer realm=\"credo\", error=\"insufficient_scope\"");
}

TEST(AccessTokens, SaysWhyACredentialIsRefusedWithoutEchoingIt) {
  AccessTokens tokens = sample_tokens();
  const std::string unknown = "u-0123456789abcdef0123456789abcdef";
  const std::pair<std::string, const char*> cases[] = {
      {"", "needs a token"},
      {"   ", "needs a token"},
      {"Basic " + kAdminToken, "another scheme"},
      {kAdminToken, "another scheme"},
      {"Bearer", "no token after 'Bearer'"},
      {"Bearer   ", "no token after 'Bearer'"},
      {"Bearer " + kAdminToken + " " + kAdminToken, "more than one word"},
      {"Bearer " + unknown, "not one this server knows"},
      {"Bearer " + kAdminToken.substr(0, kAdminToken.size() - 1), "not one this server knows"},
      {"Bearer " + kAdminToken + "x", "not one this server knows"},
      {"Bearer " + std::string(kAdminToken.size(), 'a'), "not one this server knows"},
  };
  for (const auto& [header, why] : cases) {
    Authorization answer = tokens.authorize(header, Role::kRead);
    EXPECT_EQ(answer.http_status, 401) << header;
    EXPECT_NE(answer.message.find(why), std::string::npos) << header << ": " << answer.message;
    EXPECT_EQ(answer.message.find("0123456789abcdef"), std::string::npos) << "echoes a token: " << answer.message;
    EXPECT_EQ(answer.www_authenticate.rfind("Bearer realm=\"credo\"", 0), 0u) << header;
    EXPECT_TRUE(answer.token_name.empty());
  }
  EXPECT_EQ(tokens.authorize("Bearer " + unknown, Role::kRead).www_authenticate,
            "Bearer realm=\"credo\", error=\"invalid_token\"");
  // The scheme is case-insensitive (RFC 7235); spaces around are tolerated.
  EXPECT_TRUE(tokens.authorize("bearer " + kReadToken, Role::kRead).allowed());
  EXPECT_TRUE(tokens.authorize("  BEARER   " + kReadToken + " ", Role::kRead).allowed());
}

TEST(AccessTokens, WithoutATokenFileEverythingIsAllowed) {
  AccessTokens open;
  EXPECT_FALSE(open.enforced());
  for (Role role : {Role::kNone, Role::kRead, Role::kScore, Role::kAdmin}) {
    EXPECT_TRUE(open.authorize("", role).allowed());
    EXPECT_TRUE(open.authorize("Bearer whatever", role).allowed());
  }
}

TEST(AccessTokens, RoleNamesRoundTrip) {
  for (Role role : {Role::kRead, Role::kScore, Role::kAdmin}) EXPECT_EQ(parse_role(role_name(role)), role);
  EXPECT_FALSE(parse_role("none").has_value()) << "a token file cannot grant no role";
  EXPECT_FALSE(parse_role("Admin").has_value());
}

}  // namespace
}  // namespace credo::serve
