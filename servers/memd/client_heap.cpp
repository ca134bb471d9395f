// ClientHeap: requests of one client, placed in the shadow and backed by pool pages.
#include "servers/memd/client_heap.h"

#include "lib/core/utility.h"

namespace bm::memd {

namespace {
// More than any policy's header and padding around one block (bump and linked list: 16-byte
// header, up to 16 bytes of slack), so a request that cannot fit even in an empty heap of
// the limit's size fails without growing the shadow all the way first.
constexpr size_t kBlockOverhead = 64;
// The first word of a cached block's bytes in the shadow ("memdcach"); anything else there
// (0 from mark(), or what the allocator left) means not cached.
constexpr uint64_t kCachedMark = 0x6d656d6463616368;
constexpr size_t kMarkedSize = ipc::memd::kMinAlignment;  // blocks this large carry a mark

bool valid_refill_size(uint64_t size) {
  return size >= ipc::memd::kMinAlignment && size <= ipc::memd::kMaxRefillSize &&
         size % ipc::memd::kMinAlignment == 0;
}
}  // namespace

void ClientHeap::attach(PoolMemory* memory, PagePool* pool, ClientSlot slot, size_t heap_limit,
                        size_t idle_pages_kept) {
  memory_ = memory;
  slot_ = slot;
  heap_limit_ = heap_limit;
  pages_.attach(memory, pool, slot, idle_pages_kept);
}

void ClientHeap::open(uint64_t id, Policy policy) {
  allocator_.start(policy);
  id_ = id;
  in_use_ = true;
  shadow_ = nullptr;
  extent_ = 0;
  bytes_in_use_ = 0;
  blocks_in_use_ = 0;
  cached_bytes_ = 0;
  cached_blocks_ = 0;
  peak_bytes_ = 0;
  failed_requests_ = 0;
}

void ClientHeap::close() {
  if (!in_use_) return;
  pages_.clear();
  allocator_.stop();
  memory_->release_shadow(slot_);
  shadow_ = nullptr;
  extent_ = 0;
  in_use_ = false;
}

Error ClientHeap::fail(Error error) {
  ++failed_requests_;
  return error;
}

void ClientHeap::note_bytes(uint64_t bytes_in_use) {
  bytes_in_use_ = bytes_in_use;
  peak_bytes_ = max(peak_bytes_, bytes_in_use_);
}

Result<void> ClientHeap::grow(size_t bytes) {
  if (extent_ >= heap_limit_) return Error::kOutOfMemory;
  const size_t target =
      min(align_up(extent_ + max(bytes, kHeapGrowStep), kHeapGrowStep), heap_limit_);
  if (!memory_->grow_shadow(slot_, target)) return Error::kOutOfMemory;
  auto* base = static_cast<uint8_t*>(memory_->shadow(slot_));
  // The shadow must stay where the allocator's pointers point, aligned as the heap is.
  if (base == nullptr || reinterpret_cast<uintptr_t>(base) % kShadowAlignment != 0 ||
      (extent_ != 0 && base != shadow_)) {
    return Error::kOutOfMemory;
  }
  // Fresh shadow may hold an earlier client's metadata, which was built by an allocator at
  // the same address with the same cookie and so would validate; zeroes never do.
  __builtin_memset(base + extent_, 0, target - extent_);
  Result<void> grown =
      extent_ == 0 ? allocator_.init(base, target) : allocator_.extend(target - extent_);
  if (!grown.ok()) return Error::kOutOfMemory;
  shadow_ = base;
  extent_ = target;
  return {};
}

Result<uint64_t> ClientHeap::place(size_t size, size_t alignment) {
  if (size > heap_limit_ - min(heap_limit_, kBlockOverhead)) return Error::kOutOfMemory;
  void* block = nullptr;
  for (;;) {
    auto placed = allocator_.allocate(size, alignment);
    if (placed.ok()) {
      block = *placed;
      break;
    }
    // Other errors would mean corrupt metadata, which no client can reach; refuse all alike.
    if (placed.error() != Error::kOutOfMemory) return Error::kOutOfMemory;
    BM_TRY(grow(size + alignment + kBlockOverhead));
  }
  const uint64_t offset = static_cast<uint8_t*>(block) - shadow_;
  if (!pages_.add_block(offset, size).ok()) {
    // The block was never visible to the client. Giving it back restores everything the
    // client can see; only the allocator's free_bytes may differ (a bump cursor stays
    // advanced, a fixed-block slab stays as a spare).
    auto undone = allocator_.free(block);
    (void)undone;
    return Error::kOutOfMemory;
  }
  return offset;
}

Result<size_t> ClientHeap::live_block(uint64_t address, uint64_t* offset) {
  if (address < kClientHeapBase || address - kClientHeapBase >= extent_) {
    return Error::kForeignPointer;
  }
  *offset = address - kClientHeapBase;
  void* block = shadow_ + *offset;
  auto size = allocator_.usable_size(block);
  if (size.ok()) return size;
  // Not a live block. free() checks the same way and refuses it, changing nothing, but tells
  // a block freed already from an address that never started one.
  auto refused = allocator_.free(block);
  if (!refused.ok() && refused.error() == Error::kDoubleFree) return Error::kDoubleFree;
  return Error::kForeignPointer;
}

void ClientHeap::mark(uint64_t offset, size_t size, bool cached) {
  if (size < kMarkedSize) return;
  const uint64_t word = cached ? kCachedMark : 0;
  __builtin_memcpy(shadow_ + offset, &word, sizeof(word));
}

bool ClientHeap::is_cached(uint64_t offset, size_t size) const {
  if (size < kMarkedSize) return false;
  uint64_t word = 0;
  __builtin_memcpy(&word, shadow_ + offset, sizeof(word));
  return word == kCachedMark;
}

Result<size_t> ClientHeap::held_block(uint64_t address, uint64_t* offset, bool cached) {
  auto size = live_block(address, offset);
  if (!size.ok() || is_cached(*offset, *size) == cached) return size;
  // A cached block sent back one by one was freed into the cache already; a block that
  // never was cached is not the cache's to drain.
  return cached ? Error::kForeignPointer : Error::kDoubleFree;
}

void ClientHeap::release(uint64_t offset, size_t size) {
  mark(offset, size, false);
  // live_block() found the block, so the allocator frees it.
  auto freed = allocator_.free(shadow_ + offset);
  (void)freed;
  pages_.remove_block(offset, size);
}

Result<uint64_t> ClientHeap::alloc(uint64_t size, uint64_t alignment) {
  if (!valid_size(size)) return fail(Error::kInvalidArgument);
  if (!is_power_of_two(alignment) || alignment > ipc::memd::kMaxAlignment) {
    return fail(Error::kBadAlignment);
  }
  auto offset = place(size, max(alignment, ipc::memd::kMinAlignment));
  if (!offset.ok()) return fail(offset.error());
  mark(*offset, size, false);
  ++blocks_in_use_;
  note_bytes(bytes_in_use_ + size);
  return kClientHeapBase + *offset;
}

Result<void> ClientHeap::free(uint64_t address) {
  if (address == 0) return {};
  uint64_t offset = 0;
  auto size = held_block(address, &offset, false);
  if (!size.ok()) return fail(size.error());
  release(offset, *size);
  --blocks_in_use_;
  bytes_in_use_ -= *size;
  return {};
}

Result<uint64_t> ClientHeap::realloc(uint64_t address, uint64_t size) {
  if (address == 0) return alloc(size, ipc::memd::kMinAlignment);
  if (!valid_size(size)) return fail(Error::kInvalidArgument);
  uint64_t old_offset = 0;
  auto old_size = held_block(address, &old_offset, false);
  if (!old_size.ok()) return fail(old_size.error());
  auto new_offset = place(size, ipc::memd::kMinAlignment);
  if (!new_offset.ok()) return fail(new_offset.error());
  mark(*new_offset, size, false);
  pages_.copy(*new_offset, old_offset, min<uint64_t>(*old_size, size));
  release(old_offset, *old_size);
  // Both blocks were live for a moment; the peak counts what holds between requests.
  note_bytes(bytes_in_use_ - *old_size + size);
  return kClientHeapBase + *new_offset;
}

Result<uint32_t> ClientHeap::refill(uint64_t size, uint32_t count, uint64_t* blocks) {
  if (!valid_refill_size(size) || count == 0 || count > ipc::memd::kMaxBatch) {
    return fail(Error::kInvalidArgument);
  }
  uint32_t placed = 0;
  for (; placed < count; ++placed) {
    auto offset = place(size, ipc::memd::kMinAlignment);
    if (!offset.ok()) break;  // a partial batch is still a batch
    mark(*offset, size, true);
    blocks[placed] = kClientHeapBase + *offset;
  }
  if (placed == 0) return fail(Error::kOutOfMemory);
  blocks_in_use_ += placed;
  cached_blocks_ += placed;
  cached_bytes_ += placed * size;
  note_bytes(bytes_in_use_ + placed * size);
  return placed;
}

Result<void> ClientHeap::drain(const uint64_t* blocks, uint32_t count) {
  if (count == 0 || count > ipc::memd::kMaxBatch) return fail(Error::kInvalidArgument);
  Error first = Error::kOk;
  for (uint32_t i = 0; i < count; ++i) {
    uint64_t offset = 0;
    auto size = held_block(blocks[i], &offset, true);
    if (!size.ok()) {
      Error error = fail(size.error());
      if (first == Error::kOk) first = error;
      continue;
    }
    release(offset, *size);
    --blocks_in_use_;
    bytes_in_use_ -= *size;
    --cached_blocks_;
    cached_bytes_ -= *size;
  }
  if (first != Error::kOk) return first;
  return {};
}

ipc::memd::ClientStats ClientHeap::stats() const {
  ipc::memd::ClientStats stats;
  stats.client_id = id_;
  stats.bytes_in_use = bytes_in_use_;
  stats.blocks_in_use = blocks_in_use_;
  stats.cached_bytes = cached_bytes_;
  stats.cached_blocks = cached_blocks_;
  stats.peak_bytes = peak_bytes_;
  stats.free_bytes = allocator_.stats().free_bytes;
  stats.failed_requests = failed_requests_;
  stats.mapped_pages = pages_.mapped_pages();
  return stats;
}

}  // namespace bm::memd
