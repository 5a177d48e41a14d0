// A request body read as JSON, with the answers a caller can act on: a syntax error says where
// (400), and a number JSON allows but a 64-bit float cannot hold (1e999) names its path in the
// body ("body.applications[1].application.AMT_CREDIT", 422) instead of failing the request.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "credo/base/status.h"

namespace credo::serve {

// ParseError when `text` is empty or not JSON; InvalidArgument naming the path (from `root`)
// of a number beyond a 64-bit float.
StatusOr<nlohmann::json> parse_json_body_text(std::string_view text, const std::string& root = "body");

}  // namespace credo::serve
