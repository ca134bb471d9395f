// ClientHeap: one client's heap. Its allocator runs over a shadow of the heap in memd's own
// memory, so the allocator's headers and free lists are out of the client's reach; the client's
// pages hold only the bytes of its blocks.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/memd.h"
#include "lib/core/result.h"
#include "servers/memd/heap_layout.h"
#include "servers/memd/page_map.h"
#include "servers/memd/page_pool.h"
#include "servers/memd/policy_allocator.h"
#include "servers/memd/pool_memory.h"

namespace bm::memd {

// The shadow has the heap's layout: the block at shadow offset o is the client's address
// kClientHeapBase + o. The cost is memory: the shadow is as large as the heap has grown (up
// to the heap limit), although only the allocator's metadata in it is ever written; the
// pages under the client's blocks are mapped separately, from the pool.
//
// Errors (every one counted in failed_requests): kInvalidArgument for a size of 0 or over
// the heap limit, kBadAlignment, kOutOfMemory (heap limit, pool or shadow memory exhausted),
// kForeignPointer for an address that is not a live block of this client, kDoubleFree for
// one in memory the allocator holds free.
//
// Cached blocks (ipc/memd.h, refill and drain): a refill places blocks as alloc does and
// marks each in the shadow's copy of its bytes, which no allocator writes while the block is
// live, so memd's own memory says which live blocks are cached without a table. Every block
// of kMinAlignment bytes or more is marked when placed (cached or not); smaller blocks are
// never cached and their mark never read. A free or realloc of a cached block is
// kDoubleFree, a drain of a block that is not cached kForeignPointer.
class ClientHeap {
 public:
  ClientHeap() = default;
  ClientHeap(const ClientHeap&) = delete;
  ClientHeap& operator=(const ClientHeap&) = delete;

  // Once, before use: what the heap draws on. heap_limit is a multiple of kPageSize.
  void attach(PoolMemory* memory, PagePool* pool, ClientSlot slot, size_t heap_limit,
              size_t idle_pages_kept);

  // Starts an empty heap for client `id`; it takes memory only with its first block.
  void open(uint64_t id, Policy policy);
  // Unmaps every page, returns it to the pool, drops the allocator and gives back the shadow.
  // Unmaps the pages kept mapped while no block uses them (the pool runs short).
  void release_idle_pages() { pages_.release_idle_pages(); }
  // The most pool pages this client's live blocks may use (PageMap::set_page_limit).
  void set_page_limit(size_t pages) { pages_.set_page_limit(pages); }
  void close();
  bool in_use() const { return in_use_; }
  uint64_t id() const { return id_; }

  Result<uint64_t> alloc(uint64_t size, uint64_t alignment);
  Result<void> free(uint64_t address);
  Result<uint64_t> realloc(uint64_t address, uint64_t size);
  // Up to `count` (1 .. kMaxBatch) cached blocks of `size` bytes (a multiple of kMinAlignment
  // up to kMaxRefillSize) into blocks[]: how many, at least one.
  Result<uint32_t> refill(uint64_t size, uint32_t count, uint64_t* blocks);
  // Frees every address that is a cached block; the first error for the others.
  Result<void> drain(const uint64_t* blocks, uint32_t count);
  // This client's figures; the pool fields are left for the caller.
  ipc::memd::ClientStats stats() const;

 private:
  Error fail(Error error);
  bool valid_size(uint64_t size) const { return size != 0 && size <= heap_limit_; }
  // Grows the shadow (and the allocator's range) by at least `bytes`, in whole steps.
  Result<void> grow(size_t bytes);
  // Places a block and maps its pages; on failure nothing a client can see has changed.
  Result<uint64_t> place(size_t size, size_t alignment);
  // The requested size of the live block at `address` (its offset in *offset), or why not.
  Result<size_t> live_block(uint64_t address, uint64_t* offset);
  // live_block() of a block whose cached mark is `cached`; the error for one that is not.
  Result<size_t> held_block(uint64_t address, uint64_t* offset, bool cached);
  void mark(uint64_t offset, size_t size, bool cached);
  bool is_cached(uint64_t offset, size_t size) const;
  void release(uint64_t offset, size_t size);
  void note_bytes(uint64_t bytes_in_use);

  PolicyAllocator allocator_;
  PageMap pages_;
  PoolMemory* memory_ = nullptr;
  ClientSlot slot_ = 0;
  size_t heap_limit_ = 0;
  uint8_t* shadow_ = nullptr;
  size_t extent_ = 0;  // bytes of shadow (and so of heap) the allocator manages
  uint64_t id_ = 0;
  bool in_use_ = false;
  uint64_t bytes_in_use_ = 0;
  uint64_t blocks_in_use_ = 0;
  uint64_t cached_bytes_ = 0;
  uint64_t cached_blocks_ = 0;
  uint64_t peak_bytes_ = 0;
  uint64_t failed_requests_ = 0;
};

}  // namespace bm::memd
