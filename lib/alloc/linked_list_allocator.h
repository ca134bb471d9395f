// LinkedListAllocator: a general-purpose heap over one contiguous range. Free blocks sit in
// segregated lists by size (free_lists.h); allocation takes a block from the first list whose
// blocks are all large enough and splits it, and free() coalesces with both neighbours through
// boundary tags, so neither walks the heap and freeing everything gives back one block.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/alloc/alloc_stats.h"
#include "lib/alloc/free_lists.h"
#include "lib/core/error.h"
#include "lib/core/page_size.h"
#include "lib/core/result.h"

namespace bm {

class FixedBlockAllocator;

// Every block starts 16-byte aligned and is a multiple of 16 bytes long:
//   live block: [padding 0|16][UsedHeader 16 B][payload rounded up to 16][slack 0|16]
//   free block: [FreeBlock 32 B][...][size, 8 B: the footer, shared with the header at 32 B]
// kMinBlockSize is 32 bytes, the size of a free block's header (and of the smallest live block:
// header plus one 16-byte granule). A remainder smaller than that cannot become a free block, so
// it stays in the live block: in front of the header as padding (recorded in the header) or
// behind the payload as slack. Larger leading remainders, which big alignments produce, are
// split off as free blocks.
// Boundary tags: two free blocks are never neighbours; a live header records whether the block
// before it is free (then that block's footer gives its start), and the block after a live one
// starts right behind its slack, where either a free header or a live header (maybe behind 16
// bytes of padding) must validate.
// Placement ("segregated fit"): the head of the request's own bin when it is large enough, else
// the head of the first non-empty bin whose blocks all fit, else the free block that ends the
// range (tail_, kept out of the bins so the end of the range is used last: it is what trim_end
// gives back, and it does not move between bins as it is split and merged). Lists are last-in
// first-out. Only when none of these fits (an over-aligned request, or a nearly full heap whose
// own-bin blocks are smaller than the request) are the blocks of the bins below walked for one
// that fits once aligned (first fit).
// allocate() of a request at most 16-byte aligned and free() are inline (linked_list_fast_path.h,
// on the boundary tags of linked_list_blocks.h); the rest is in linked_list_allocator.cpp.
// free() validates the block's header in O(1). A freed header is re-sealed as freed rather than
// wiped, so freeing the same pointer again is reported as a double free; a pointer into the
// middle of free memory, which only a walk could recognise, is refused as foreign.
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
  // kMalformed when a free block it takes, or a neighbour it updates, fails its check.
  Result<void*> allocate(size_t size, size_t alignment = 16);
  Result<void> free(void* ptr);
  Result<size_t> usable_size(const void* ptr) const;
  bool owns(const void* ptr) const;
  AllocStats stats() const {
    AllocStats result = stats_;
    result.blocks_in_use = stats_.total_allocations - stats_.total_frees;
    return result;
  }

 private:
  // FixedBlockAllocator carves its slabs out of this heap with an alignment above
  // kMaxAlignment and needs the requested size back from free.
  friend class FixedBlockAllocator;
  using FreeBlock = alloc_internal::FreeBlock;
  struct UsedHeader;
  struct UsedBlock {
    uintptr_t start;  // first byte of the block (padding included)
    uintptr_t end;    // one past its last byte (slack included)
    size_t requested;
  };
  // A free block chosen for a request and where its payload goes in it; block is nullptr
  // when no free block fits.
  struct Placement {
    FreeBlock* block;
    uintptr_t user;
  };

  // The payload pointer p satisfies (p - skew) % alignment == 0; skew is 0 or kHeaderSize (the
  // latter aligns the header instead of the payload). alignment is a power of two >= 16.
  Result<void*> allocate_block(size_t size, size_t alignment, size_t skew);
  // The slow paths, out of line so the inline fast paths stay small.
  [[gnu::noinline]] Result<void*> allocate_slow(size_t size, size_t alignment);
  [[gnu::noinline]] Error refuse_allocation(Error error);  // counts a failed allocate()
  [[gnu::noinline]] Error refuse_free(Error error);        // counts a rejected free()
  Result<Placement> find_block(size_t payload, size_t alignment, size_t skew);
  // The payload address for the request in `block`, or 0 when it does not fit there.
  uintptr_t place(const FreeBlock* block, size_t payload, size_t alignment, size_t skew) const;
  Result<void*> take(FreeBlock* block, uintptr_t user, size_t size, size_t payload);
  // Releases a live block and returns the size that was requested for it.
  Result<size_t> free_block(void* ptr);
  Result<size_t> release(void* ptr);  // free_block's body, inlined into free()
  [[gnu::noinline]] Result<size_t> release_block(UsedHeader* header, const UsedBlock& block);
  // Why free_block refuses a pointer inspect() refused with `error`: kDoubleFree when the block
  // was freed, else `error`.
  [[gnu::noinline]] Error refusal_for(uintptr_t header_at, Error error) const;
  Result<UsedBlock> inspect(uintptr_t user) const;

  // Boundary tags: the valid free block starting at `start`, or nullptr.
  FreeBlock* free_block_at(uintptr_t start) const;
  // The valid live header of the block starting at `start` (padding 0 or 16), or nullptr.
  UsedHeader* live_header_at(uintptr_t start) const;
  bool valid_free_block(const FreeBlock* block) const;
  bool readable_free_block(uintptr_t address) const;
  void seal(FreeBlock* block) const;  // also writes the footer
  void seal(UsedHeader* header) const;
  uint32_t check_of(const UsedHeader* header) const;
  // A new free block [start, start + size) in its list; tail_ when it ends the range.
  FreeBlock* add_free(uintptr_t start, size_t size);
  bool unlink(FreeBlock* block);
  bool replace_free(FreeBlock* old, uintptr_t start, size_t size);

  uintptr_t raw_start_ = 0;
  uintptr_t raw_end_ = 0;
  uintptr_t heap_start_ = 0;  // blocks tile [heap_start_, heap_end_) exactly
  uintptr_t heap_end_ = 0;
  alloc_internal::FreeLists free_lists_;
  FreeBlock* tail_ = nullptr;  // the free block ending at heap_end_, if any; in no bin
  uint64_t cookie_ = 0;        // binds live headers to this heap (header_check.h)
  uint64_t free_cookie_ = 0;   // the same, salted for free headers
  bool initialized_ = false;
  AllocStats stats_{};  // blocks_in_use comes from the totals in stats()
};

}  // namespace bm

#include "lib/alloc/linked_list_fast_path.h"
