// BlockCache: size classes as stacks of free blocks, refilled and drained a batch at a time.
#include "user/block_cache.h"

namespace user {

using bm::ipc::ProtocolStatus;

bool BlockCache::serves(size_t size, size_t alignment) {
  return size != 0 && size <= kMaxClassSize && alignment <= bm::ipc::memd::kMinAlignment;
}

uint32_t BlockCache::class_of(size_t size) {
  if (size <= kMinClassSize) return 0;
  // The smallest power of two >= size, as a shift past 16.
  return static_cast<uint32_t>(64 - __builtin_clzll(size - 1)) - 4;
}

ProtocolStatus BlockCache::take(size_t size, uint64_t* block) {
  if (lent_.full()) return ProtocolStatus::kNoSlots;
  const uint32_t size_class = class_of(size);
  SizeClass& free_list = classes_[size_class];
  if (free_list.count == 0) {
    ProtocolStatus refilled = refill(size_class);
    if (refilled != ProtocolStatus::kOk) return refilled;
  }
  *block = free_list.block[--free_list.count];
  (void)lent_.insert(*block, static_cast<uint8_t>(size_class));  // not full, not present
  return ProtocolStatus::kOk;
}

ProtocolStatus BlockCache::give_back(uint64_t block, bool* ours) {
  uint8_t size_class = 0;
  *ours = lent_.remove(block, &size_class);
  if (!*ours) return ProtocolStatus::kOk;
  SizeClass& free_list = classes_[size_class];
  ProtocolStatus drained = ProtocolStatus::kOk;
  if (free_list.count == kFreeLimit) drained = drain(size_class, kBatch);
  // Kept even if memd refused the drain: the program gave it back, and the caller ends it.
  free_list.block[free_list.count++] = block;
  return drained;
}

size_t BlockCache::lent_size(uint64_t block) const {
  const uint8_t* size_class = lent_.find(block);
  return size_class == nullptr ? 0 : class_size(*size_class);
}

ProtocolStatus BlockCache::drain_all() {
  ProtocolStatus first = ProtocolStatus::kOk;
  for (uint32_t size_class = 0; size_class < kClassCount; ++size_class) {
    while (classes_[size_class].count > 0) {
      uint32_t count = classes_[size_class].count;
      ProtocolStatus drained = drain(size_class, count < kBatch ? count : kBatch);
      if (first == ProtocolStatus::kOk) first = drained;
    }
  }
  return first;
}

size_t BlockCache::free_bytes() const {
  size_t bytes = 0;
  for (uint32_t size_class = 0; size_class < kClassCount; ++size_class) {
    bytes += classes_[size_class].count * class_size(size_class);
  }
  return bytes;
}

ProtocolStatus BlockCache::refill(uint32_t size_class) {
  SizeClass& free_list = classes_[size_class];
  uint32_t placed = 0;
  ProtocolStatus status =
      backend_->refill(class_size(size_class), kBatch, free_list.block, &placed);
  if (status != ProtocolStatus::kOk) return status;
  // A backend answering more than asked, or nothing with kOk, is not memd.
  if (placed == 0 || placed > kBatch) return ProtocolStatus::kBadValue;
  free_list.count = placed;
  return ProtocolStatus::kOk;
}

ProtocolStatus BlockCache::drain(uint32_t size_class, uint32_t count) {
  SizeClass& free_list = classes_[size_class];
  free_list.count -= count;
  // Whatever memd answers, these blocks are no longer the cache's: memd freed every one it
  // could, and refused the others because they were not cached blocks to begin with.
  return backend_->drain(&free_list.block[free_list.count], count);
}

}  // namespace user
