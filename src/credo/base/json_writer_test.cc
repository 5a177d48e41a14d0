// The JSON writer's text parses back (nlohmann) to what was written.
#include "credo/base/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>

#include <nlohmann/json.hpp>

namespace credo {
namespace {

TEST(JsonWriterTest, NestedDocumentsParseBack) {
  std::string out;
  JsonWriter w(out);
  w.begin_object()
      .field("a", 1)
      .field("b", 0.1)
      .field("c", "text")
      .key("list")
      .begin_array()
      .integer(-3)
      .boolean(true)
      .null()
      .begin_object()
      .end_object()
      .begin_array()
      .end_array()
      .end_array()
      .field("ok", false)
      .key("raw")
      .raw("{\"x\":[1,2]}")
      .end_object();
  nlohmann::json parsed = nlohmann::json::parse(out);
  EXPECT_EQ(parsed, nlohmann::json::parse(R"({"a":1,"b":0.1,"c":"text","list":[-3,true,null,{},[]],"ok":false,"raw":{"x":[1,2]}})"));
}

TEST(JsonWriterTest, NumbersRoundTripAndNonFiniteIsNull) {
  for (double v : {0.0, -0.0, 1e-300, 0.30000000000000004, 123456789.125, -2.5e17, 0.4458}) {
    std::string out;
    JsonWriter(out).number(v);
    EXPECT_EQ(nlohmann::json::parse(out).get<double>(), v) << out;
  }
  for (double v : {NAN, INFINITY, -INFINITY}) {
    std::string out;
    JsonWriter(out).number(v);
    EXPECT_EQ(out, "null");
  }
}

TEST(JsonWriterTest, TextIsEscaped) {
  std::string text = "quote \" backslash \\ newline \n tab \t bell \x07 unicode \xC3\xA9";
  std::string out;
  JsonWriter(out).string(text);
  EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), text);
  EXPECT_EQ(out.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace credo
