// Embeds the dashboard's bundle (CREDO_WEB_BUNDLE_DIR: dashboard.js, dashboard.css, index.html,
// written by web/build.mjs) with base/incbin.h, as base/resources.cc embeds resources/.
// The files have fixed names because .incbin needs them; their served names carry a hash of their
// bytes, computed here from the bytes themselves, so a name cannot disagree with its content.
#include "credo/serve/dashboard_assets.h"

#include "credo/base/fingerprint.h"
#include "credo/base/incbin.h"

CREDO_INCBIN(credo_dashboard_js, CREDO_WEB_BUNDLE_DIR "/dashboard.js")
CREDO_INCBIN(credo_dashboard_css, CREDO_WEB_BUNDLE_DIR "/dashboard.css")
CREDO_INCBIN(credo_dashboard_html, CREDO_WEB_BUNDLE_DIR "/index.html")

namespace credo::serve {
namespace {

std::string_view embedded(const char* begin, const char* end) {
  return {begin, static_cast<size_t>(end - begin)};
}

// "dashboard" + ".js" -> "dashboard.<16 hex digits of the bytes' fingerprint>.js".
WebAsset hashed_asset(std::string_view stem, std::string_view extension, std::string_view content_type,
                      std::string_view bytes) {
  std::string name(stem);
  name += '.';
  name += fingerprint_bytes(bytes).substr(0, 16);
  name += extension;
  return {std::move(name), content_type, bytes};
}

// Replaces every `placeholder` in `text` by `value`.
void replace_all(std::string& text, std::string_view placeholder, std::string_view value) {
  for (size_t at = text.find(placeholder); at != std::string::npos; at = text.find(placeholder, at + value.size()))
    text.replace(at, placeholder.size(), value);
}

}  // namespace

const std::vector<WebAsset>& dashboard_assets() {
  static const std::vector<WebAsset> assets = {
      hashed_asset("dashboard", ".js", "text/javascript; charset=utf-8",
                   embedded(credo_dashboard_js_begin, credo_dashboard_js_end)),
      hashed_asset("dashboard", ".css", "text/css; charset=utf-8",
                   embedded(credo_dashboard_css_begin, credo_dashboard_css_end)),
  };
  return assets;
}

const std::string& dashboard_page() {
  static const std::string page = [] {
    std::string html(embedded(credo_dashboard_html_begin, credo_dashboard_html_end));
    replace_all(html, "{{script}}", "/assets/" + dashboard_assets()[0].name);
    replace_all(html, "{{style}}", "/assets/" + dashboard_assets()[1].name);
    return html;
  }();
  return page;
}

const WebAsset* find_dashboard_asset(std::string_view name) {
  for (const WebAsset& asset : dashboard_assets())
    if (asset.name == name) return &asset;
  return nullptr;
}

}  // namespace credo::serve
