// The dashboard's routes: the page at / and its hashed assets at /assets/<name>. Both are open
// (no token) like /docs: they hold no client data, and a browser cannot send a bearer token when
// it opens a page; the page then calls the API, where each call's token is checked as any other.
#include "credo/base/text.h"
#include "credo/serve/api_routes.h"
#include "credo/serve/dashboard_assets.h"

namespace credo::serve::api {
namespace {

// The page and its assets come from this server only, and the page may not be framed.
void set_page_headers(HttpResponse& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'");
}

}  // namespace

void install_web_routes(ApiContext& context) {
  context.route("GET", "/", [](const HttpRequest&, HttpResponse& res) {
    res.status = 200;
    res.set_content(dashboard_page(), "text/html; charset=utf-8");
    // The page names the current assets: revalidated on each visit, so a new build shows at once.
    res.set_header("Cache-Control", "no-cache");
    set_page_headers(res);
  });
  context.route("GET", "/assets/{name}", [](const HttpRequest& req, HttpResponse& res) {
    const WebAsset* asset = find_dashboard_asset(req.matches[1]);
    if (!asset)
      return send_error(res, 404, "no asset '" + cut_text(req.matches[1], 80) + "' (the page at / names its assets)");
    res.status = 200;
    res.set_content(std::string(asset->bytes), asset->content_type);
    // The name holds a hash of the content: the same name always means the same bytes.
    res.set_header("Cache-Control", "public, max-age=31536000, immutable");
    set_page_headers(res);
  });
}

}  // namespace credo::serve::api
