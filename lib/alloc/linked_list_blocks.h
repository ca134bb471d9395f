// Boundary tags of LinkedListAllocator: the live block's header, the checks that bind every
// header to its address and heap, and the O(1) look-ups of a block and its neighbours. Inline
// because both fast paths (linked_list_fast_path.h) run through them on every call.
#pragma once

#include "lib/alloc/header_check.h"

namespace bm {

namespace alloc_internal {
inline constexpr uint8_t kUsedTag = 0x4c;    // 'L': a live block
inline constexpr uint8_t kFreedTag = 0x6c;   // 'l': left by free(), so a second free is recognised
inline constexpr uint8_t kPreviousFree = 1;  // UsedHeader::flags: the block right before is free
inline constexpr uint64_t kFreeSalt = 0x465245454c495354ull;  // free checks differ from used ones
}  // namespace alloc_internal

struct LinkedListAllocator::UsedHeader {
  uint64_t requested;
  uint8_t padding;  // bytes between the block start and this header: 0 or 16
  uint8_t slack;    // bytes after the rounded-up payload that belong to the block: 0 or 16
  uint8_t tag;      // kUsedTag while live, kFreedTag once freed
  uint8_t flags;    // kPreviousFree
  uint32_t check;

  // padding, slack, tag and flags as one little-endian word, in that order. Written as one
  // store too, so the check that reads them back right after is forwarded from it.
  static constexpr uint32_t pack(uint32_t padding, uint32_t slack, uint32_t tag, uint32_t flags) {
    return padding | slack << 8 | tag << 16 | flags << 24;
  }
  uint32_t fields() const {
    uint32_t word = 0;
    __builtin_memcpy(&word, &padding, sizeof word);
    return word;
  }
  void set_fields(uint32_t word) { __builtin_memcpy(&padding, &word, sizeof word); }
  // Read through fields(), the width it was written at, so the load forwards from that store.
  bool previous_free() const {
    return (fields() & pack(0, 0, 0, alloc_internal::kPreviousFree)) != 0;
  }
  bool live() const {
    return (fields() & pack(0, 0, 0xff, 0)) == pack(0, 0, alloc_internal::kUsedTag, 0);
  }
};

inline uint32_t LinkedListAllocator::check_of(const UsedHeader* header) const {
  return alloc_internal::fold32(alloc_internal::header_check(
      cookie_, alloc_internal::address_of(header), header->requested, header->fields()));
}

inline void LinkedListAllocator::seal(FreeBlock* block) const {
  block->check =
      alloc_internal::header_check(free_cookie_, alloc_internal::address_of(block), block->size, 0);
  auto* footer = reinterpret_cast<uint64_t*>(alloc_internal::address_of(block) + block->size -
                                             sizeof(uint64_t));
  *footer = block->size;
}

inline void LinkedListAllocator::seal(UsedHeader* header) const {
  header->check = check_of(header);
}

// Whether a free header at `address` would lie wholly inside the range, so it may be read.
// Only called on an initialised heap, whose range holds at least kMinBlockSize bytes.
inline bool LinkedListAllocator::readable_free_block(uintptr_t address) const {
  // One unsigned compare: an address below the start wraps to a huge offset.
  return address % kGranule == 0 &&
         address - heap_start_ <= heap_end_ - heap_start_ - kMinBlockSize;
}

// Checks a free block before anything in it is trusted. Always inline: on the fast paths the
// compiler then sees whether the block is tail_ and keeps only that branch.
[[gnu::always_inline]] inline bool LinkedListAllocator::valid_free_block(
    const FreeBlock* block) const {
  const uintptr_t address = alloc_internal::address_of(block);
  if (block == tail_) {  // its address is the allocator's own, and it must end the range exactly
    return block->check == alloc_internal::header_check(free_cookie_, address, block->size, 0) &&
           block->size == heap_end_ - address;
  }
  if (!readable_free_block(address)) return false;
  const uint64_t size = block->size;
  return block->check == alloc_internal::header_check(free_cookie_, address, size, 0) &&
         size % kGranule == 0 && size - kMinBlockSize <= heap_end_ - address - kMinBlockSize;
}

inline LinkedListAllocator::FreeBlock* LinkedListAllocator::free_block_at(uintptr_t start) const {
  auto* block = reinterpret_cast<FreeBlock*>(start);
  return valid_free_block(block) ? block : nullptr;
}

// Validates the live block whose payload starts at user; only reads inside the range (an
// uninitialised heap has an empty one, so every pointer is foreign there).
inline Result<LinkedListAllocator::UsedBlock> LinkedListAllocator::inspect(uintptr_t user) const {
  if (user % kGranule != 0 || user < heap_start_ + kHeaderSize || user >= heap_end_) {
    return Error::kForeignPointer;
  }
  const uintptr_t header_at = user - kHeaderSize;
  const auto* header = reinterpret_cast<const UsedHeader*>(header_at);
  if (!header->live()) return Error::kForeignPointer;
  if (header->check != check_of(header)) return Error::kMalformed;
  // A header that passes its check can still describe an impossible block if it was forged.
  // Padding and slack are 0 or 16 and flags only kPreviousFree: one mask covers all three.
  constexpr uint32_t kVariableBits =
      UsedHeader::pack(kGranule, kGranule, 0, alloc_internal::kPreviousFree);
  constexpr uint32_t kFixedBits = UsedHeader::pack(0, 0, alloc_internal::kUsedTag, 0);
  const uint64_t requested = header->requested;
  const uint32_t fields = header->fields();
  const uint32_t padding = fields & 0xff;
  const uint32_t slack = fields >> 8 & 0xff;
  // requested - 1 wraps for 0; room is a multiple of 16, so the rounded payload fits too.
  if ((fields & ~kVariableBits) != kFixedBits || requested - 1 >= heap_end_ - user ||
      padding > header_at - heap_start_) {
    return Error::kMalformed;
  }
  const uintptr_t payload_end = user + align_up(requested, kGranule);
  if (slack > heap_end_ - payload_end) return Error::kMalformed;
  return UsedBlock{header_at - padding, payload_end + slack, static_cast<size_t>(requested)};
}

}  // namespace bm
