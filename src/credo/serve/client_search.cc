// Prefix matching on numbers without writing them: an id starts with the digits of P (no leading
// zero) when dropping its last digits, as long as what is left stays >= P, leaves P itself. The
// prefix "0" matches only the id 0.
#include "credo/serve/client_search.h"

#include <algorithm>

namespace credo::serve {
namespace {

bool starts_with_digits(int64_t id, int64_t prefix) {
  // Drop the id's last digits while what is left is still at least the prefix (no
  // multiplication: no overflow for any prefix up to 18 digits).
  while (id / 10 >= prefix) id /= 10;
  return id == prefix;
}

}  // namespace

ClientMatches clients_with_prefix(std::span<const int64_t> ids, std::string_view digits, size_t limit) {
  ClientMatches matches;
  if (digits.empty()) return matches;
  int64_t prefix = 0;
  for (char c : digits) prefix = prefix * 10 + (c - '0');
  bool zero = prefix == 0;  // "0", "00": only the id 0
  for (int64_t id : ids) {
    if (id < 0) continue;
    if (zero ? (id == 0 && digits.size() == 1) : (digits[0] != '0' && starts_with_digits(id, prefix)))
      matches.ids.push_back(id);
  }
  matches.total = matches.ids.size();
  size_t kept = std::min(limit, matches.ids.size());
  std::partial_sort(matches.ids.begin(), matches.ids.begin() + static_cast<std::ptrdiff_t>(kept), matches.ids.end());
  matches.ids.resize(kept);
  return matches;
}

}  // namespace credo::serve
