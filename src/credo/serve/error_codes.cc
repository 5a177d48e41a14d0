// The table of error codes; statuses not in it fall back to INTERNAL (5xx) or ERROR.
#include "credo/serve/error_codes.h"

namespace credo::serve {
namespace {

constexpr ErrorCode kErrorCodes[] = {
    {400, "BAD_REQUEST", "the request is malformed: a path parameter, a query parameter or JSON that does not parse"},
    {401, "UNAUTHENTICATED", "no bearer token, a malformed Authorization header, or an unknown token"},
    {403, "FORBIDDEN", "the token's role is too low for this endpoint"},
    {404, "NOT_FOUND", "no such endpoint, client or feature"},
    {405, "METHOD_NOT_ALLOWED", "the path exists with another method"},
    {413, "PAYLOAD_TOO_LARGE", "the request body is larger than the server accepts"},
    {414, "URI_TOO_LONG", "the request target (path and query) is longer than the server accepts"},
    {415, "UNSUPPORTED_MEDIA_TYPE", "the body is not application/json (nor text/csv, for /invocations)"},
    {422, "UNPROCESSABLE", "the JSON parses but its content cannot be scored (a field of the wrong type, a number beyond a double, too many rows)"},
    {431, "HEADERS_TOO_LARGE", "the request's headers are larger than the server accepts"},
    {500, "INTERNAL", "the server failed; the message says no more, the request id finds it in the log"},
    {503, "UNAVAILABLE", "no model is loaded yet, or the service is stopping"},
    {0, "ERROR", "any other client error"},
};
constexpr size_t kInternalIndex = 10;

}  // namespace

std::span<const ErrorCode> error_codes() { return kErrorCodes; }

size_t error_code_index(int status) {
  static_assert(kErrorCodes[kInternalIndex].status == 500);
  constexpr size_t kCatchAll = std::size(kErrorCodes) - 1;
  for (size_t i = 0; i < kCatchAll; ++i)
    if (kErrorCodes[i].status == status) return i;
  return status >= 500 ? kInternalIndex : kCatchAll;
}

}  // namespace credo::serve
