// FixedBlockAllocator's fast paths: a slot popped from the free list of the first partial slab
// of its class, and a slot pushed back onto its slab's list. Inline, so the common call costs no
// call and no Result in memory; included at the end of fixed_block_allocator.h. The slow paths
// are in fixed_block_allocator.cpp.
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
         slab->live_count <= slab->slot_count();
}

// The slab at the head of class `index`'s partial list. Only its check is compared: allocate
// takes the class and slot count from `index`, not from the header, and take_slot checks the
// free list it follows, so a stray write elsewhere in the header cannot make it hand out
// memory outside a free slot (free, which does read them, checks them in valid_slab).
inline bool FixedBlockAllocator::valid_slab_of_class(const Slab* slab, size_t index) const {
  return slab->check ==
         alloc_internal::header_check(slab_cookie_, alloc_internal::address_of(slab), index, 0);
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

// Pops the head of a valid slab's free list; the slab is on its class's partial list. The head
// and its link are checked before they are followed: an offset that is not a slot's or a slot
// that is not marked free means the header or the state array was overwritten.
inline Result<void*> FixedBlockAllocator::take_slot(Slab* slab, size_t index, size_t size) {
  const alloc_internal::ClassLayout& layout = alloc_internal::kClassLayouts[index];
  const size_t offset = slab->free_head;
  const size_t from_first = offset - layout.first_slot;  // wraps when below the first slot
  const size_t slot = from_first >> (alloc_internal::kMinClassShift + index);
  uint16_t* state = slab->state();
  if (slot >= layout.slot_count || (from_first & (alloc_internal::class_size(index) - 1)) != 0 ||
      !alloc_internal::state_is_free(state[slot])) {
    ++stats_.failed_allocations;
    return Error::kMalformed;
  }
  slab->free_head = alloc_internal::free_link(state[slot]);
  state[slot] = static_cast<uint16_t>(size);
  if (slab->live_count == 0) --empty_slabs_[index];
  if (++slab->live_count == layout.slot_count) unlink(slab, index);  // full: off the partial list
  free_slot_bytes_ -= alloc_internal::class_size(index);
  record_allocation(size);
  return reinterpret_cast<void*>(slab->chunk() + offset);
}

// A slot from the class's first partial slab. Everything else (a bad request, no partial
// slab, a large block) goes through allocate_slow.
[[gnu::always_inline]] inline Result<void*> FixedBlockAllocator::allocate(size_t size,
                                                                          size_t alignment) {
  const size_t index = class_for(size, alignment);
  if (index != kNoClass) {
    Slab* slab = partial_[index];
    if (slab != nullptr && valid_slab_of_class(slab, index)) {
      return take_slot(slab, index, size);
    }
  }
  return allocate_slow(size, alignment);
}

inline void FixedBlockAllocator::release_slot(Slab* slab, size_t slot, uintptr_t address) {
  const size_t class_index = slab->class_index;
  uint16_t* state = slab->state();
  stats_.bytes_in_use -= state[slot];
  ++stats_.total_frees;
  state[slot] = static_cast<uint16_t>(alloc_internal::kFreeSlot | slab->free_head);
  // The head is the slot's offset in the chunk, from the pointer itself: the next allocate's
  // pointer does not wait for the slot index, which needs the class from the header.
  slab->free_head = static_cast<uint32_t>(address & (kSlabSize - 1));
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
// live slot, nullptr) goes out of line. The slab's check and the slot's state word are what
// catch double, foreign and interior frees.
[[gnu::always_inline]] inline Result<void> FixedBlockAllocator::free(void* ptr) {
  const uintptr_t address = alloc_internal::address_of(ptr);
  Slab* slab = slab_for(address);
  if (slab == nullptr) return free_large(ptr);
  const size_t slot = alloc_internal::slot_index(slab, address);
  // slot_live is one compare: it refuses a free slot and one whose state was overwritten.
  if (slot == alloc_internal::kNoSlot || !alloc_internal::slot_live(slab, slot)) {
    return refuse_slot_free(slab, address);
  }
  release_slot(slab, slot, address);
  return {};
}

}  // namespace bm
