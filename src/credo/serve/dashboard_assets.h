// The officers' dashboard as credo serve answers it: the page at / and its script and style sheet,
// bundled from web/ at build time (web/build.mjs) and compiled into the binary, so the service
// needs neither Node nor any file beside it at run time. The assets are named by a hash of their
// bytes, so browsers may keep them for ever and a new build is fetched at once.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace credo::serve {

struct WebAsset {
  std::string name;               // "dashboard.3f2a9c0d1e7b4a55.js": served at /assets/<name>
  std::string_view content_type;  // "text/javascript; charset=utf-8", "text/css; charset=utf-8"
  std::string_view bytes;
};

// The dashboard's HTML page, linking its assets by their hashed names.
const std::string& dashboard_page();
// The script and the style sheet.
const std::vector<WebAsset>& dashboard_assets();
// The asset of that name, or nullptr.
const WebAsset* find_dashboard_asset(std::string_view name);

}  // namespace credo::serve
