// mmap-based huge-page allocation for LargeVector.
#include "credo/base/large_vector.h"

#include <sys/mman.h>

#include <cstdint>

namespace credo::large_alloc {
namespace {
constexpr size_t kHuge = 2u << 20;
size_t round_up(size_t bytes) { return (bytes + kHuge - 1) & ~(kHuge - 1); }
}  // namespace

void* map(size_t bytes) {
  size_t size = round_up(bytes);
  // Over-map by one huge page, then trim to a 2 MB-aligned window. Unused tail pages of the
  // window are never touched, so they cost address space, not memory.
  void* raw = ::mmap(nullptr, size + kHuge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) throw std::bad_alloc();
  auto begin = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (begin + kHuge - 1) & ~(kHuge - 1);
  if (aligned > begin) ::munmap(raw, aligned - begin);
  uintptr_t tail = aligned + size;
  uintptr_t raw_end = begin + size + kHuge;
  if (raw_end > tail) ::munmap(reinterpret_cast<void*>(tail), raw_end - tail);
  ::madvise(reinterpret_cast<void*>(aligned), size, MADV_HUGEPAGE);
  return reinterpret_cast<void*>(aligned);
}

void unmap(void* p, size_t bytes) { ::munmap(p, round_up(bytes)); }

}  // namespace credo::large_alloc
