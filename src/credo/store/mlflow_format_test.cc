// Pins the text MLflow's Python would write. Every expected YAML scalar below is what
// yaml.dump(..., Dumper=CSafeDumper, allow_unicode=True) printed (PyYAML 6.0.3 with libyaml),
// and every float what Python's repr() printed; a new case is one more line.
#include "credo/store/mlflow_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace credo::store {
namespace {

TEST(MlflowExportFormat, YamlScalarQuotesExactlyWhenPyYamlDoes) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"plain", "plain"},
      {"Default", "Default"},
      {"credo scoring", "credo scoring"},
      {"", "''"},
      // Strings YAML 1.1 would read as numbers, booleans, null or dates.
      {"0", "'0'"},
      {"12", "'12'"},
      {"-7", "'-7'"},
      {"0.5", "'0.5'"},
      {".5", "'.5'"},
      {"0x1F", "'0x1F'"},
      {"0777", "'0777'"},
      {"1_000", "'1_000'"},
      {"1:30", "'1:30'"},
      {"12345678901234567890123456789012", "'12345678901234567890123456789012'"},
      {"yes", "'yes'"},
      {"No", "'No'"},
      {"on", "'on'"},
      {"OFF", "'OFF'"},
      {"true", "'true'"},
      {"False", "'False'"},
      {"null", "'null'"},
      {"~", "'~'"},
      {".inf", "'.inf'"},
      {".nan", "'.nan'"},
      {"2024-01-02", "'2024-01-02'"},
      {"<<", "'<<'"},
      {"=", "'='"},
      // ... and look-alikes YAML 1.1 reads as strings, so PyYAML leaves them plain.
      {"1e-05", "1e-05"},
      {"1e10", "1e10"},
      {"123e4567", "123e4567"},
      {"0a1b2c3d4e5f60718293a4b5c6d7e8f9", "0a1b2c3d4e5f60718293a4b5c6d7e8f9"},
      {"None", "None"},
      {"nan", "nan"},
      // Indicators: leading ones always quote, inner ':' and '#' only next to a space.
      {"a: b", "'a: b'"},
      {"a:b", "a:b"},
      {"key:", "'key:'"},
      {": a", "': a'"},
      {":a", ":a"},
      {"- a", "'- a'"},
      {"-a", "-a"},
      {"-", "'-'"},
      {"---", "'---'"},
      {"? a", "'? a'"},
      {"#x", "'#x'"},
      {"a #x", "'a #x'"},
      {"a#x", "a#x"},
      {"[x]", "'[x]'"},
      {"x[0]", "x[0]"},
      {"{x}", "'{x}'"},
      {"a,b", "a,b"},
      {"&anchor", "'&anchor'"},
      {"*alias", "'*alias'"},
      {"!tag", "'!tag'"},
      {"|x", "'|x'"},
      {">x", "'>x'"},
      {"%x", "'%x'"},
      {"@x", "'@x'"},
      {"`x", "'`x'"},
      // Quotes and spaces.
      {"it's", "it's"},
      {"'q'", "'''q'''"},
      {"\"q\"", "'\"q\"'"},
      {" lead", "' lead'"},
      {"trail ", "'trail '"},
      {"back\\slash", "back\\slash"},
      {"python -m credo train --spec \"a b\"", "python -m credo train --spec \"a b\""},
      {"file:///tmp/my%20runs/0", "file:///tmp/my%20runs/0"},
      // Control and non-ASCII characters.
      {"a\tb", "\"a\\tb\""},
      {"bell\x07", "\"bell\\a\""},
      {"del\x7f", "\"del\\x7F\""},
      {"caf\xc3\xa9", "caf\xc3\xa9"},
      {"nb\xc2\xa0sp", "nb\xc2\xa0sp"},
      {"emoji \xf0\x9f\x98\x80", "\"emoji \\U0001F600\""},
  };
  for (const auto& [text, expected] : cases) EXPECT_EQ(yaml_scalar(text), expected) << "input: " << text;
}

