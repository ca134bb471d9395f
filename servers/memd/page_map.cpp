// PageMap: per-page block counts with map on 0 -> 1 and unmap on 1 -> 0.
#include "servers/memd/page_map.h"

#include "lib/core/utility.h"

namespace bm::memd {

void PageMap::attach(PoolMemory* memory, PagePool* pool, ClientSlot slot, size_t idle_pages_kept) {
  memory_ = memory;
  pool_ = pool;
  slot_ = slot;
  idle_limit_ = idle_pages_kept;
}

Result<void> PageMap::add_block(uint64_t offset, size_t size) {
  const uint64_t first = first_page(offset);
  const uint64_t end = end_page(offset, size);
  if (size == 0 || end > kMaxHeapPages) return Error::kOutOfMemory;
  size_t needed = 0;      // pool pages to take
  size_t newly_live = 0;  // pages that get their first live block (idle or not)
  for (uint64_t page = first; page < end; ++page) {
    needed += blocks_[page] == 0 && !idle_[page] ? 1 : 0;
    newly_live += blocks_[page] == 0 ? 1 : 0;
  }
  // The client's share: past it the client is out of memory, whatever the pool has left.
  if (mapped_ - idle_count_ + newly_live > page_limit_) return Error::kOutOfMemory;
  if (needed > pool_->available()) pool_->reclaim();  // every client's idle pages
  if (needed > pool_->available()) return Error::kOutOfMemory;
  for (uint64_t page = first; page < end; ++page) {
    if (idle_[page]) {
      // Still mapped, holding only this client's own earlier bytes: used again as it is.
      idle_[page] = false;
      --idle_count_;
    } else if (blocks_[page] == 0) {
      auto taken = pool_->take();  // cannot fail: checked above
      if (!taken.ok()) {
        drop_pages(first, page);
        return Error::kOutOfMemory;
      }
      // Zeroed here, not when given back, so whatever the pool page held before (another
      // client's data) a client only ever sees zeroes in a new page.
      uint8_t* bytes = memory_->pool_page(*taken);
      if (bytes != nullptr) __builtin_memset(bytes, 0, kPageSize);
      if (bytes == nullptr || !memory_->map(slot_, kClientHeapBase + page * kPageSize, *taken)) {
        pool_->give_back(*taken);
        drop_pages(first, page);
        return Error::kOutOfMemory;
      }
      backing_[page] = *taken;
      ++mapped_;
    }
    ++blocks_[page];
  }
  return {};
}

void PageMap::release_page(uint64_t page) {
  memory_->unmap(slot_, kClientHeapBase + page * kPageSize);
  pool_->give_back(backing_[page]);
  --mapped_;
}

void PageMap::drop_pages(uint64_t first, uint64_t end) {
  for (uint64_t page = first; page < end; ++page) {
    if (blocks_[page] == 0) continue;  // never counted; cannot happen for a live block
    if (--blocks_[page] != 0) continue;
    if (idle_count_ < idle_limit_) {
      idle_[page] = true;
      ++idle_count_;
    } else {
      release_page(page);
    }
  }
}

void PageMap::release_idle_pages() {
  for (uint64_t page = 0; page < kMaxHeapPages && idle_count_ > 0; ++page) {
    if (!idle_[page]) continue;
    idle_[page] = false;
    --idle_count_;
    release_page(page);
  }
}

void PageMap::remove_block(uint64_t offset, size_t size) {
  if (size == 0) return;
  drop_pages(first_page(offset), min<uint64_t>(end_page(offset, size), kMaxHeapPages));
}

void PageMap::clear() {
  for (uint64_t page = 0; page < kMaxHeapPages && mapped_ > 0; ++page) {
    if (blocks_[page] != 0 || idle_[page]) release_page(page);
    blocks_[page] = 0;
    idle_[page] = false;
  }
  idle_count_ = 0;
}

uint8_t* PageMap::byte_at(uint64_t offset) {
  return memory_->pool_page(backing_[offset / kPageSize]) + offset % kPageSize;
}

void PageMap::copy(uint64_t to, uint64_t from, size_t bytes) {
  while (bytes > 0) {
    // The largest piece that stays inside one page at both ends.
    const size_t piece = min(bytes, min(kPageSize - to % kPageSize, kPageSize - from % kPageSize));
    __builtin_memcpy(byte_at(to), byte_at(from), piece);
    to += piece;
    from += piece;
    bytes -= piece;
  }
}

}  // namespace bm::memd
