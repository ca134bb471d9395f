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

namespace {
constexpr uint8_t kUsedTag = 0x4c;    // 'L': a live block
constexpr uint8_t kFreedTag = 0x6c;   // 'l': left by free(), so a second free is recognised
constexpr uint8_t kPreviousFree = 1;  // UsedHeader::flags: the block right before is free
constexpr uint64_t kFreeSalt = 0x465245454c495354ull;  // distinguishes free checks from used ones
}  // namespace

struct LinkedListAllocator::UsedHeader {
  uint64_t requested;
  uint8_t padding;  // bytes between the block start and this header: 0 or 16
  uint8_t slack;    // bytes after the rounded-up payload that belong to the block: 0 or 16
  uint8_t tag;      // kUsedTag while live, kFreedTag once freed
  uint8_t flags;    // kPreviousFree
  uint32_t check;
};

inline uint32_t LinkedListAllocator::check_of(const UsedHeader* header) const {
  uint32_t fields = 0;  // padding, slack, tag and flags, read as one word
  __builtin_memcpy(&fields, &header->padding, sizeof fields);
  return alloc_internal::fold32(
      alloc_internal::header_check(cookie_, address_of(header), header->requested, fields));
}

inline void LinkedListAllocator::seal(FreeBlock* block) const {
  block->check =
      alloc_internal::header_check(cookie_ ^ kFreeSalt, address_of(block), block->size, 0);
  auto* footer = reinterpret_cast<uint64_t*>(address_of(block) + block->size - sizeof(uint64_t));
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

// Checks a free block before anything in it is trusted.
inline bool LinkedListAllocator::valid_free_block(const FreeBlock* block) const {
  const uintptr_t address = address_of(block);
  if (!readable_free_block(address)) return false;
  const uint64_t size = block->size;
  return block->check == alloc_internal::header_check(cookie_ ^ kFreeSalt, address, size, 0) &&
         size % kGranule == 0 && size - kMinBlockSize <= heap_end_ - address - kMinBlockSize;
}

inline LinkedListAllocator::FreeBlock* LinkedListAllocator::free_block_at(uintptr_t start) const {
  auto* block = reinterpret_cast<FreeBlock*>(start);
  return valid_free_block(block) ? block : nullptr;
}

// Validates the live block whose payload starts at user; only reads inside the range.
inline Result<LinkedListAllocator::UsedBlock> LinkedListAllocator::inspect(uintptr_t user) const {
  if (!initialized_ || user % kGranule != 0 || user < heap_start_ + kHeaderSize ||
      user >= heap_end_) {
    return Error::kForeignPointer;
  }
  const uintptr_t header_at = user - kHeaderSize;
  const auto* header = reinterpret_cast<const UsedHeader*>(header_at);
  if (header->tag != kUsedTag) return Error::kForeignPointer;
  if (header->check != check_of(header)) return Error::kMalformed;
  // A header that passes its check can still describe an impossible block if it was forged.
  const size_t room = heap_end_ - user;
  if (header->requested == 0 || header->requested > room ||
      (header->padding != 0 && header->padding != kGranule) ||
      (header->slack != 0 && header->slack != kGranule) ||
      header->padding > header_at - heap_start_ || (header->flags & ~kPreviousFree) != 0) {
    return Error::kMalformed;
  }
  const uintptr_t payload_end = user + align_up(header->requested, kGranule);
  if (payload_end > heap_end_ || header->slack > heap_end_ - payload_end) {
    return Error::kMalformed;
  }
  return UsedBlock{header_at - header->padding, payload_end + header->slack,
                   static_cast<size_t>(header->requested)};
}

inline LinkedListAllocator::UsedHeader* LinkedListAllocator::live_header_at(uintptr_t start) const {
  for (uintptr_t padding = 0; padding <= kGranule; padding += kGranule) {
    auto block = inspect(start + padding + kHeaderSize);
    if (block.ok() && block->start == start) {
      return reinterpret_cast<UsedHeader*>(start + padding);
    }
  }
  return nullptr;
}

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
  return free_lists_.unlink(
      block, [this](const FreeBlock* link) { return readable_free_block(address_of(link)); });
}

// The free block `old` becomes [start, start + size): the tail simply moves; a binned block keeps
// its place in its list when the size stays in the same bin, else it is relinked.
[[gnu::always_inline]] inline bool LinkedListAllocator::replace_free(FreeBlock* old,
                                                                     uintptr_t start, size_t size) {
  const size_t bin = bin_of(old->size);
  if (old == tail_ || bin_of(size) != bin || start + size == heap_end_) {
    if (!unlink(old)) return false;
    if (address_of(old) != start) old->check = 0;  // a stale header must never validate again
    add_free(start, size);
    return true;
  }
  auto* block = reinterpret_cast<FreeBlock*>(start);
  if (!free_lists_.replace(old, block, bin, [this](const FreeBlock* link) {
        return readable_free_block(address_of(link));
      })) {
    return false;
  }
  if (block != old) old->check = 0;
  block->size = size;
  seal(block);
  return true;
}

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

