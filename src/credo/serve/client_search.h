// The known clients whose number starts with the digits an officer has typed: the dashboard's
// suggestions (GET /api/v1/clients?prefix=). A scan of the ids (0.8-2.6 ms over 356,255 ids at
// -O2 on a loaded 2-core machine, "1" the slowest: most ids match), so
// nothing is indexed and nothing changes when a model is reloaded.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace credo::serve {

struct ClientMatches {
  std::vector<int64_t> ids;  // the smallest matching ids, ascending, at most the limit asked
  size_t total = 0;          // how many ids match in all
};

// The ids whose decimal writing starts with `digits` (1 to 18 digits, checked by the caller).
ClientMatches clients_with_prefix(std::span<const int64_t> ids, std::string_view digits, size_t limit);

}  // namespace credo::serve
