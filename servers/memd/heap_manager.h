// HeapManager: memd's logic. It owns the pool's pages and a table of clients, each with its
// own heap placed by the policy memd runs with, and answers the memd protocol's requests.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/memd.h"
#include "lib/core/result.h"
#include "servers/memd/client_heap.h"
#include "servers/memd/heap_layout.h"
#include "servers/memd/page_pool.h"
#include "servers/memd/pool_memory.h"

namespace bm::memd {

// Clients are known by id (the badge they call with). Every request of a client that is not
// in the table fails with kInvalidHandle. Failed alloc, free and realloc requests are counted
// per client; see ClientHeap for their errors, and memd_status.h for the protocol's.
// Holds about 400 KiB of tables (page maps of 16 clients and the pool bitmap) and allocates
// nothing: a server keeps it in static storage. It is trivially destructible, so it needs no
// C++ runtime at exit; destroying it frees nothing (remove_client does). Not thread-safe: one
// server thread uses it.
class HeapManager {
 public:
  // heap_limit is rounded down to whole pages and kept within [kHeapGrowStep, kMaxHeapLimit].
  // idle_pages_kept: empty pages each client keeps mapped (page_map.h); 0 unmaps every page
  // the moment its last block goes.
  HeapManager(Policy policy, PoolMemory* memory, size_t heap_limit,
              size_t idle_pages_kept = PageMap::kIdlePagesKept);
  HeapManager(const HeapManager&) = delete;
  HeapManager& operator=(const HeapManager&) = delete;

  // The slot of client `id`, added with an empty heap if it is new; kNoSlots when the table
  // (kMaxClients) is full. Adding takes no memory: the heap grows with the first block.
  Result<ClientSlot> add_client(uint64_t id);
  // Caps every client's live pages at `pages` (at least one grow step), so one client
  // cannot take the whole pool: the rest keep pool - pages between them. No cap by default.
  void limit_client_pages(size_t pages);
  size_t client_page_limit() const { return client_page_limit_; }
  // Forgets the client: every page it had mapped goes back to the pool, its allocator state
  // and shadow are dropped. Nothing happens for an unknown id.
  void remove_client(uint64_t id);
  bool has_client(uint64_t id) const { return find(id) != nullptr; }
  // The slot of client `id` (where its task is kept); kOutOfRange if it is not a client.
  Result<ClientSlot> slot_of(uint64_t id) const;
  size_t client_count() const;

  Result<uint64_t> alloc(uint64_t id, uint64_t size, uint64_t alignment);
  // Address 0 does nothing.
  Result<void> free(uint64_t id, uint64_t address);
  // Address 0 is alloc(size, 16). The new block is 16-byte aligned; on failure the old one is
  // untouched.
  Result<uint64_t> realloc(uint64_t id, uint64_t address, uint64_t size);
  // Batches for the client's block cache (ClientHeap::refill, ClientHeap::drain).
  Result<uint32_t> refill(uint64_t id, uint64_t size, uint32_t count, uint64_t* blocks);
  Result<void> drain(uint64_t id, const uint64_t* blocks, uint32_t count);
  // Client number `index` of the table (in slot order, skipping empty slots) with the pool's
  // totals and the policy; kOutOfRange past the last.
  Result<ipc::memd::ClientStats> stats(uint64_t index) const;
  // The same for client `id`; kOutOfRange if it is not a client.
  Result<ipc::memd::ClientStats> stats_of(uint64_t id) const;

  size_t pool_total_pages() const { return pool_.total(); }
  size_t pool_used_pages() const { return pool_.used(); }
  Policy policy() const { return policy_; }
  size_t heap_limit() const { return heap_limit_; }

 private:
  ipc::memd::ClientStats with_pool(ipc::memd::ClientStats stats) const;
  ClientHeap* find(uint64_t id);
  const ClientHeap* find(uint64_t id) const;

  Policy policy_;
  size_t heap_limit_;
  size_t client_page_limit_ = kMaxHeapPages;
  PagePool pool_;
  ClientHeap clients_[kMaxClients];
};

}  // namespace bm::memd
