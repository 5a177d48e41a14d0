// The dashboard's routes: the page at / and its hashed assets at /assets/<name>, and the client
// search its suggestions come from (GET /api/v1/clients?prefix=). The page and assets are open (no
// token) like /docs: they hold no client data, and a browser cannot send a bearer token when it
// opens a page; the page then calls the API, where each call's token is checked as any other.
#include <algorithm>

#include "credo/base/text.h"
#include "credo/serve/api_routes.h"
#include "credo/serve/client_search.h"
#include "credo/serve/dashboard_assets.h"

namespace credo::serve::api {
namespace {

// The page and its assets come from this server only, and the page may not be framed.
void set_page_headers(HttpResponse& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'");
}

constexpr int64_t kDefaultSuggestions = 10, kMaxSuggestions = 50;
constexpr size_t kMaxPrefixDigits = 18;  // an int64 SK_ID_CURR has at most 19

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
  context.route("GET", "/api/v1/clients", [&service = context.service](const HttpRequest& req, HttpResponse& res) {
    std::string prefix = req.get_param_value("prefix");
    if (prefix.empty() || prefix.size() > kMaxPrefixDigits ||
        !std::all_of(prefix.begin(), prefix.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return send_error(res, 400, "query prefix: expected the first 1 to 18 digits of an SK_ID_CURR, got '" +
                                      cut_text(prefix, 40) + "'");
    StatusOr<int64_t> limit = query_int(req, "limit", kDefaultSuggestions, 1, kMaxSuggestions);
    if (!limit.ok()) return send_status(res, limit.status());
    std::shared_ptr<const ServedModel> model = service.current();
    ClientMatches matches = clients_with_prefix(model->clients->matrix().ids(), prefix, static_cast<size_t>(*limit));
    send_json(res, 200, {{"prefix", prefix}, {"clients", matches.ids}, {"total", matches.total}});
  });
}

}  // namespace credo::serve::api