TEST(MlflowExportFormat, YamlScalarPutsLineBreaksInDoubleQuotes) {
  // PyYAML folds these into a multi-line single-quoted block; a YAML reader gets the same string.
  EXPECT_EQ(yaml_scalar("line one\nline two"), "\"line one\\nline two\"");
  EXPECT_EQ(yaml_scalar("ends with newline\n"), "\"ends with newline\\n\"");
  EXPECT_EQ(yaml_scalar("crlf\r\n"), "\"crlf\\r\\n\"");
  EXPECT_EQ(yaml_scalar("quote \" and \\ \n"), "\"quote \\\" and \\\\ \\n\"");
  EXPECT_EQ(yaml_scalar(std::string("nul\0byte", 8)), "\"nul\\0byte\"");
}

TEST(MlflowExportFormat, YamlScalarEscapesBytesThatAreNotUtf8) {
  EXPECT_EQ(yaml_scalar("bad \xff byte"), "\"bad \\xFF byte\"");
  EXPECT_EQ(yaml_scalar("cut \xc3"), "\"cut \\xC3\"");
  EXPECT_EQ(yaml_scalar("overlong \xc0\xaf"), "\"overlong \\xC0\\xAF\"");
}

TEST(MlflowExportFormat, YamlDocumentSortsKeysAndNestsCollections) {
  std::string document = yaml_document({
      {"name", yaml_scalar("scoring")},
      {"experiment_id", yaml_scalar("3")},
      {"end_time", "null"},
      {"tags", yaml_string_list({})},
      {"aliases", yaml_string_map({{"champion", "2"}, {"challenger", "3"}})},
      {"versions", yaml_string_list({"a b", "yes"})},
      {"empty", yaml_string_map({})},
  });
  EXPECT_EQ(document,
            "aliases:\n"
            "  challenger: '3'\n"
            "  champion: '2'\n"
            "empty: {}\n"
            "end_time: null\n"
            "experiment_id: '3'\n"
            "name: scoring\n"
            "tags: []\n"
            "versions:\n"
            "- a b\n"
            "- 'yes'\n");
}

TEST(MlflowExportFormat, PythonFloatRepr) {
  const std::vector<std::pair<double, std::string>> cases = {
      {0.0, "0.0"},
      {-0.0, "-0.0"},
      {0.5, "0.5"},
      {1.0, "1.0"},
      {-2.0, "-2.0"},
      {100.0, "100.0"},
      {0.1 + 0.2, "0.30000000000000004"},
      {1.0 / 3.0, "0.3333333333333333"},
      {0.0001, "0.0001"},
      {0.00001, "1e-05"},
      {0.000012345, "1.2345e-05"},
      {1e15, "1000000000000000.0"},
      {1e16, "1e+16"},
      {1.5e16, "1.5e+16"},
      {9007199254740992.0, "9007199254740992.0"},
      {1e300, "1e+300"},
      {5e-324, "5e-324"},
      {1.7976931348623157e308, "1.7976931348623157e+308"},
      {123.456, "123.456"},
      {std::numeric_limits<double>::infinity(), "inf"},
      {-std::numeric_limits<double>::infinity(), "-inf"},
      {std::nan(""), "nan"},
  };
  for (const auto& [value, expected] : cases) EXPECT_EQ(python_float_repr(value), expected);
}

TEST(MlflowExportFormat, FileUriPercentEncodesLikePathlib) {
  EXPECT_EQ(file_uri("/tmp/mlruns/0"), "file:///tmp/mlruns/0");
  EXPECT_EQ(file_uri("/tmp/my runs/a+b/c%d/~x_y-z.w"), "file:///tmp/my%20runs/a%2Bb/c%25d/~x_y-z.w");
  EXPECT_EQ(file_uri("/tmp/caf\xc3\xa9"), "file:///tmp/caf%C3%A9");
}

}  // namespace
}  // namespace credo::store
