// PoolMemory over the kernel: the pool memory object init granted, mapped page by page into
// clients with memory_map_range, and shadows made of memory objects memd creates for itself.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "servers/memd/heap_layout.h"
#include "servers/memd/pool_memory.h"
#include "user/ipc.h"

namespace bm::memd {

class KernelPoolMemory final : public PoolMemory {
 public:
  // Where memd sees the pool and the shadows in its own address space (far from its image,
  // stacks and local heap).
  static constexpr uint64_t kPoolView = 0x0000'2000'0000'0000;
  static constexpr uint64_t kShadowBase = 0x0000'3000'0000'0000;
  static_assert(kShadowBase % kShadowAlignment == 0 && kMaxHeapLimit % kShadowAlignment == 0);

  KernelPoolMemory(user::Handle pool, size_t pages) : pool_(pool), pages_(pages) {}

  // memd sees the pool at kPoolView, mapped a chunk at a time when a page of the chunk is
  // first used: the kernel zeroes an object's frames when they are first mapped, so pool
  // pages nobody has used yet cost nothing (at boot, a 16 MiB pool would take longer to
  // zero than the rest of the servers take to start). 1 MiB chunks keep even the largest
  // pool to 256 mappings of memd's own (the kernel allows each address space 1024).
  // map_view maps the first chunk: false if the pool cannot be mapped at all.
  static constexpr size_t kViewChunkPages = 256;
  bool map_view();
  // The task handle (manage) of the client in `slot`, or 0 when the slot is empty. Lent by
  // user::ClientWatch, which closes it once memd has dismissed the client.
  void set_client_task(ClientSlot slot, user::Handle task);

  size_t total_pages() const override { return pages_; }
  bool map(ClientSlot slot, uint64_t client_address, PoolPage page) override;
  void unmap(ClientSlot slot, uint64_t client_address) override;
  uint8_t* pool_page(PoolPage page) override;
  void* shadow(ClientSlot slot) override;
  bool grow_shadow(ClientSlot slot, size_t bytes) override;
  void release_shadow(ClientSlot slot) override;

 private:
  // Maps chunk `chunk` of the pool into the view if it is not yet; false if that fails.
  bool view_chunk(size_t chunk);

  user::Handle pool_;
  size_t pages_;
  bool chunk_viewed_[kMaxPoolPages / kViewChunkPages + 1] = {};
  user::Handle client_tasks_[kMaxClients] = {};
  size_t shadow_bytes_[kMaxClients] = {};
};

}  // namespace bm::memd
