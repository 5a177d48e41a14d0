// Where the service may listen: on a loopback address anyone may, beyond this machine only with
// bearer tokens. A host name is resolved and every address it names is checked, so
// "127.evil.example" or a name that resolves elsewhere is not taken for loopback.
#pragma once

#include <string>

#include "credo/base/status.h"

namespace credo::serve {

// True when `host` resolves, and every address it resolves to is loopback (127.0.0.0/8, ::1).
bool is_loopback_host(const std::string& host);

// OK on a loopback host; otherwise an InvalidArgument saying tokens are needed unless
// `tokens_enforced`.
Status check_listen_address(const std::string& host, bool tokens_enforced);

}  // namespace credo::serve
