// Cutting text for messages.
#include "credo/base/text.h"

namespace credo {

size_t utf8_prefix_length(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  size_t cut = max_bytes;
  // Back off continuation bytes (10xxxxxx) so the cut falls before a sequence's first byte.
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return cut;
}

size_t utf8_suffix_start(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return 0;
  size_t from = text.size() - max_bytes;
  while (from < text.size() && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) ++from;
  return from;
}

std::string cut_text(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  return std::string(text.substr(0, utf8_prefix_length(text, max_bytes))) + "...";
}

}  // namespace credo
