// JSON text written straight into a string, for the answers the scoring service sends tens of
// thousands of times a second: building an nlohmann::json tree and dumping it cost a quarter of
// the CPU of an explanation request (perf: the serializer's escaping and the tree's allocations).
// The writer appends, escapes with a fast path for plain text, writes numbers in their shortest
// round-trip form (std::to_chars) and NaN / infinities as null. It checks nothing about nesting:
// callers write well-formed documents (tests parse them).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace credo {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  // The key of the next member of the object being written.
  JsonWriter& key(std::string_view name);

  JsonWriter& string(std::string_view text);
  JsonWriter& number(double value);  // NaN and infinities are written null
  JsonWriter& integer(int64_t value);
  JsonWriter& boolean(bool value);
  JsonWriter& null();
  // Text that is already JSON (a nested document), written as a value.
  JsonWriter& raw(std::string_view json);

  // Shorthands for a member: key then value.
  JsonWriter& field(std::string_view name, std::string_view text) { return key(name).string(text); }
  JsonWriter& field(std::string_view name, const char* text) { return key(name).string(text); }
  JsonWriter& field(std::string_view name, double value) { return key(name).number(value); }
  JsonWriter& field(std::string_view name, int64_t value) { return key(name).integer(value); }
  JsonWriter& field(std::string_view name, int value) { return key(name).integer(value); }
  JsonWriter& field(std::string_view name, bool value) { return key(name).boolean(value); }

 private:
  void separate();  // the comma before a value that is not the first of its container

  std::string& out_;
  bool after_value_ = false;  // the last thing written was a value (a comma comes before the next)
};

}  // namespace credo
