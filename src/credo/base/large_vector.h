// Vectors for big columns, backed by transparent huge pages.
// Filling a fresh 4 KB page costs a page fault, and on this kind of virtual machine faults made
// up a third of the CSV reading time; mapping large buffers 2 MB-aligned with MADV_HUGEPAGE
// divides the number of faults by 512. Small buffers use the ordinary heap.
#pragma once

#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>
#include <vector>

namespace credo {

namespace large_alloc {
// Below this size allocations go to operator new.
inline constexpr size_t kThresholdBytes = 1u << 20;
// Maps `bytes` (rounded up to whole 2 MB pages) aligned to 2 MB and advised for huge pages.
void* map(size_t bytes);
void unmap(void* p, size_t bytes);
}  // namespace large_alloc

template <typename T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <typename U>
  HugePageAllocator(const HugePageAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)

  T* allocate(size_t n) {
    size_t bytes = n * sizeof(T);
    if (bytes < large_alloc::kThresholdBytes) return static_cast<T*>(::operator new(bytes));
    return static_cast<T*>(large_alloc::map(bytes));
  }
  void deallocate(T* p, size_t n) noexcept {
    size_t bytes = n * sizeof(T);
    if (bytes < large_alloc::kThresholdBytes) ::operator delete(p);
    else large_alloc::unmap(p, bytes);
  }
  template <typename U>
  bool operator==(const HugePageAllocator<U>&) const noexcept { return true; }

  // Default-initialises: LargeVector<double>(n) and resize(n) leave numbers unset instead of
  // zeroing them, because large buffers are filled at once by their producer and zeroing fresh
  // pages twice (the kernel, then memset) was 9% of the feature build. Pass a value
  // (assign(n, 0.0), LargeVector<double>(n, 0.0)) where zeros are meant.
  template <typename U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }
};

// An uninitialised byte buffer from the same allocator (for scratch space filled at once).
class LargeBuffer {
 public:
  LargeBuffer() = default;
  explicit LargeBuffer(size_t bytes) : data_(HugePageAllocator<std::byte>().allocate(bytes)), size_(bytes) {}
  ~LargeBuffer() { reset(); }
  LargeBuffer(LargeBuffer&& o) noexcept : data_(o.data_), size_(o.size_) { o.data_ = nullptr; o.size_ = 0; }
  LargeBuffer& operator=(LargeBuffer&& o) noexcept {
    if (this != &o) {
      reset();
      data_ = o.data_;
      size_ = o.size_;
      o.data_ = nullptr;
      o.size_ = 0;
    }
    return *this;
  }
  LargeBuffer(const LargeBuffer&) = delete;
  LargeBuffer& operator=(const LargeBuffer&) = delete;
  std::byte* data() const { return data_; }
  size_t size() const { return size_; }
  void reset() {
    if (data_) HugePageAllocator<std::byte>().deallocate(data_, size_);
    data_ = nullptr;
    size_ = 0;
  }

 private:
  std::byte* data_ = nullptr;
  size_t size_ = 0;
};

// The storage type of table columns and other large numeric arrays. Unlike std::vector, the
// size constructor and resize() do not zero numbers (see HugePageAllocator::construct).
template <typename T>
using LargeVector = std::vector<T, HugePageAllocator<T>>;

}  // namespace credo
