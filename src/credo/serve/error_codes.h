// The codes of the API's error body {"error": {"status", "code", "message", "request_id"}}: one
// list that the server answers with, the metrics count by, and the OpenAPI document declares.
#pragma once

#include <cstddef>
#include <span>

namespace credo::serve {

struct ErrorCode {
  int status;           // the HTTP status; 0 for the catch-all of other client errors
  const char* code;     // "UNPROCESSABLE"
  const char* meaning;  // for the documentation
};

// Every code, each once; the catch-all "ERROR" (status 0) is last.
std::span<const ErrorCode> error_codes();

// The index in error_codes() of an HTTP status >= 400: its own entry, else INTERNAL for any
// other 5xx and ERROR for any other status.
size_t error_code_index(int status);

// The code an error answer with this status carries ("NOT_FOUND" for 404).
inline const char* error_code_for_status(int status) { return error_codes()[error_code_index(status)].code; }

}  // namespace credo::serve
