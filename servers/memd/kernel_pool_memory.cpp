// KernelPoolMemory: each method is one or a few system calls (see kernel_pool_memory.h).
#include "servers/memd/kernel_pool_memory.h"

#include "user/syscalls.h"

namespace bm::memd {
bool KernelPoolMemory::map_view() { return pages_ > 0 && view_chunk(0); }

bool KernelPoolMemory::view_chunk(size_t chunk) {
  if (chunk_viewed_[chunk]) return true;
  const size_t first = chunk * kViewChunkPages;
  const size_t count = pages_ - first < kViewChunkPages ? pages_ - first : kViewChunkPages;
  chunk_viewed_[chunk] =
      user::memory_map_range(abi::kOwnAddressSpace, pool_, kPoolView + first * kPageSize,
                             abi::kMapWritable, first, count)
          .ok();
  return chunk_viewed_[chunk];
}

void KernelPoolMemory::set_client_task(ClientSlot slot, user::Handle task) {
  client_tasks_[slot] = task;
}

bool KernelPoolMemory::map(ClientSlot slot, uint64_t client_address, PoolPage page) {
  if (client_tasks_[slot] == 0) return false;
  return user::memory_map_range(client_tasks_[slot], pool_, client_address, abi::kMapWritable, page,
                                1)
      .ok();
}

void KernelPoolMemory::unmap(ClientSlot slot, uint64_t client_address) {
  // A client that already ended has no address space left (kPeerGone): nothing to undo.
  if (client_tasks_[slot] != 0) {
    (void)user::memory_unmap(client_tasks_[slot], client_address);
  }
}

uint8_t* KernelPoolMemory::pool_page(PoolPage page) {
  if (page >= pages_ || !view_chunk(page / kViewChunkPages)) return nullptr;
  return reinterpret_cast<uint8_t*>(kPoolView + static_cast<uint64_t>(page) * kPageSize);
}

void* KernelPoolMemory::shadow(ClientSlot slot) {
  return reinterpret_cast<void*>(kShadowBase + static_cast<uint64_t>(slot) * kMaxHeapLimit);
}

// Grows in kHeapGrowStep pieces, each a memory object of memd's own mapped right after the
// last, so the shadow is one range and release_shadow can find every piece.
bool KernelPoolMemory::grow_shadow(ClientSlot slot, size_t bytes) {
  auto base = reinterpret_cast<uint64_t>(shadow(slot));
  while (shadow_bytes_[slot] < bytes) {
    if (shadow_bytes_[slot] + kHeapGrowStep > kMaxHeapLimit) return false;
    // The mapping keeps the memory alive; its handle closes at the end of the step.
    auto memory = user::memory_create(kHeapGrowStep / kPageSize);
    if (!memory.ok()) return false;
    if (!user::memory_map(abi::kOwnAddressSpace, memory->get(), base + shadow_bytes_[slot],
                          abi::kMapWritable)
             .ok()) {
      return false;
    }
    shadow_bytes_[slot] += kHeapGrowStep;
  }
  return true;
}

void KernelPoolMemory::release_shadow(ClientSlot slot) {
  auto base = reinterpret_cast<uint64_t>(shadow(slot));
  for (size_t offset = 0; offset < shadow_bytes_[slot]; offset += kHeapGrowStep) {
    (void)user::memory_unmap(abi::kOwnAddressSpace, base + offset);
  }
  shadow_bytes_[slot] = 0;
}

}  // namespace bm::memd
