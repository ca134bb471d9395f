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
constexpr size_t kClassCount = 8;        // 16, 32, ..., 2048 bytes
constexpr size_t kMinClassShift = 4;     // log2 of the smallest class
constexpr size_t kSlabBitmapWords = 16;  // 1024 slots, enough for the 16-byte class
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
  uint32_t hint;                    // no bitmap word below this one has a free slot
  uint64_t used[kSlabBitmapWords];  // bit set: slot live (bits past slot_count are always set)
  // uint16_t requested[slot_count] follows.

  uint16_t* requested() { return reinterpret_cast<uint16_t*>(this + 1); }
  const uint16_t* requested() const { return reinterpret_cast<const uint16_t*>(this + 1); }
  uintptr_t chunk() const { return reinterpret_cast<uintptr_t>(this) - kChunkHeader; }
  uint32_t slot_count() const;  // of its class, below
};

struct ClassLayout {
  uint32_t slot_count;
  uint32_t first_slot;  // offset of slot 0 from the chunk start, a multiple of the class size
};

// The most slots that fit next to the headers and the size array, each slot class-aligned.
constexpr ClassLayout layout_for(size_t class_size) {
  const size_t fixed = kChunkHeader + sizeof(Slab);
  for (size_t count = kSlabSize / class_size; count > 0; --count) {
    const size_t first = align_up(fixed + 2 * count, class_size);
    if (count <= kSlabBitmapWords * 64 && first + count * class_size <= kSlabSize) {
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

inline bool slot_live(const Slab* slab, size_t index) {
  return (slab->used[index / 64] >> (index % 64)) & 1;
}

inline uintptr_t slot_address(const Slab* slab, size_t index) {
  return slab->chunk() + kClassLayouts[slab->class_index].first_slot +
         (index << (kMinClassShift + slab->class_index));
}

}  // namespace bm::alloc_internal
