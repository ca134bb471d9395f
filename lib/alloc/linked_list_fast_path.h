// LinkedListAllocator's fast paths: allocate() of a request at most 16-byte aligned, and free().
// Inline, so the common call costs no call; both still validate every header they read or
// write (linked_list_blocks.h). Over-aligned and failing requests, and refused frees, go to the
// out-of-line code in linked_list_allocator.cpp. Included at the end of linked_list_allocator.h.
#pragma once

#include "lib/alloc/linked_list_blocks.h"
#include "lib/core/placement_new.h"
#include "lib/core/utility.h"

namespace bm {

// The free block that ends the range becomes tail_ and stays out of the bins; any other goes
// into its bin.
inline LinkedListAllocator::FreeBlock* LinkedListAllocator::add_free(uintptr_t start, size_t size) {
  auto* block = new (reinterpret_cast<void*>(start)) FreeBlock{0, nullptr, nullptr, size};
  seal(block);
  if (start + size == heap_end_) {
    tail_ = block;
  } else {
    free_lists_.insert(block);
  }
  return block;
}

inline bool LinkedListAllocator::unlink(FreeBlock* block) {
  if (block == tail_) {
    tail_ = nullptr;
    return true;
  }
  return free_lists_.unlink(block, [this](const FreeBlock* link) {
    return readable_free_block(alloc_internal::address_of(link));
  });
}

// The free block `old` becomes [start, start + size): the tail simply moves; a binned block keeps
// its place in its list when the size stays in the same bin, else it is relinked.
[[gnu::always_inline]] inline bool LinkedListAllocator::replace_free(FreeBlock* old,
                                                                     uintptr_t start, size_t size) {
  if (old == tail_ && start + size == heap_end_) {  // the tail moves and stays the tail
    if (alloc_internal::address_of(old) != start) old->check = 0;
    // Writing the links too covers a live header that was there, so its pointer is a double free.
    auto* block = new (reinterpret_cast<void*>(start)) FreeBlock{0, nullptr, nullptr, size};
    seal(block);
    tail_ = block;
    return true;
  }
  const size_t bin = alloc_internal::bin_of(old->size);
  if (old == tail_ || alloc_internal::bin_of(size) != bin || start + size == heap_end_) {
    if (!unlink(old)) return false;
    // A stale header must never validate again.
    if (alloc_internal::address_of(old) != start) old->check = 0;
    add_free(start, size);
    return true;
  }
  auto* block = reinterpret_cast<FreeBlock*>(start);
  if (!free_lists_.replace(old, block, bin, [this](const FreeBlock* link) {
        return readable_free_block(alloc_internal::address_of(link));
      })) {
    return false;
  }
  if (block != old) old->check = 0;
  block->size = size;
  seal(block);
  return true;
}

[[gnu::always_inline]] inline Result<void*> LinkedListAllocator::take(FreeBlock* block,
                                                                      uintptr_t user, size_t size,
                                                                      size_t payload) {
  // Lay out [lead][live block][tail]; read the block's fields before the header can overlap them.
  const uintptr_t start = alloc_internal::address_of(block);
  const uintptr_t end = start + block->size;
  const uintptr_t header_at = user - kHeaderSize;
  const size_t lead = header_at - start;
  const uintptr_t payload_end = user + payload;
  const size_t tail = end - payload_end;
  const bool split_lead = lead >= kMinBlockSize;
  const bool split_tail = tail >= kMinBlockSize;
  const uintptr_t block_start = split_lead ? header_at : start;
  const uintptr_t block_end = split_tail ? payload_end : end;
  // Taken whole, the block stops being the free neighbour of the live block after it.
  UsedHeader* next_header = nullptr;
  if (!split_tail && end != heap_end_) {
    next_header = live_header_at(end);
    if (next_header == nullptr) return Error::kMalformed;
  }
  if (split_lead) {  // only over-aligned requests: the lead keeps the block's header
    if (!unlink(block)) return Error::kMalformed;
    add_free(start, lead);
    if (split_tail) add_free(payload_end, tail);
  } else if (split_tail) {
    if (!replace_free(block, payload_end, tail)) return Error::kMalformed;
  } else {
    if (!unlink(block)) return Error::kMalformed;
    block->check = 0;  // a stale free header must never validate again
  }
  if (next_header != nullptr) {
    next_header->set_fields(next_header->fields() &
                            ~UsedHeader::pack(0, 0, 0, alloc_internal::kPreviousFree));
    seal(next_header);
  }
  if (header_at != block_start) {  // padding: wipe what a free header left there
    auto* padding = reinterpret_cast<uint64_t*>(block_start);
    padding[0] = 0;
    padding[1] = 0;
  }
  auto* header = new (reinterpret_cast<void*>(header_at)) UsedHeader;
  header->requested = size;
  header->set_fields(UsedHeader::pack(static_cast<uint32_t>(header_at - block_start),
                                      static_cast<uint32_t>(block_end - payload_end),
                                      alloc_internal::kUsedTag,
                                      split_lead ? alloc_internal::kPreviousFree : 0));
  seal(header);

  stats_.free_bytes -= block_end - block_start;
  stats_.bytes_in_use += size;
  // A branch, not a store every time: the peak rarely moves.
  if (stats_.bytes_in_use > stats_.peak_bytes_in_use)
    stats_.peak_bytes_in_use = stats_.bytes_in_use;
  ++stats_.total_allocations;
  return reinterpret_cast<void*>(user);
}

[[gnu::always_inline]] inline Result<size_t> LinkedListAllocator::release(void* ptr) {
  const uintptr_t user = alloc_internal::address_of(ptr);
  // An uninitialised heap has an empty range: every pointer is foreign there.
  if (user % kGranule != 0 || user < heap_start_ + kHeaderSize || user >= heap_end_) {
    return Error::kForeignPointer;
  }
  const uintptr_t header_at = user - kHeaderSize;
  auto* header = reinterpret_cast<UsedHeader*>(header_at);
  // inspect() tests the tag too; testing it here first, on its own, measured 6 instructions a
  // pair fewer (callgrind, clang -O2) than leaving every refusal to the test below.
  if (!header->live()) return refusal_for(header_at, Error::kForeignPointer);
  // Once freed, the block's header may lie under a free header, whose link or size can look
  // like a live tag by chance and then fail the check: refusal_for still sees the double free.
  const auto inspected = inspect(user);
  if (!inspected.ok()) return refusal_for(header_at, inspected.error());
  const UsedBlock block = *inspected;

  // A pair's common case: nothing free before, the tail right after: the tail grows down over
  // the block. Everything else merges in release_block.
  if (!header->previous_free() && tail_ != nullptr &&
      block.end == alloc_internal::address_of(tail_) && valid_free_block(tail_)) {
    const size_t size = block.end - block.start + tail_->size;
    tail_->check = 0;  // inside the merged block now
    // Its links cover the live header too, so its pointer is a double free from now on.
    tail_ = new (reinterpret_cast<void*>(block.start)) FreeBlock{0, nullptr, nullptr, size};
    seal(tail_);
    stats_.free_bytes += block.end - block.start;
    stats_.bytes_in_use -= block.requested;
    ++stats_.total_frees;
    return block.requested;
  }
  return release_block(header, block);
}

// The common request, at most 16-byte aligned: its block starts with the header, so the head
// of a bin that holds `need` bytes serves it as it is. size - 1 wraps for 0 (refused below).
[[gnu::always_inline]] inline Result<void*> LinkedListAllocator::allocate(size_t size,
                                                                          size_t alignment) {
  if (alignment - 1 < kGranule && is_power_of_two(alignment) &&
      size - 1 < heap_end_ - heap_start_) {
    const size_t payload = align_up(size, kGranule);
    const size_t need = payload + kHeaderSize;
    FreeBlock* block = tail_;  // all that is left when every bin is empty
    if (!free_lists_.empty()) {
      block = free_lists_.head(alloc_internal::bin_of(need));
      if (block == nullptr || block->size < need) {
        const size_t bin = free_lists_.first_non_empty(alloc_internal::first_bin_holding(need));
        block = bin != alloc_internal::FreeLists::kNone ? free_lists_.head(bin) : tail_;
      }
    }
    if (block != nullptr && (block != tail_ || block->size >= need)) {
      if (!valid_free_block(block) || block->size < need)
        return refuse_allocation(Error::kMalformed);
      auto taken = take(block, alloc_internal::address_of(block) + kHeaderSize, size, payload);
      if (!taken.ok()) return refuse_allocation(taken.error());
      return taken;
    }
  }
  return allocate_slow(size, alignment);
}

[[gnu::always_inline]] inline Result<void> LinkedListAllocator::free(void* ptr) {
  if (ptr == nullptr) return {};
  auto released = release(ptr);
  if (!released.ok()) return refuse_free(released.error());
  return {};
}

}  // namespace bm
