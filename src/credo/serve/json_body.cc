// The parse itself is nlohmann's; only a body it refuses is read a second time, through the SAX
// interface with a stack of keys and indices, to say where it stopped.
#include "credo/serve/json_body.h"

#include <vector>

#include "credo/base/text.h"

namespace credo::serve {
namespace {

using json = nlohmann::json;

// Follows the position in the document; on an error, keeps the path and what went wrong.
class JsonErrorLocator final : public nlohmann::json_sax<json> {
 public:
  explicit JsonErrorLocator(std::string root) : root_(std::move(root)) {}

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override {
    open_.push_back({false, -1, {}});
    return true;
  }
  bool key(string_t& name) override {
    open_.back().key = name;
    return true;
  }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override {
    open_.push_back({true, -1, {}});
    return true;
  }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t byte, const std::string& token, const nlohmann::detail::exception& error) override {
    overflow_ = error.id == 406;
    byte_ = byte;
    token_ = token;
    return false;
  }

  bool overflow() const { return overflow_; }
  size_t byte() const { return byte_; }
  const std::string& token() const { return token_; }
  // The path of the value being read when the parser stopped.
  std::string path() const {
    std::string out = root_;
    for (const Level& level : open_) {
      if (level.array) {
        out += '[';
        out += std::to_string(level.index + 1);
        out += ']';
      } else if (!level.key.empty()) {
        out += '.';
        out += level.key;
      }
    }
    return out;
  }

 private:
  struct Level {
    bool array;
    int64_t index;  // of the last value read in an array
    std::string key;
  };
  bool value() {
    if (!open_.empty() && open_.back().array) ++open_.back().index;
    return true;
  }
  bool close() {
    open_.pop_back();
    return value();
  }

  std::string root_;
  std::vector<Level> open_;
  bool overflow_ = false;
  size_t byte_ = 0;
  std::string token_;
};

}  // namespace

StatusOr<json> parse_json_body_text(std::string_view text, const std::string& root) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    return Status::ParseError("the request has no body: expected JSON");
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!document.is_discarded()) return document;
  JsonErrorLocator locator(root);
  json::sax_parse(text, &locator);
  if (locator.overflow())
    return Status::InvalidArgument(locator.path() + ": the number " + cut_text(locator.token(), 40) +
                                   " is beyond the range of a 64-bit float");
  return Status::ParseError("the body is not JSON (at byte " + std::to_string(locator.byte()) + ")");
}

}  // namespace credo::serve
