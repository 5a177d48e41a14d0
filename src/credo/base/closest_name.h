// "Did you mean AMT_CREDIT?": the nearest known name to a misspelt one, for error messages at
// the boundaries that take names from people (request bodies, columns, fields).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace credo {

// Levenshtein distance between a and b, ignoring ASCII case (so "amt_credit" is 0 from "AMT_CREDIT").
size_t edit_distance_ignoring_case(std::string_view a, std::string_view b);

// The candidate nearest `name` when it is within a third of the name's length (at least 1)
// edits, or nullptr; the first of equally near ones.
const std::string* closest_name(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace credo
