// FixedBlockAllocator: power-of-two size classes (16..2048 bytes) served from 16 KiB slabs, with
// larger or over-aligned requests going straight to a LinkedListAllocator that owns the range.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/alloc/alloc_stats.h"
#include "lib/alloc/linked_list_allocator.h"
#include "lib/alloc/slab.h"
#include "lib/core/page_size.h"
#include "lib/core/result.h"

namespace bm {

// Slabs (slab.h): the inner LinkedListAllocator hands out 16 KiB chunks aligned to 16 KiB, its own
// block header first, so any slot pointer finds its slab by rounding down. A chunk holds
//   [list header 16 B][Slab header][state per slot, u16][slots, class-aligned]
// A slot has no header of its own: its state word, out of band in the slab, holds the requested
// size while it is live and a link to the next free slot while it is free, so a slab's free
// slots form a LIFO list. A request goes to class max(16, next power of two >= size), computed
// from its leading zeros, when that class is <= 2048 and at least the alignment; anything else
// is a "large" block of the linked list. Both calls are O(1): allocate() pops the head of the
// free list of the class's first partial slab (the slot freed last, still warm in the cache);
// free() rounds the pointer down to its chunk and takes it as a slab slot only when a valid slab
// header is there (its check is bound to its address, class and a per-heap cookie, and wiped
// when the slab goes back); only then is the state word consulted, which is what detects double
// frees (any slot that is not live, including one never handed out, gives kDoubleFree) and
// pointers into the middle of a slot or into slab metadata (kForeignPointer). The list links
// and its head are chunk offsets, so the next allocate's pointer is the freed pointer's own
// offset: nothing on the way from one pair's free to the next allocate waits for a load of the
// slab's class (see docs/performance.md). A link is checked before it is followed (a slot's
// offset, marked free), so a stray write into the state array gives kMalformed, never a live
// slot. A slab that goes back is stamped as retired where the list's free header does not
// reach, so a late free of one of its slots is still kDoubleFree.
// A small request that finds no free slot and no room for a new slab is served by the list as
// a large block instead, so a nearly full heap still satisfies it.
// Slab return policy: when a slab's last live slot is freed the slab goes back to the linked
// list at once, except that each class keeps one empty slab as a spare, so alloc/free pairs do
// not take and return a slab every time. When the linked list cannot satisfy a request, every
// spare is returned first and the request retried, so spare memory always stays reusable by
// other classes and large blocks (that release is the only change a failed allocate() makes).
// allocate() and free() of a slot are inline (fixed_block_fast_path.h); what they cannot finish
// goes to the out-of-line slow paths in fixed_block_allocator.cpp.
// Not thread-safe: the caller serialises access.
class FixedBlockAllocator {
 public:
  static constexpr size_t kMaxAlignment = kPageSize;
  static constexpr size_t kClassCount = alloc_internal::kClassCount;
  static constexpr size_t kMinClassSize = alloc_internal::class_size(0);
  static constexpr size_t kMaxClassSize = alloc_internal::class_size(kClassCount - 1);
  static constexpr size_t kSlabSize = alloc_internal::kSlabSize;

  constexpr FixedBlockAllocator() = default;
  FixedBlockAllocator(const FixedBlockAllocator&) = delete;
  FixedBlockAllocator& operator=(const FixedBlockAllocator&) = delete;

  Result<void> init(void* base, size_t size);
  Result<void> extend(size_t bytes);
  // As LinkedListAllocator::trim_end; when that gives nothing back, the spare slabs go back
  // to the list first and it tries once more.
  Result<size_t> trim_end(size_t granularity, size_t keep_total, size_t keep_free);
  Result<void*> allocate(size_t size, size_t alignment = 16);
  Result<void> free(void* ptr);
  Result<size_t> usable_size(const void* ptr) const;
  bool owns(const void* ptr) const;
  AllocStats stats() const;

  // Slabs currently held (live or spare); lets tests and the kernel's statistics see the policy.
  size_t slab_count() const { return slab_count_; }

 private:
  using Slab = alloc_internal::Slab;
  static constexpr size_t kNoClass = kClassCount;
  static constexpr size_t kSparesPerClass = 1;  // empty slabs a class keeps (see above)

  // The size class serving this request, or kNoClass (also for a size or alignment that
  // allocate() refuses, which allocate_slow then sorts out).
  static size_t class_for(size_t size, size_t alignment);
  // The slab holding ptr, or nullptr when ptr is not inside a valid slab.
  Slab* slab_for(uintptr_t address) const;
  bool valid_slab(const Slab* slab) const;
  bool valid_slab_of_class(const Slab* slab, size_t index) const;
  void update_slab_span();  // after the list's range changes
  Result<size_t> trim_list(size_t granularity, size_t keep_total, size_t keep_free);
  uint64_t slab_check(const Slab* slab) const;
  bool in_retired_slab(uintptr_t address) const;
  void release_slot(Slab* slab, size_t slot, uintptr_t address);
  void record_allocation(size_t size);

  // The slow paths, out of line so the inline fast paths stay small.
  [[gnu::noinline]] Result<void*> allocate_slow(size_t size, size_t alignment);
  [[gnu::noinline]] Result<void> free_large(void* ptr);
  // Why free() refuses a pointer into a valid slab that is not a live slot.
  [[gnu::noinline]] Error refuse_slot_free(const Slab* slab, uintptr_t address);
  Result<void*> take_slot(Slab* slab, size_t class_index, size_t size);
  Result<Slab*> acquire_slab(size_t class_index);
  [[gnu::noinline]] void release_slab(Slab* slab);
  // Returns every empty slab to the linked list; false when there was none.
  bool release_spare_slabs();
  // Takes the class from the caller, which knows it, not from the header.
  [[gnu::noinline]] void unlink(Slab* slab, size_t class_index);
  [[gnu::noinline]] void push_front(Slab* slab);
  Result<void*> allocate_large(size_t size, size_t alignment);

  LinkedListAllocator heap_;
  Slab* partial_[kClassCount] = {};       // slabs of each class with at least one free slot
  size_t empty_slabs_[kClassCount] = {};  // how many of those are entirely free
  size_t slab_count_ = 0;
  // A chunk c can be a slab when c - heap start < slab_span_ (the chunk lies inside the range).
  uintptr_t slab_span_ = 0;
  size_t free_slot_bytes_ = 0;  // free slots of all slabs, in bytes
  uint64_t slab_cookie_ = 0;    // this heap's cookie (header_check.h), salted for slab headers
  bool initialized_ = false;
  // capacity_bytes and free_bytes come from heap_ in stats(), blocks_in_use from the totals.
  AllocStats stats_{};
};

}  // namespace bm

#include "lib/alloc/fixed_block_fast_path.h"
