// Request bodies read as JSON: a number beyond a double names its path, syntax errors say where.
#include "credo/serve/json_body.h"

#include <gtest/gtest.h>

namespace credo::serve {
namespace {

TEST(JsonBody, ParsesJson) {
  auto parsed = parse_json_body_text(R"({"a": [1, 2.5, {"b": null}]})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().to_string();
  EXPECT_EQ((*parsed)["a"][1], 2.5);
}

TEST(JsonBody, ANumberBeyondADoubleNamesItsPath) {
  struct Case {
    const char* text;
    const char* path;
  };
  for (const Case& c : {Case{"1e999", "body"}, Case{R"({"a": -1e999})", "body.a"},
                        Case{R"({"a": {"b": [0, 1, 2E400]}})", "body.a.b[2]"},
                        Case{R"({"list": [{"x": 1}, {"y": [], "x": 1e309}]})", "body.list[1].x"},
                        Case{R"([[1], [2, 3e999]])", "body[1][1]"}}) {
    auto parsed = parse_json_body_text(c.text);
    ASSERT_FALSE(parsed.ok()) << c.text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument) << c.text;
    EXPECT_EQ(parsed.status().message().rfind(std::string(c.path) + ": the number ", 0), 0u) << parsed.status().message();
  }
}

TEST(JsonBody, SyntaxErrorsAndEmptyBodiesAreParseErrors) {
  for (const char* text : {"", "  \n", "{\"a\": ", "{\"a\" 1}", "NaN"}) {
    auto parsed = parse_json_body_text(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kParseError) << text;
  }
  EXPECT_NE(parse_json_body_text("{\"a\": ").status().message().find("at byte"), std::string::npos);
}

}  // namespace
}  // namespace credo::serve
