// The slab of FixedBlockAllocator: one 16 KiB chunk of the linked list holding the slots of
// one size class, its header, and the O(1) steps on it (which slot an address is, whether it
// is live). The allocator's policy (which slab serves a request, when one goes back) is not here.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/alloc/linked_list_allocator.h"
#include "lib/core/utility.h"

namespace bm::alloc_internal {

constexpr size_t kSlabSize = 16384;
constexpr size_t kClassCount = 8;     // 16, 32, ..., 2048 bytes
constexpr size_t kMinClassShift = 4;  // log2 of the smallest class
// The linked list's own header starts the chunk; the slab header follows it.
constexpr size_t kChunkHeader = LinkedListAllocator::kHeaderSize;

constexpr size_t class_size(size_t class_index) {
  return size_t{1} << (kMinClassShift + class_index);
}

struct Slab {
  uint64_t check;  // binds the address and class to this heap
  Slab* prev;      // neighbours in the class's partial list
  Slab* next;
  // Set when the slab goes back to the list. It lies past the 32 bytes a free header takes, so
  // it survives there and lets a late free of one of its slots be reported as a double free.
  uint64_t retired;
  uint32_t class_index;  // the slot count and layout follow from it (kClassLayouts)
  uint32_t live_count;
  uint32_t free_head;  // the chunk offset of the first slot of the free list, or kListEnd
  // uint16_t state[slot_count] follows (see kFreeSlot below).

  uint16_t* state() { return reinterpret_cast<uint16_t*>(this + 1); }
  const uint16_t* state() const { return reinterpret_cast<const uint16_t*>(this + 1); }
  uintptr_t chunk() const { return reinterpret_cast<uintptr_t>(this) - kChunkHeader; }
  uint32_t slot_count() const;  // of its class, below
};

// A slot's state word, kept out of band so a write through a stale pointer cannot reach it:
// a live slot's holds its requested size (1..class size); a free slot's holds kFreeSlot and
// the chunk offset of the next free slot, or kListEnd. The free slots of a slab form a LIFO
// list through these words, so allocate pops its head and free pushes onto it: no search.
constexpr uint16_t kFreeSlot = 0x8000;
constexpr uint16_t kListEnd = 0x7fff;
static_assert(kSlabSize <= kListEnd, "every offset in a chunk fits below kListEnd");

constexpr bool state_is_free(uint16_t state) { return (state & kFreeSlot) != 0; }
constexpr uint16_t free_link(uint16_t state) { return state & kListEnd; }

struct ClassLayout {
  uint32_t slot_count;
  uint32_t first_slot;  // offset of slot 0 from the chunk start, a multiple of the class size
};

// The most slots that fit next to the headers and the state array, each slot class-aligned.
constexpr ClassLayout layout_for(size_t class_size) {
  const size_t fixed = kChunkHeader + sizeof(Slab);
  for (size_t count = kSlabSize / class_size; count > 0; --count) {
    const size_t first = align_up(fixed + 2 * count, class_size);
    if (first + count * class_size <= kSlabSize) {
      return {static_cast<uint32_t>(count), static_cast<uint32_t>(first)};
    }
  }
  return {0, 0};
}

inline constexpr ClassLayout kClassLayouts[kClassCount] = {
    layout_for(class_size(0)), layout_for(class_size(1)), layout_for(class_size(2)),
    layout_for(class_size(3)), layout_for(class_size(4)), layout_for(class_size(5)),
    layout_for(class_size(6)), layout_for(class_size(7)),
};
static_assert(kClassLayouts[0].slot_count > 0 && kClassLayouts[kClassCount - 1].slot_count > 1);

inline uint32_t Slab::slot_count() const { return kClassLayouts[class_index].slot_count; }

constexpr size_t kNoSlot = ~size_t{0};

// The index of the slot that starts at `address` in a valid slab, or kNoSlot (a pointer into
// the middle of a slot or into the slab's metadata).
inline size_t slot_index(const Slab* slab, uintptr_t address) {
  const ClassLayout& layout = kClassLayouts[slab->class_index];
  const uintptr_t offset = address - (slab->chunk() + layout.first_slot);  // wraps when below
  const size_t shift = kMinClassShift + slab->class_index;  // a shift, not a division: hot path
  const size_t index = offset >> shift;
  if ((offset & ((size_t{1} << shift) - 1)) != 0 || index >= layout.slot_count) return kNoSlot;
  return index;
}

// A live slot's state is its requested size, 1..class size: one compare, as 0 wraps and a free
// slot's mark lies far above every class size. Any other state was overwritten.
inline bool slot_live(const Slab* slab, size_t index) {
  return slab->state()[index] - 1u < class_size(slab->class_index);
}

inline bool slot_free(const Slab* slab, size_t index) {
  return state_is_free(slab->state()[index]);
}

}  // namespace bm::alloc_internal
