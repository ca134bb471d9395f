// FixedBlockAllocator's fast paths: a slot from the first partial slab of its class, and a slot
// given back to its slab. Inline, so the common call costs no call and no Result in memory;
// included at the end of fixed_block_allocator.h. The slow paths are in fixed_block_allocator.cpp.
#pragma once

#include "lib/alloc/header_check.h"

namespace bm {

inline size_t FixedBlockAllocator::class_for(size_t size, size_t alignment) {
  // size - 1 wraps for 0, so one compare also turns away the empty request.
  if (size - 1 >= kMaxClassSize || !is_power_of_two(alignment)) return kNoClass;
  // The power of two at or above size, from its leading zeros: no loop over the classes.
  const size_t index = size <= kMinClassSize ? 0
                                             : 64 - static_cast<size_t>(__builtin_clzll(size - 1)) -
                                                   alloc_internal::kMinClassShift;
  if (alignment > alloc_internal::class_size(index)) return kNoClass;  // slots are class-aligned
  return index;
}

inline uint64_t FixedBlockAllocator::slab_check(const Slab* slab) const {
  return alloc_internal::header_check(slab_cookie_, alloc_internal::address_of(slab),
                                      slab->class_index, 0);
}

// The check covers the class; the two counters it does not cover are bounded here, since they
// change on every allocate and free.
inline bool FixedBlockAllocator::valid_slab(const Slab* slab) const {
  return slab->check == slab_check(slab) && slab->class_index < kClassCount &&
         slab->live_count <= slab->slot_count() && slab->hint < alloc_internal::kSlabBitmapWords;
}

// The slab at the head of class `index`'s partial list: valid_slab with the class known, so
// the check can be computed before the slab is read.
inline bool FixedBlockAllocator::valid_slab_of_class(const Slab* slab, size_t index) const {
  return slab->check == alloc_internal::header_check(slab_cookie_, alloc_internal::address_of(slab),
                                                     index, 0) &&
         slab->class_index == index &&
         slab->live_count <= alloc_internal::kClassLayouts[index].slot_count &&
         slab->hint < alloc_internal::kSlabBitmapWords;
}

inline FixedBlockAllocator::Slab* FixedBlockAllocator::slab_for(uintptr_t address) const {
  const uintptr_t chunk = align_down(address, kSlabSize);
  // The whole chunk must be inside the range before any of it is read; one compare, as a chunk
  // below the start wraps to a huge offset (slab_span_).
  if (chunk - heap_.heap_start_ >= slab_span_) return nullptr;
  // A large block's payload could only pass this check by holding this heap's check value for
  // exactly this address: stale slab headers are wiped when a slab goes back.
  auto* slab = reinterpret_cast<Slab*>(chunk + alloc_internal::kChunkHeader);
  return valid_slab(slab) ? slab : nullptr;
}

inline void FixedBlockAllocator::record_allocation(size_t size) {
  stats_.bytes_in_use += size;
  // A branch, not a store every time: the peak rarely moves.
  if (stats_.bytes_in_use > stats_.peak_bytes_in_use)
    stats_.peak_bytes_in_use = stats_.bytes_in_use;
  ++stats_.total_allocations;
}

// Takes the lowest free slot of a valid slab on its class's partial list.
inline Result<void*> FixedBlockAllocator::take_slot(Slab* slab, size_t size) {
  const size_t index = slab->class_index;
  size_t word = slab->hint;  // below kSlabBitmapWords: the slab is valid
  while (slab->used[word] == ~0ull) {
    if (++word == alloc_internal::kSlabBitmapWords) {  // a partial slab must have a free slot
      ++stats_.failed_allocations;
      return Error::kMalformed;
    }
  }
  const size_t bit = static_cast<size_t>(__builtin_ctzll(~slab->used[word]));
  const size_t slot = word * 64 + bit;
  slab->used[word] |= uint64_t{1} << bit;
  slab->hint = static_cast<uint32_t>(word);
  slab->requested()[slot] = static_cast<uint16_t>(size);
  if (slab->live_count == 0) --empty_slabs_[index];
  if (++slab->live_count == slab->slot_count()) unlink(slab);  // full: off the partial list
  free_slot_bytes_ -= alloc_internal::class_size(index);
  record_allocation(size);
  return reinterpret_cast<void*>(alloc_internal::slot_address(slab, slot));
}

// A slot from the class's first partial slab. Everything else (a bad request, no partial
// slab, a large block) goes through allocate_slow.
[[gnu::always_inline]] inline Result<void*> FixedBlockAllocator::allocate(size_t size,
                                                                          size_t alignment) {
  const size_t index = class_for(size, alignment);
  if (index != kNoClass) {
    Slab* slab = partial_[index];
    if (slab != nullptr && valid_slab_of_class(slab, index)) {
      return take_slot(slab, size);
    }
  }
  return allocate_slow(size, alignment);
}

inline void FixedBlockAllocator::release_slot(Slab* slab, size_t slot) {
  const size_t class_index = slab->class_index;
  stats_.bytes_in_use -= slab->requested()[slot];
  ++stats_.total_frees;
  slab->requested()[slot] = 0;
  slab->used[slot / 64] &= ~(uint64_t{1} << (slot % 64));
  if (slot / 64 < slab->hint) slab->hint = static_cast<uint32_t>(slot / 64);
  free_slot_bytes_ += alloc_internal::class_size(class_index);
  if (slab->live_count-- == slab->slot_count()) push_front(slab);  // was full: partial again
  if (slab->live_count == 0) {
    if (empty_slabs_[class_index] >= kSparesPerClass) {
      release_slab(slab);
    } else {
      ++empty_slabs_[class_index];
    }
  }
}

// A live slot goes back to its slab; anything else (a large block, a pointer that is not a
// live slot, nullptr) goes out of line. The slab's check and the slot's live bit are what
// catch double, foreign and interior frees.
[[gnu::always_inline]] inline Result<void> FixedBlockAllocator::free(void* ptr) {
  const uintptr_t address = alloc_internal::address_of(ptr);
  Slab* slab = slab_for(address);
  if (slab == nullptr) return free_large(ptr);
  const size_t slot = alloc_internal::slot_index(slab, address);
  if (slot == alloc_internal::kNoSlot || !alloc_internal::slot_live(slab, slot) ||
      slab->requested()[slot] - 1u >= alloc_internal::class_size(slab->class_index)) {
    return refuse_slot_free(slab, address);
  }
  release_slot(slab, slot);
  return {};
}

}  // namespace bm
