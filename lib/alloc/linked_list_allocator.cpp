// LinkedListAllocator: address-ordered first fit with splitting and two-sided coalescing.
#include "lib/alloc/linked_list_allocator.h"

#include "lib/alloc/header_check.h"
#include "lib/alloc/request_check.h"
#include "lib/core/placement_new.h"
#include "lib/core/utility.h"

namespace bm {

using alloc_internal::address_of;

namespace {
constexpr uint8_t kUsedTag = 0x4c;                     // 'L'
constexpr uint64_t kFreeSalt = 0x465245454c495354ull;  // distinguishes free checks from used ones
}  // namespace

struct LinkedListAllocator::FreeBlock {
  uint64_t size;    // whole block, header included
  FreeBlock* next;  // next free block at a higher, non-adjacent address
  uint64_t check;
  uint64_t reserved;
};

struct LinkedListAllocator::UsedHeader {
  uint64_t requested;
  uint8_t padding;  // bytes between the block start and this header: 0 or 16
  uint8_t slack;    // bytes after the rounded-up payload that belong to the block: 0 or 16
  uint8_t tag;      // kUsedTag while live, 0 once freed
  uint8_t reserved;
  uint32_t check;
};

namespace {
uint64_t used_fields(uint8_t padding, uint8_t slack, uint8_t tag) {
  return static_cast<uint64_t>(padding) | static_cast<uint64_t>(slack) << 8 |
         static_cast<uint64_t>(tag) << 16;
}
}  // namespace

void LinkedListAllocator::seal(FreeBlock* block) const {
  block->check = alloc_internal::header_check(cookie_ ^ kFreeSalt, address_of(block), block->size,
                                              address_of(block->next));
}

void LinkedListAllocator::seal(UsedHeader* header) const {
  header->check = alloc_internal::fold32(
      alloc_internal::header_check(cookie_, address_of(header), header->requested,
                                   used_fields(header->padding, header->slack, header->tag)));
}

// Checks a free block before anything in it is trusted. Reads stay inside the range because the
// address is checked before the header is read.
bool LinkedListAllocator::valid_free_block(const FreeBlock* block) const {
  const uintptr_t address = address_of(block);
  if (address < heap_start_ || address % kGranule != 0 || address >= heap_end_ ||
      heap_end_ - address < kMinBlockSize) {
    return false;
  }
  const uint64_t expected = alloc_internal::header_check(cookie_ ^ kFreeSalt, address, block->size,
                                                         address_of(block->next));
  if (block->check != expected) return false;
  if (block->size < kMinBlockSize || block->size % kGranule != 0 ||
      block->size > heap_end_ - address) {
    return false;
  }
  // Address order with a gap: neighbouring free blocks are always merged.
  return block->next == nullptr || address_of(block->next) > address + block->size;
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
  head_ = new (reinterpret_cast<void*>(start)) FreeBlock{end - start, nullptr, 0, 0};
  seal(head_);
  initialized_ = true;
  stats_ = AllocStats{};
  stats_.capacity_bytes = size;
  stats_.free_bytes = end - start;
  return {};
}

Result<void> LinkedListAllocator::extend(size_t bytes) {
  if (!initialized_ || bytes > UINTPTR_MAX - raw_end_) return Error::kInvalidArgument;
  if (bytes == 0) return {};
  // Validate the whole list before changing anything.
  FreeBlock* last = nullptr;
  for (FreeBlock* block = head_; block != nullptr; block = block->next) {
    if (!valid_free_block(block)) return Error::kMalformed;
    last = block;
  }
  raw_end_ += bytes;
  stats_.capacity_bytes += bytes;
  const uintptr_t new_end = align_down(raw_end_, kGranule);
  const size_t grown = new_end - heap_end_;
  if (last != nullptr && address_of(last) + last->size == heap_end_) {
    last->size += grown;
    seal(last);
  } else if (grown >= kMinBlockSize) {
    auto* block = new (reinterpret_cast<void*>(heap_end_)) FreeBlock{grown, nullptr, 0, 0};
    seal(block);
    if (last != nullptr) {
      last->next = block;
      seal(last);
    } else {
      head_ = block;
    }
  } else {
    return {};  // too few bytes for a block behind a live one; they join the next extension
  }
  heap_end_ = new_end;
  stats_.free_bytes += grown;
  return {};
}

Result<size_t> LinkedListAllocator::trim_end(size_t granularity, size_t keep_total,
                                             size_t keep_free) {
  if (!initialized_ || granularity == 0 || (granularity & (granularity - 1)) != 0 ||
      granularity % kGranule != 0) {
    return Error::kInvalidArgument;
  }
  FreeBlock* before_last = nullptr;
  FreeBlock* last = nullptr;
  for (FreeBlock* block = head_; block != nullptr; block = block->next) {
    if (!valid_free_block(block)) return Error::kMalformed;
    before_last = last;
    last = block;
  }
  // Only a free block that runs to the end, in a range that ends on a granule boundary.
  if (last == nullptr || address_of(last) + last->size != heap_end_ || raw_end_ != heap_end_ ||
      raw_end_ % granularity != 0) {
    return size_t{0};
  }
  const uintptr_t start = address_of(last);
  size_t floor_bytes = max(keep_total, size_t{kMinBlockSize});
  uintptr_t cut = max(start + keep_free, raw_start_ + floor_bytes);
  if (cut > raw_end_) return size_t{0};
  cut = align_up(cut, granularity);
  // What stays of the block must still be a block.
  if (cut > start && cut - start < kMinBlockSize) cut += granularity;
  if (cut >= raw_end_) return size_t{0};
  const size_t released = raw_end_ - cut;
  if (cut == start) {
    if (before_last != nullptr) {
      before_last->next = nullptr;
      seal(before_last);
    } else {
      head_ = nullptr;
    }
  } else {
    last->size = cut - start;
    seal(last);
  }
  raw_end_ = cut;
  heap_end_ = cut;
  stats_.capacity_bytes -= released;
  stats_.free_bytes -= released;
  return released;
}

Result<void*> LinkedListAllocator::allocate(size_t size, size_t alignment) {
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
  FreeBlock* prev = nullptr;
  for (FreeBlock* cur = head_; cur != nullptr; prev = cur, cur = cur->next) {
    if (!valid_free_block(cur)) {
      ++stats_.failed_allocations;
      return Error::kMalformed;
    }
    const uintptr_t start = address_of(cur);
    const uintptr_t end = start + cur->size;
    uintptr_t aligned = 0;
    if (!align_up_checked(start + kHeaderSize - skew, alignment, &aligned)) continue;
    if (aligned > end - skew) continue;
    const uintptr_t user = aligned + skew;
    if (user >= end || end - user < payload) continue;

    // Found: lay out [lead][block][tail]; read cur's fields before the header can overlap them.
    const uintptr_t header_at = user - kHeaderSize;
    const size_t lead = header_at - start;
    const uintptr_t payload_end = user + payload;
    const size_t tail = end - payload_end;
    const bool split_lead = lead >= kMinBlockSize;
    const bool split_tail = tail >= kMinBlockSize;
    const uintptr_t block_start = split_lead ? header_at : start;
    const uintptr_t block_end = split_tail ? payload_end : end;
    FreeBlock* after = cur->next;
    if (split_tail) {
      auto* rest = new (reinterpret_cast<void*>(payload_end)) FreeBlock{tail, after, 0, 0};
      seal(rest);
      after = rest;
    }
    if (split_lead) {
      cur->size = lead;
      cur->next = after;
      seal(cur);
    } else if (prev != nullptr) {
      prev->next = after;
      seal(prev);
    } else {
      head_ = after;
    }
    auto* header = new (reinterpret_cast<void*>(header_at)) UsedHeader{};
    header->requested = size;
    header->padding = static_cast<uint8_t>(header_at - block_start);
    header->slack = static_cast<uint8_t>(block_end - payload_end);
    header->tag = kUsedTag;
    seal(header);

    stats_.free_bytes -= block_end - block_start;
    stats_.bytes_in_use += size;
    stats_.peak_bytes_in_use = max(stats_.peak_bytes_in_use, stats_.bytes_in_use);
    ++stats_.blocks_in_use;
    ++stats_.total_allocations;
    return reinterpret_cast<void*>(user);
  }
  ++stats_.failed_allocations;
  return Error::kOutOfMemory;
}

// Validates the live block whose payload starts at user; only reads inside the range.
Result<LinkedListAllocator::UsedBlock> LinkedListAllocator::inspect(uintptr_t user) const {
  if (!initialized_ || user % kGranule != 0 || user < heap_start_ + kHeaderSize ||
      user >= heap_end_) {
    return Error::kForeignPointer;
  }
  const uintptr_t header_at = user - kHeaderSize;
  const auto* header = reinterpret_cast<const UsedHeader*>(header_at);
  if (header->tag != kUsedTag) return Error::kForeignPointer;
  const uint32_t expected = alloc_internal::fold32(
      alloc_internal::header_check(cookie_, header_at, header->requested,
                                   used_fields(header->padding, header->slack, header->tag)));
  if (header->check != expected) return Error::kMalformed;
  // A header that passes its check can still describe an impossible block if it was forged.
  const size_t room = heap_end_ - user;
  if (header->requested == 0 || header->requested > room ||
      (header->padding != 0 && header->padding != kGranule) ||
      (header->slack != 0 && header->slack != kGranule) ||
      header->padding > header_at - heap_start_) {
    return Error::kMalformed;
  }
  const uintptr_t payload_end = user + align_up(header->requested, kGranule);
  if (payload_end > heap_end_ || header->slack > heap_end_ - payload_end) {
    return Error::kMalformed;
  }
  return UsedBlock{header_at - header->padding, payload_end + header->slack,
                   static_cast<size_t>(header->requested)};
}

bool LinkedListAllocator::is_live_block(uintptr_t user, size_t requested) const {
  if (!initialized_ || user % kGranule != 0 || user < heap_start_ + kHeaderSize ||
      user >= heap_end_ || requested > heap_end_ - user) {
    return false;
  }
  const uintptr_t header_at = user - kHeaderSize;
  const auto* header = reinterpret_cast<const UsedHeader*>(header_at);
  return header->tag == kUsedTag && header->requested == requested &&
         header->check == alloc_internal::fold32(alloc_internal::header_check(
                              cookie_, header_at, requested,
                              used_fields(header->padding, header->slack, kUsedTag)));
}

Result<void> LinkedListAllocator::free(void* ptr) {
  if (ptr == nullptr) return {};
  auto released = free_block(ptr);
  if (!released.ok()) {
    ++stats_.rejected_frees;
    return released.error();
  }
  return {};
}

Result<size_t> LinkedListAllocator::free_block(void* ptr) {
  const uintptr_t user = address_of(ptr);
  if (!initialized_ || user % kGranule != 0 || user < heap_start_ + kHeaderSize ||
      user >= heap_end_) {
    return Error::kForeignPointer;
  }
  const uintptr_t header_at = user - kHeaderSize;
  // Find the free neighbours; a header inside free memory means the block was already freed.
  FreeBlock* prev = nullptr;
  FreeBlock* next = head_;
  while (next != nullptr) {
    if (!valid_free_block(next)) return Error::kMalformed;
    const uintptr_t start = address_of(next);
    if (start > header_at) break;
    if (header_at < start + next->size) return Error::kDoubleFree;
    prev = next;
    next = next->next;
  }
  auto block = inspect(user);
  if (!block.ok()) return block.error();
  const uintptr_t block_start = block->start;
  const uintptr_t block_end = block->end;
  if ((prev != nullptr && block_start < address_of(prev) + prev->size) ||
      (next != nullptr && block_end > address_of(next))) {
    return Error::kMalformed;  // overlaps free memory: the header lies
  }
  // Wipe the header so a stale copy can never validate once the memory is reused.
  auto* header = reinterpret_cast<UsedHeader*>(header_at);
  header->tag = 0;
  header->check = 0;

  const size_t size = block_end - block_start;
  stats_.free_bytes += size;
  stats_.bytes_in_use -= block->requested;
  --stats_.blocks_in_use;
  ++stats_.total_frees;
  const bool merge_prev = prev != nullptr && address_of(prev) + prev->size == block_start;
  const bool merge_next = next != nullptr && block_end == address_of(next);
  if (merge_prev) {
    prev->size += size;
    if (merge_next) {
      prev->size += next->size;
      prev->next = next->next;
    }
    seal(prev);
    return block->requested;
  }
  auto* freed = new (reinterpret_cast<void*>(block_start)) FreeBlock{size, next, 0, 0};
  if (merge_next) {
    freed->size += next->size;
    freed->next = next->next;
  }
  seal(freed);
  if (prev != nullptr) {
    prev->next = freed;
    seal(prev);
  } else {
    head_ = freed;
  }
  return block->requested;
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
