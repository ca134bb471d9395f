// LinkedListAllocator: segregated free lists, splitting, and O(1) coalescing through boundary
// tags.
#include "lib/alloc/linked_list_allocator.h"

#include "lib/alloc/header_check.h"
#include "lib/alloc/request_check.h"
#include "lib/core/placement_new.h"
#include "lib/core/utility.h"

namespace bm {

using alloc_internal::address_of;
using alloc_internal::bin_of;
using alloc_internal::first_bin_holding;
using alloc_internal::FreeLists;
using alloc_internal::kFreedTag;

Result<void> LinkedListAllocator::init(void* base, size_t size) {
  static_assert(sizeof(FreeBlock) == kMinBlockSize && sizeof(UsedHeader) == kHeaderSize);
  if (initialized_ || base == nullptr) return Error::kInvalidArgument;
  const uintptr_t raw = address_of(base);
  if (size > UINTPTR_MAX - raw) return Error::kInvalidArgument;
  uintptr_t start = 0;
  if (!align_up_checked(raw, kGranule, &start)) return Error::kInvalidArgument;
  const uintptr_t end = align_down(raw + size, kGranule);
  if (end <= start || end - start < kMinBlockSize) return Error::kInvalidArgument;
  raw_start_ = raw;
  raw_end_ = raw + size;
  heap_start_ = start;
  heap_end_ = end;
  cookie_ = alloc_internal::make_cookie(this, raw);
  free_cookie_ = cookie_ ^ alloc_internal::kFreeSalt;
  add_free(start, end - start);
  initialized_ = true;
  stats_ = AllocStats{};
  stats_.capacity_bytes = size;
  stats_.free_bytes = end - start;
  return {};
}

Result<void> LinkedListAllocator::extend(size_t bytes) {
  if (!initialized_ || bytes > UINTPTR_MAX - raw_end_) return Error::kInvalidArgument;
  if (bytes == 0) return {};
  const uintptr_t new_raw_end = raw_end_ + bytes;
  const uintptr_t new_end = align_down(new_raw_end, kGranule);
  const size_t grown = new_end - heap_end_;
  // A free block at the end grows; after a live block the new bytes become a block of their own.
  FreeBlock* last = tail_;
  if (last != nullptr && (!valid_free_block(last) || !unlink(last))) return Error::kMalformed;
  raw_end_ = new_raw_end;
  stats_.capacity_bytes += bytes;
  if (last == nullptr && grown < kMinBlockSize) {
    return {};  // too few bytes for a block behind a live one; they join the next extension
  }
  const uintptr_t start = last != nullptr ? address_of(last) : heap_end_;
  heap_end_ = new_end;
  add_free(start, new_end - start);
  stats_.free_bytes += grown;
  return {};
}

Result<size_t> LinkedListAllocator::trim_end(size_t granularity, size_t keep_total,
                                             size_t keep_free) {
  if (!initialized_ || granularity == 0 || (granularity & (granularity - 1)) != 0 ||
      granularity % kGranule != 0) {
    return Error::kInvalidArgument;
  }
  // Only a free block that runs to the end, in a range that ends on a granule boundary.
  FreeBlock* last = tail_;
  if (last == nullptr || raw_end_ != heap_end_ || raw_end_ % granularity != 0) return size_t{0};
  if (!valid_free_block(last)) return Error::kMalformed;
  const uintptr_t start = address_of(last);
  size_t floor_bytes = max(keep_total, size_t{kMinBlockSize});
  uintptr_t cut = max(start + keep_free, raw_start_ + floor_bytes);
  if (cut > raw_end_) return size_t{0};
  cut = align_up(cut, granularity);
  // What stays of the block must still be a block.
  if (cut > start && cut - start < kMinBlockSize) cut += granularity;
  if (cut >= raw_end_) return size_t{0};
  if (!unlink(last)) return Error::kMalformed;
  const size_t released = raw_end_ - cut;
  raw_end_ = cut;
  heap_end_ = cut;
  if (cut != start) add_free(start, cut - start);
  stats_.capacity_bytes -= released;
  stats_.free_bytes -= released;
  return released;
}

// What the inline allocate() does not serve: a bad request, an over-aligned one, or one no
// bin head or tail fits (a nearly full heap).
Result<void*> LinkedListAllocator::allocate_slow(size_t size, size_t alignment) {
  if (Error bad = check_allocation_request(size, alignment, kMaxAlignment); bad != Error::kOk) {
    return refuse_allocation(bad);
  }
  return allocate_block(size, max(alignment, kGranule), 0);
}

Error LinkedListAllocator::refuse_allocation(Error error) {
  ++stats_.failed_allocations;
  return error;
}

Error LinkedListAllocator::refuse_free(Error error) {
  ++stats_.rejected_frees;
  return error;
}

Result<void*> LinkedListAllocator::allocate_block(size_t size, size_t alignment, size_t skew) {
  size_t payload = 0;
  if (!initialized_ || !align_up_checked(size, kGranule, &payload) ||
      payload > heap_end_ - heap_start_) {
    ++stats_.failed_allocations;
    return Error::kOutOfMemory;
  }
  auto found = find_block(payload, alignment, skew);
  if (found.ok() && found->block != nullptr) {
    auto taken = take(found->block, found->user, size, payload);
    if (!taken.ok()) ++stats_.failed_allocations;
    return taken;
  }
  ++stats_.failed_allocations;
  return found.ok() ? Error::kOutOfMemory : found.error();
}

// The payload address for this request in `block`, or 0 when it does not fit.
inline uintptr_t LinkedListAllocator::place(const FreeBlock* block, size_t payload,
                                            size_t alignment, size_t skew) const {
  const uintptr_t start = address_of(block);
  const uintptr_t end = start + block->size;
  uintptr_t aligned = 0;
  if (!align_up_checked(start + kHeaderSize - skew, alignment, &aligned) || aligned > end - skew) {
    return 0;
  }
  const uintptr_t user = aligned + skew;
  return user < end && end - user >= payload ? user : 0;
}

inline Result<LinkedListAllocator::Placement> LinkedListAllocator::find_block(size_t payload,
                                                                              size_t alignment,
                                                                              size_t skew) {
  const size_t plain = payload + kHeaderSize;  // the block an unaligned request needs
  const auto placed = [&](FreeBlock* block) -> Result<Placement> {
    if (!valid_free_block(block)) return Error::kMalformed;
    return Placement{block, place(block, payload, alignment, skew)};
  };
  // 1. The head of the request's own bin: for the exact bins below 1 KiB, an exact fit.
  if (FreeBlock* own = free_lists_.head(bin_of(plain)); own != nullptr) {
    const Placement placement = BM_TRY(placed(own));
    if (placement.user != 0) return placement;
  }
  // 2. The head of the first non-empty bin whose blocks all fit even at the worst alignment.
  const size_t worst = payload + alignment;  // the payload starts at most `alignment` bytes in
  const size_t all_fit = worst < payload ? FreeLists::kNone : first_bin_holding(worst);
  if (const size_t bin = free_lists_.first_non_empty(all_fit); bin != FreeLists::kNone) {
    const Placement placement = BM_TRY(placed(free_lists_.head(bin)));
    if (placement.user == 0) return Error::kMalformed;  // large enough by construction
    return placement;
  }
  // 3. The free block at the end of the range, kept for last so the end stays free longest.
  if (tail_ != nullptr) {
    const Placement placement = BM_TRY(placed(tail_));
    if (placement.user != 0) return placement;
  }
  // 4. Nothing is that large: a block of the bins in between may still fit (its own bin holds
  //    some sizes below the request; alignment may leave room). The only walk, and it happens
  //    only for over-aligned requests or a nearly full heap.
  for (size_t bin = free_lists_.first_non_empty(bin_of(plain)); bin < all_fit;
       bin = free_lists_.first_non_empty(bin + 1)) {
    for (FreeBlock* block = free_lists_.head(bin); block != nullptr; block = block->next) {
      const Placement placement = BM_TRY(placed(block));
      if (placement.user != 0) return placement;
      // Following a link only after its target points back keeps a damaged list from looping.
      if (block->next != nullptr &&
          (!readable_free_block(address_of(block->next)) || block->next->prev != block)) {
        return Error::kMalformed;
      }
    }
  }
  return Placement{nullptr, 0};
}

Error LinkedListAllocator::refusal_for(uintptr_t header_at, Error error) const {
  const auto* header = reinterpret_cast<const UsedHeader*>(header_at);
  if (header->tag == kFreedTag && header->check == check_of(header)) {
    return Error::kDoubleFree;
  }
  // Freed without merging into the block before: a free header starts the block now, at the
  // old header (no padding) or 16 bytes before it (padding).
  if (free_block_at(header_at) != nullptr ||
      (header_at - heap_start_ >= kGranule && free_block_at(header_at - kGranule) != nullptr)) {
    return Error::kDoubleFree;
  }
  return error;
}

// Out of line: only an exact fit and a free before a live block need it.
LinkedListAllocator::UsedHeader* LinkedListAllocator::live_header_at(uintptr_t start) const {
  for (uintptr_t padding = 0; padding <= kGranule; padding += kGranule) {
    auto block = inspect(start + padding + kHeaderSize);
    if (block.ok() && block->start == start) {
      return reinterpret_cast<UsedHeader*>(start + padding);
    }
  }
  return nullptr;
}

// release()'s general case: coalesces with whichever neighbours are free.
Result<size_t> LinkedListAllocator::release_block(UsedHeader* header, const UsedBlock& block) {
  // Both neighbours are checked before anything changes; a damaged one refuses the free.
  FreeBlock* before = nullptr;
  if (header->previous_free()) {
    if (block.start - heap_start_ < kMinBlockSize) return Error::kMalformed;
    const uint64_t before_size = *reinterpret_cast<const uint64_t*>(block.start - sizeof(uint64_t));
    if (before_size > block.start - heap_start_) return Error::kMalformed;
    before = free_block_at(block.start - before_size);
    if (before == nullptr || before->size != before_size) return Error::kMalformed;
  }
  FreeBlock* after = nullptr;
  UsedHeader* after_header = nullptr;
  if (block.end != heap_end_) {
    after = free_block_at(block.end);
    if (after == nullptr) {
      after_header = live_header_at(block.end);
      if (after_header == nullptr) return Error::kMalformed;
    }
  }

  const uintptr_t start = before != nullptr ? address_of(before) : block.start;
  const uintptr_t end = after != nullptr ? block.end + after->size : block.end;
  if (before != nullptr && after != nullptr) {
    if (!unlink(after)) return Error::kMalformed;
    if (!replace_free(before, start, end - start)) {
      add_free(block.end, after->size);  // undo: after goes back as it was
      return Error::kMalformed;
    }
    after->check = 0;  // inside the merged block now
  } else if (before != nullptr || after != nullptr) {
    if (!replace_free(before != nullptr ? before : after, start, end - start)) {
      return Error::kMalformed;
    }
  } else {
    add_free(start, end - start);
  }
  // The new free header covers the live one unless the block merged into the one before; then
  // the live header stays inside free memory, sealed as freed so a second free is recognised.
  if (before != nullptr) {
    const uint32_t kept = header->fields() & UsedHeader::pack(0xff, 0xff, 0, 0);  // padding, slack
    header->set_fields(kept | UsedHeader::pack(0, 0, kFreedTag, 0));
    seal(header);
  }
  if (after_header != nullptr) {
    after_header->set_fields(after_header->fields() |
                             UsedHeader::pack(0, 0, 0, alloc_internal::kPreviousFree));
    seal(after_header);
  }
  stats_.free_bytes += block.end - block.start;
  stats_.bytes_in_use -= block.requested;
  ++stats_.total_frees;
  return block.requested;
}

Result<size_t> LinkedListAllocator::free_block(void* ptr) { return release(ptr); }
Result<size_t> LinkedListAllocator::usable_size(const void* ptr) const {
  auto block = inspect(address_of(ptr));
  if (!block.ok()) return block.error();
  return block->requested;
}

bool LinkedListAllocator::owns(const void* ptr) const {
  const uintptr_t address = address_of(ptr);
  return initialized_ && address >= raw_start_ && address < raw_end_;
}

}  // namespace bm
