// Lookups in a request's query and headers: a handful of fields, so a linear scan.
#include "credo/serve/http_message.h"

#include <strings.h>

namespace credo::serve {
namespace {

const std::string* find_field(const HttpFields& fields, std::string_view name, bool ignore_case) {
  for (const auto& [key, value] : fields) {
    if (key.size() != name.size()) continue;
    if (ignore_case ? ::strncasecmp(key.data(), name.data(), name.size()) == 0 : key == name) return &value;
  }
  return nullptr;
}

}  // namespace

bool HttpRequest::has_param(std::string_view name) const { return find_field(params, name, false) != nullptr; }

std::string HttpRequest::get_param_value(std::string_view name) const {
  const std::string* value = find_field(params, name, false);
  return value ? *value : std::string();
}

bool HttpRequest::has_header(std::string_view name) const { return find_field(headers, name, true) != nullptr; }

std::string HttpRequest::get_header_value(std::string_view name) const {
  const std::string* value = find_field(headers, name, true);
  return value ? *value : std::string();
}

}  // namespace credo::serve
