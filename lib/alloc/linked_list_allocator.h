// LinkedListAllocator: a general-purpose heap over one contiguous range. Free blocks sit in a
// singly linked list kept in address order; allocation is first fit with splitting, and free()
// coalesces with both neighbours, so freeing everything gives back one block.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/alloc/alloc_stats.h"
#include "lib/core/page_size.h"
#include "lib/core/result.h"

namespace bm {

class FixedBlockAllocator;

// Every block starts 16-byte aligned and is a multiple of 16 bytes long:
//   live block: [padding 0|16][UsedHeader 16 B][payload rounded up to 16][slack 0|16]
//   free block: [FreeHeader 32 B][...]
// kMinBlockSize is 32 bytes, the size of a free block's header (and of the smallest live block:
// header plus one 16-byte granule). A remainder smaller than that cannot become a free block, so
// it stays in the live block: in front of the header as padding (recorded in the header) or
// behind the payload as slack. Larger leading remainders, which big alignments produce, are
// split off as free blocks.
// free() finds the block's place in the address-ordered list, which also reveals a pointer into
// free memory (a double free) without trusting anything the caller could have overwritten.
// Not thread-safe: the caller serialises access.
class LinkedListAllocator {
 public:
  static constexpr size_t kMaxAlignment = kPageSize;
  static constexpr size_t kGranule = 16;
  static constexpr size_t kHeaderSize = 16;
  static constexpr size_t kMinBlockSize = 32;

  constexpr LinkedListAllocator() = default;
  LinkedListAllocator(const LinkedListAllocator&) = delete;
  LinkedListAllocator& operator=(const LinkedListAllocator&) = delete;

  // Once; kInvalidArgument on null, a range smaller than one block, or a second call.
  Result<void> init(void* base, size_t size);
  // [end, end + bytes) now belongs to the heap and merges with a trailing free block. Fewer than
  // kMinBlockSize new bytes after a live block wait for the next extend(). extend(0) is a no-op.
  Result<void> extend(size_t bytes);
  // Gives back the end of the range when it is free: the range ends at a multiple of
  // `granularity` again, at least `keep_total` bytes from its start and with at least
  // `keep_free` free bytes left before the new end. Returns the bytes given back (a multiple of
  // granularity, 0 when the last block is live or too little is free); the caller may then
  // unmap them. kMalformed when the free list fails its check.
  Result<size_t> trim_end(size_t granularity, size_t keep_total, size_t keep_free);
  // kMalformed when the walk meets a free-list header that fails its check.
  Result<void*> allocate(size_t size, size_t alignment = 16);
  Result<void> free(void* ptr);
  Result<size_t> usable_size(const void* ptr) const;
  bool owns(const void* ptr) const;
  AllocStats stats() const { return stats_; }

 private:
  // FixedBlockAllocator carves its slabs out of this heap with an alignment above
  // kMaxAlignment and needs the requested size back from free.
  friend class FixedBlockAllocator;
  struct FreeBlock;
  struct UsedHeader;
  struct UsedBlock {
    uintptr_t start;  // first byte of the block (padding included)
    uintptr_t end;    // one past its last byte (slack included)
    size_t requested;
  };

  // The payload pointer p satisfies (p - skew) % alignment == 0; skew is 0 or kHeaderSize (the
  // latter aligns the header instead of the payload). alignment is a power of two >= 16.
  Result<void*> allocate_block(size_t size, size_t alignment, size_t skew);
  // Releases a live block and returns the size that was requested for it.
  Result<size_t> free_block(void* ptr);
  Result<UsedBlock> inspect(uintptr_t user) const;
  // Quick test that a valid header for a live block of exactly `requested` bytes precedes user.
  bool is_live_block(uintptr_t user, size_t requested) const;
  bool valid_free_block(const FreeBlock* block) const;
  void seal(FreeBlock* block) const;
  void seal(UsedHeader* header) const;

  uintptr_t raw_start_ = 0;
  uintptr_t raw_end_ = 0;
  uintptr_t heap_start_ = 0;  // blocks tile [heap_start_, heap_end_) exactly
  uintptr_t heap_end_ = 0;
  FreeBlock* head_ = nullptr;
  uint64_t cookie_ = 0;
  bool initialized_ = false;
  AllocStats stats_{};
};

}  // namespace bm
