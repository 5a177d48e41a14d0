// A small open-addressing map from text levels to dense codes, for dictionary-encoding
// categorical columns while parsing. Levels are few (Home Credit columns have at most ~60)
// and looked up once per value, so a flat table with a cheap hash beats std::unordered_map
// (whose lookups were 7% of the CSV reading time).
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace credo {

class LevelIndex {
 public:
  // Code of `level`, adding it (with the next code) if it is new.
  int32_t code_of(std::string_view level) {
    if ((levels_.size() + 1) * 2 > slots_.size()) grow();
    uint64_t h = hash(level);
    size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& s = slots_[i];
      if (s.code < 0) {
        s.hash = h;
        s.code = static_cast<int32_t>(levels_.size());
        levels_.emplace_back(level);
        return s.code;
      }
      if (s.hash == h && levels_[static_cast<size_t>(s.code)] == level) return s.code;
    }
  }
  // Levels in code order.
  const std::vector<std::string>& levels() const { return levels_; }
  std::vector<std::string> take_levels() {
    slots_.clear();
    return std::move(levels_);
  }
  void clear() {
    slots_.clear();
    levels_.clear();
  }

 private:
  struct Slot {
    uint64_t hash = 0;
    int32_t code = -1;
  };

  static uint64_t hash(std::string_view s) {
    // Length and up to the first and last 8 bytes, mixed: levels differ early or late.
    uint64_t a = 0, b = 0;
    std::memcpy(&a, s.data(), s.size() < 8 ? s.size() : 8);
    if (s.size() > 8) std::memcpy(&b, s.data() + s.size() - 8, 8);
    uint64_t x = a * 0x9E3779B97F4A7C15ull ^ (b + s.size()) * 0xC2B2AE3D27D4EB4Full;
    return x ^ (x >> 29);
  }

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, Slot{});
    size_t mask = slots_.size() - 1;
    for (const Slot& s : old) {
      if (s.code < 0) continue;
      size_t i = s.hash & mask;
      while (slots_[i].code >= 0) i = (i + 1) & mask;
      slots_[i] = s;
    }
  }

  std::vector<Slot> slots_;
  std::vector<std::string> levels_;
};

}  // namespace credo
