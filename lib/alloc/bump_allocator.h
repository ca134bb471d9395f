// BumpAllocator: the simplest heap. A cursor moves forward through the range; free() only marks
// a block free, and when the last live block goes the cursor returns to the start (bump reset).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/alloc/alloc_stats.h"
#include "lib/core/page_size.h"
#include "lib/core/result.h"

namespace bm {

// Block layout: [alignment padding][Header 16 B][payload][pad to 16]. The header records the
// requested size and whether the block is live, so free() can refuse double and foreign frees
// and the statistics stay exact. Pointers are always at least 16-byte aligned.
// Limitation: after a reset, a stale pointer that happens to equal a new block's address frees
// that new block; nothing in a bump heap can tell the two apart.
// Not thread-safe: the caller serialises access.
class BumpAllocator {
 public:
  static constexpr size_t kMaxAlignment = kPageSize;
  static constexpr size_t kGranule = 16;
  static constexpr size_t kHeaderSize = 16;

  constexpr BumpAllocator() = default;
  BumpAllocator(const BumpAllocator&) = delete;
  BumpAllocator& operator=(const BumpAllocator&) = delete;

  // Once; kInvalidArgument on null, a range too small for one block, or a second call.
  Result<void> init(void* base, size_t size);
  // [end, end + bytes) now belongs to the heap; extend(0) is a no-op.
  Result<void> extend(size_t bytes);
  // A bump heap reuses nothing before it is empty, so it never gives its end back: always 0.
  Result<size_t> trim_end(size_t, size_t, size_t) { return size_t{0}; }
  Result<void*> allocate(size_t size, size_t alignment = 16);
  Result<void> free(void* ptr);
  Result<size_t> usable_size(const void* ptr) const;
  bool owns(const void* ptr) const;
  AllocStats stats() const { return stats_; }

 private:
  struct Header;
  // Validated header of the block at ptr, or the error free() reports for it.
  Result<Header*> header_for(const void* ptr) const;
  void seal(Header* header, uint32_t state) const;

  uintptr_t raw_start_ = 0;
  uintptr_t raw_end_ = 0;
  uintptr_t heap_start_ = 0;  // first usable byte, 16-byte aligned
  uintptr_t heap_end_ = 0;    // 16-byte aligned
  uintptr_t cursor_ = 0;      // next block starts here, 16-byte aligned
  uint64_t cookie_ = 0;
  bool initialized_ = false;
  AllocStats stats_{};
};

}  // namespace bm
