// Quoting what people sent back to them without echoing megabytes: error messages at the
// boundaries (HTTP requests, JSON bodies) cut the text they quote, at a UTF-8 boundary.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace credo {

// The length of the longest prefix of `text` of at most `max_bytes` bytes that does not split a
// UTF-8 sequence.
size_t utf8_prefix_length(std::string_view text, size_t max_bytes);

// Where the longest suffix of `text` of at most `max_bytes` bytes starts, a suffix that does not begin inside a UTF-8 sequence (for quoting where a text ends).
size_t utf8_suffix_start(std::string_view text, size_t max_bytes);

// `text` itself when it has at most `max_bytes` bytes, else its start (cut at a UTF-8 boundary)
// followed by "...".
std::string cut_text(std::string_view text, size_t max_bytes = 40);

}  // namespace credo
