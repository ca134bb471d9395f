// PageMap: the pages of one client's heap, which pool page backs each, and how many live
// blocks touch it. A page is mapped when its first block appears. When its last block goes it
// stays mapped as an idle page while the client has fewer than kIdlePagesKept of them (the
// server's setting; HeapManager can be given another, 0 for none), and is
// unmapped (its pool page returned) beyond that, so a client's footprint follows its live
// blocks plus at most 64 KiB. Keeping a few pages is what makes a malloc/free loop cheap: the
// same page is not mapped, zeroed and unmapped again for every pair.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"
#include "servers/memd/heap_layout.h"
#include "servers/memd/page_pool.h"
#include "servers/memd/pool_memory.h"

namespace bm::memd {

// Offsets are from kClientHeapBase; a block is the `size` bytes its client asked for, the
// only ones it may use (the allocator's headers and padding live in memd's shadow).
class PageMap {
 public:
  PageMap() = default;
  PageMap(const PageMap&) = delete;
  PageMap& operator=(const PageMap&) = delete;

  // `idle_pages_kept`: empty pages to keep mapped (0: unmap a page as soon as it is empty).
  void attach(PoolMemory* memory, PagePool* pool, ClientSlot slot, size_t idle_pages_kept);

  // Counts a new live block over [offset, offset + size), mapping each page it is the first
  // to touch onto a zeroed pool page. kOutOfMemory (and nothing changed) when the pool has too
  // few pages or a mapping fails.
  Result<void> add_block(uint64_t offset, size_t size);
  // Undoes add_block for a block that is gone; pages no block touches any more are unmapped.
  void remove_block(uint64_t offset, size_t size);
  // Unmaps every page at once (the client is gone).
  void clear();
  // Copies bytes between two live blocks through memd's view of their pool pages.
  void copy(uint64_t to, uint64_t from, size_t bytes);

  size_t mapped_pages() const { return mapped_; }
  // Most pages with live blocks this client may have (its share of the pool); idle pages do
  // not count, the pool takes them back when it runs short. kMaxHeapPages unless set.
  void set_page_limit(size_t pages) { page_limit_ = pages; }
  size_t page_limit() const { return page_limit_; }
  size_t idle_pages() const { return idle_count_; }

  // Empty pages a client keeps mapped (see the top of this file).
  static constexpr size_t kIdlePagesKept = 16;

 private:
  static uint64_t first_page(uint64_t offset) { return offset / kPageSize; }
  static uint64_t end_page(uint64_t offset, size_t size) {
    return (offset + size + kPageSize - 1) / kPageSize;
  }
  // The one place a page goes from mapped to unmapped: unmap it, return its pool page.
  void release_page(uint64_t page);
  void drop_pages(uint64_t first, uint64_t end);

 public:
  // Unmaps every idle page (the pool runs short: PagePool::reclaim).
  void release_idle_pages();

 private:
  uint8_t* byte_at(uint64_t offset);

  PoolMemory* memory_ = nullptr;
  PagePool* pool_ = nullptr;
  ClientSlot slot_ = 0;
  size_t mapped_ = 0;
  // At most 257 blocks touch a page (blocks start 16-byte aligned), so 16 bits suffice.
  uint16_t blocks_[kMaxHeapPages] = {};
  PoolPage backing_[kMaxHeapPages] = {};  // meaningful while the page is mapped
  bool idle_[kMaxHeapPages] = {};         // mapped, no live block
  size_t idle_count_ = 0;
  size_t idle_limit_ = 0;
  size_t page_limit_ = kMaxHeapPages;
};

}  // namespace bm::memd
