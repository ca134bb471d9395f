// BumpAllocator: cursor allocation, per-block headers for validation, reset when empty.
#include "lib/alloc/bump_allocator.h"

#include "lib/alloc/header_check.h"
#include "lib/alloc/request_check.h"
#include "lib/core/placement_new.h"
#include "lib/core/utility.h"

namespace bm {

using alloc_internal::address_of;

namespace {
constexpr uint32_t kLiveTag = 0x424d504c;  // "BMPL"
constexpr uint32_t kFreeTag = 0x424d5046;  // "BMPF"
}  // namespace

struct BumpAllocator::Header {
  uint64_t requested;
  uint32_t tag;  // kLiveTag or kFreeTag; anything else is not a header
  uint32_t check;
};

void BumpAllocator::seal(Header* header, uint32_t state) const {
  header->tag = state;
  header->check = alloc_internal::fold32(
      alloc_internal::header_check(cookie_, address_of(header), header->requested, state));
}

Result<void> BumpAllocator::init(void* base, size_t size) {
  static_assert(sizeof(Header) == kHeaderSize);
  if (initialized_ || base == nullptr) return Error::kInvalidArgument;
  const uintptr_t raw = address_of(base);
  if (size > UINTPTR_MAX - raw) return Error::kInvalidArgument;
  uintptr_t start = 0;
  if (!align_up_checked(raw, kGranule, &start)) return Error::kInvalidArgument;
  const uintptr_t end = align_down(raw + size, kGranule);
  // Room for at least one header and a 16-byte payload.
  if (end <= start || end - start < kHeaderSize + kGranule) return Error::kInvalidArgument;
  raw_start_ = raw;
  raw_end_ = raw + size;
  heap_start_ = start;
  heap_end_ = end;
  cursor_ = start;
  cookie_ = alloc_internal::make_cookie(this, raw);
  initialized_ = true;
  stats_ = AllocStats{};
  stats_.capacity_bytes = size;
  stats_.free_bytes = end - start;
  return {};
}

Result<void> BumpAllocator::extend(size_t bytes) {
  if (!initialized_ || bytes > UINTPTR_MAX - raw_end_) return Error::kInvalidArgument;
  raw_end_ += bytes;
  stats_.capacity_bytes += bytes;
  const uintptr_t end = align_down(raw_end_, kGranule);
  stats_.free_bytes += end - heap_end_;
  heap_end_ = end;
  return {};
}

Result<void*> BumpAllocator::allocate(size_t size, size_t alignment) {
  if (Error bad = check_allocation_request(size, alignment, kMaxAlignment); bad != Error::kOk) {
    ++stats_.failed_allocations;
    return bad;
  }
  alignment = max(alignment, kGranule);
  uintptr_t user = 0;
  // Everything is checked against the space left, so a huge size cannot wrap an address.
  if (!initialized_ || !align_up_checked(cursor_ + kHeaderSize, alignment, &user) ||
      user > heap_end_ || heap_end_ - user < size) {
    ++stats_.failed_allocations;
    return Error::kOutOfMemory;
  }
  auto* header = new (reinterpret_cast<void*>(user - kHeaderSize)) Header{size, 0, 0};
  seal(header, kLiveTag);
  const uintptr_t new_cursor = align_up(user + size, kGranule);  // <= heap_end_, both aligned
  stats_.free_bytes -= new_cursor - cursor_;
  cursor_ = new_cursor;
  stats_.bytes_in_use += size;
  stats_.peak_bytes_in_use = max(stats_.peak_bytes_in_use, stats_.bytes_in_use);
  ++stats_.blocks_in_use;
  ++stats_.total_allocations;
  return reinterpret_cast<void*>(user);
}

Result<BumpAllocator::Header*> BumpAllocator::header_for(const void* ptr) const {
  const uintptr_t user = address_of(ptr);
  // Only read a header that lies wholly inside the range.
  if (!initialized_ || user % kGranule != 0 || user < heap_start_ + kHeaderSize ||
      user >= heap_end_) {
    return Error::kForeignPointer;
  }
  auto* header = reinterpret_cast<Header*>(user - kHeaderSize);
  if (header->tag != kLiveTag && header->tag != kFreeTag) return Error::kForeignPointer;
  const uint32_t expected = alloc_internal::fold32(
      alloc_internal::header_check(cookie_, address_of(header), header->requested, header->tag));
  if (header->check != expected || header->requested == 0 || header->requested > heap_end_ - user) {
    return Error::kMalformed;
  }
  // Freed headers stay behind (also past the cursor after a reset), so a second free is seen.
  if (header->tag == kFreeTag) return Error::kDoubleFree;
  // Every live block lies below the cursor; a live header beyond it was forged or is stale.
  if (user > cursor_ || header->requested > cursor_ - user) return Error::kMalformed;
  return header;
}

Result<void> BumpAllocator::free(void* ptr) {
  if (ptr == nullptr) return {};
  auto header = header_for(ptr);
  if (!header.ok()) {
    ++stats_.rejected_frees;
    return header.error();
  }
  stats_.bytes_in_use -= (*header)->requested;
  --stats_.blocks_in_use;
  ++stats_.total_frees;
  seal(*header, kFreeTag);
  if (stats_.blocks_in_use == 0) {
    // Bump reset: nothing is live, so the whole range is available again.
    cursor_ = heap_start_;
    stats_.free_bytes = heap_end_ - heap_start_;
  }
  return {};
}

Result<size_t> BumpAllocator::usable_size(const void* ptr) const {
  auto header = header_for(ptr);
  if (!header.ok()) {
    // A freed block is simply not a live one here.
    return header.error() == Error::kDoubleFree ? Error::kForeignPointer : header.error();
  }
  return static_cast<size_t>((*header)->requested);
}

bool BumpAllocator::owns(const void* ptr) const {
  const uintptr_t address = address_of(ptr);
  return initialized_ && address >= raw_start_ && address < raw_end_;
}

}  // namespace bm