Result<void*> LinkedListAllocator::allocate(size_t size, size_t alignment) {
  // The common request, at most 16-byte aligned: its block starts with the header, so the head
  // of a bin that holds `need` bytes serves it as it is. size - 1 wraps for 0 (refused below).
  if (alignment - 1 < kGranule && is_power_of_two(alignment) &&
      size - 1 < heap_end_ - heap_start_) {
    const size_t payload = align_up(size, kGranule);
    const size_t need = payload + kHeaderSize;
    FreeBlock* block = free_lists_.head(bin_of(need));
    if (block == nullptr || block->size < need) {
      const size_t bin = free_lists_.first_non_empty(first_bin_holding(need));
      block = bin != FreeLists::kNone ? free_lists_.head(bin) : tail_;
    }
    if (block != nullptr && (block != tail_ || block->size >= need)) {
      auto taken = valid_free_block(block) && block->size >= need
                       ? take(block, address_of(block) + kHeaderSize, size, payload)
                       : Result<void*>(Error::kMalformed);
      if (!taken.ok()) ++stats_.failed_allocations;
      return taken;
    }
  }
  if (Error bad = check_allocation_request(size, alignment, kMaxAlignment); bad != Error::kOk) {
    ++stats_.failed_allocations;
    return bad;
  }
  return allocate_block(size, max(alignment, kGranule), 0);
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

[[gnu::always_inline]] inline Result<void*> LinkedListAllocator::take(FreeBlock* block,
                                                                      uintptr_t user, size_t size,
                                                                      size_t payload) {
  // Lay out [lead][live block][tail]; read the block's fields before the header can overlap them.
  const uintptr_t start = address_of(block);
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
    next_header->flags &= static_cast<uint8_t>(~kPreviousFree);
    seal(next_header);
  }
  if (header_at != block_start) {  // padding: wipe what a free header left there
    auto* padding = reinterpret_cast<uint64_t*>(block_start);
    padding[0] = 0;
    padding[1] = 0;
  }
  auto* header = new (reinterpret_cast<void*>(header_at)) UsedHeader{};
  header->requested = size;
  header->padding = static_cast<uint8_t>(header_at - block_start);
  header->slack = static_cast<uint8_t>(block_end - payload_end);
  header->tag = kUsedTag;
  header->flags = split_lead ? kPreviousFree : 0;
  seal(header);

  stats_.free_bytes -= block_end - block_start;
  stats_.bytes_in_use += size;
  stats_.peak_bytes_in_use = max(stats_.peak_bytes_in_use, stats_.bytes_in_use);
  ++stats_.blocks_in_use;
  ++stats_.total_allocations;
  return reinterpret_cast<void*>(user);
}

inline Error LinkedListAllocator::refusal_for(uintptr_t header_at) const {
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
  return Error::kForeignPointer;
}

[[gnu::always_inline]] inline Result<size_t> LinkedListAllocator::release(void* ptr) {
  const uintptr_t user = address_of(ptr);
  if (!initialized_ || user % kGranule != 0 || user < heap_start_ + kHeaderSize ||
      user >= heap_end_) {
    return Error::kForeignPointer;
  }
  const uintptr_t header_at = user - kHeaderSize;
  auto* header = reinterpret_cast<UsedHeader*>(header_at);
  if (header->tag != kUsedTag) return refusal_for(header_at);
  const UsedBlock block = BM_TRY(inspect(user));

  // Both neighbours are checked before anything changes; a damaged one refuses the free.
  FreeBlock* before = nullptr;
  if ((header->flags & kPreviousFree) != 0) {
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
    header->tag = kFreedTag;
    header->flags = 0;
    seal(header);
  }
  if (after_header != nullptr) {
    after_header->flags |= kPreviousFree;
    seal(after_header);
  }
  stats_.free_bytes += block.end - block.start;
  stats_.bytes_in_use -= block.requested;
  --stats_.blocks_in_use;
  ++stats_.total_frees;
  return block.requested;
}

Result<size_t> LinkedListAllocator::free_block(void* ptr) { return release(ptr); }

Result<void> LinkedListAllocator::free(void* ptr) {
  if (ptr == nullptr) return {};
  auto released = release(ptr);
  if (!released.ok()) {
    ++stats_.rejected_frees;
    return released.error();
  }
  return {};
}

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
