// The API described for machines and for people, both generated from the endpoint catalogue:
// GET /openapi.json (an OpenAPI 3.0.3 document) and GET /docs (one self-contained HTML page, no
// script or style sheet fetched, with a curl line and an answer for every endpoint).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace credo::serve {

// The OpenAPI 3.0.3 document; `server_url` is where the API is reached ("http://127.0.0.1:8080").
nlohmann::json openapi_document(const std::string& server_url);

// The documentation page (UTF-8 HTML, also well-formed XML); its curl lines use `server_url`.
std::string docs_page(const std::string& server_url);

}  // namespace credo::serve
