// What memd's heap logic needs from the system: the pool's pages, mapping them into clients,
// and private memory for each client's allocator metadata (its "shadow"). The server
// implements it with system calls; host tests with a fake over host memory.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace bm::memd {

using ClientSlot = uint32_t;  // index into memd's client table, 0 .. kMaxClients - 1
using PoolPage = uint32_t;    // index of a page of the pool, 0 .. total_pages() - 1

class PoolMemory {
 public:
  // Pages in the pool; constant for memd's lifetime.
  virtual size_t total_pages() const = 0;
  // Makes pool page `page` readable and writable at `client_address` (page aligned, inside
  // the heap region) in the address space of the client in `slot`. memd never maps an
  // address twice, nor a page into two places. False if the mapping could not be made:
  // nothing is mapped then.
  virtual bool map(ClientSlot slot, uint64_t client_address, PoolPage page) = 0;
  // Removes a mapping that map() made. memd then reuses the pool page.
  virtual void unmap(ClientSlot slot, uint64_t client_address) = 0;
  // memd's own view of a pool page (kPageSize bytes), to zero it and to copy for realloc;
  // null if the view could not be made (out of memory), which only the first call for a
  // page can meet.
  virtual uint8_t* pool_page(PoolPage page) = 0;
  // memd's private memory for the allocator of `slot`. Clients can never see it. Its address
  // is fixed for the slot and aligned to kShadowAlignment; only the first bytes that
  // grow_shadow made usable may be touched.
  virtual void* shadow(ClientSlot slot) = 0;
  // Makes the first `bytes` of shadow(slot) usable (`bytes` only grows, up to the heap limit);
  // the new bytes may hold anything. False if memory ran out: the shadow is as it was.
  virtual bool grow_shadow(ClientSlot slot, size_t bytes) = 0;
  // The slot's client is gone: its shadow may be given back; the next grow starts from 0.
  virtual void release_shadow(ClientSlot slot) = 0;

 protected:
  ~PoolMemory() = default;  // never deleted through this interface
};

}  // namespace bm::memd
