// Small text helpers every stage reads: quoting what people sent back to them without echoing
// megabytes (error messages at the boundaries cut the text they quote, at a UTF-8 boundary, and
// show binary bytes escaped), trimming, and the one-'*' name patterns of specs and range tables.
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

// `text` cut as cut_text does, with every byte that is not printable ASCII or part of a valid
// UTF-8 sequence (NUL, control bytes, a zip's header) written as \xHH: safe to print in a
// message whatever the input was.
std::string printable_text(std::string_view text, size_t max_bytes = 40);

// `text` without the `characters` (by default any ASCII white space) at either end.
std::string_view trim(std::string_view text, std::string_view characters = " \t\r\n\f\v");

// True if `name` matches `pattern`: a name, or a name with one '*' standing for any characters
// ("AMT_*", "*_AVG", "STATUS_*_SHARE"). A second '*' is matched literally.
bool name_matches(std::string_view pattern, std::string_view name);

}  // namespace credo
