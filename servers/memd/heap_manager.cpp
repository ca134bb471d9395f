// HeapManager: the client table in front of the per-client heaps.
#include "servers/memd/heap_manager.h"

#include "lib/core/utility.h"

namespace bm::memd {

namespace {
size_t clamp_heap_limit(size_t limit) {
  return min(max(align_down(limit, kPageSize), kHeapGrowStep), kMaxHeapLimit);
}
}  // namespace

HeapManager::HeapManager(Policy policy, PoolMemory* memory, size_t heap_limit,
                         size_t idle_pages_kept)
    : policy_(policy), heap_limit_(clamp_heap_limit(heap_limit)), pool_(memory->total_pages()) {
  for (ClientSlot slot = 0; slot < kMaxClients; ++slot) {
    clients_[slot].attach(memory, &pool_, slot, heap_limit_, idle_pages_kept);
  }
  pool_.set_reclaimer(
      [](void* self) {
        for (ClientHeap& client : static_cast<HeapManager*>(self)->clients_) {
          if (client.in_use()) client.release_idle_pages();
        }
      },
      this);
}

void HeapManager::limit_client_pages(size_t pages) {
  client_page_limit_ = min(max(pages, kHeapGrowStep / kPageSize), kMaxHeapPages);
  for (ClientHeap& client : clients_) client.set_page_limit(client_page_limit_);
}

ClientHeap* HeapManager::find(uint64_t id) {
  for (ClientHeap& client : clients_) {
    if (client.in_use() && client.id() == id) return &client;
  }
  return nullptr;
}

const ClientHeap* HeapManager::find(uint64_t id) const {
  for (const ClientHeap& client : clients_) {
    if (client.in_use() && client.id() == id) return &client;
  }
  return nullptr;
}

Result<ClientSlot> HeapManager::slot_of(uint64_t id) const {
  const ClientHeap* client = find(id);
  if (client == nullptr) return Error::kOutOfRange;
  return static_cast<ClientSlot>(client - clients_);
}

size_t HeapManager::client_count() const {
  size_t count = 0;
  for (const ClientHeap& client : clients_) count += client.in_use() ? 1 : 0;
  return count;
}

Result<ClientSlot> HeapManager::add_client(uint64_t id) {
  ClientSlot free_slot = kMaxClients;
  for (ClientSlot slot = 0; slot < kMaxClients; ++slot) {
    if (!clients_[slot].in_use()) {
      if (free_slot == kMaxClients) free_slot = slot;
    } else if (clients_[slot].id() == id) {
      return slot;
    }
  }
  if (free_slot == kMaxClients) return Error::kNoSlots;
  clients_[free_slot].open(id, policy_);
  return free_slot;
}

void HeapManager::remove_client(uint64_t id) {
  if (ClientHeap* client = find(id)) client->close();
}

Result<uint64_t> HeapManager::alloc(uint64_t id, uint64_t size, uint64_t alignment) {
  ClientHeap* client = find(id);
  if (client == nullptr) return Error::kInvalidHandle;
  return client->alloc(size, alignment);
}

Result<void> HeapManager::free(uint64_t id, uint64_t address) {
  ClientHeap* client = find(id);
  if (client == nullptr) return Error::kInvalidHandle;
  return client->free(address);
}

Result<uint64_t> HeapManager::realloc(uint64_t id, uint64_t address, uint64_t size) {
  ClientHeap* client = find(id);
  if (client == nullptr) return Error::kInvalidHandle;
  return client->realloc(address, size);
}

Result<uint32_t> HeapManager::refill(uint64_t id, uint64_t size, uint32_t count,
                                     uint64_t* blocks) {
  ClientHeap* client = find(id);
  if (client == nullptr) return Error::kInvalidHandle;
  return client->refill(size, count, blocks);
}

Result<void> HeapManager::drain(uint64_t id, const uint64_t* blocks, uint32_t count) {
  ClientHeap* client = find(id);
  if (client == nullptr) return Error::kInvalidHandle;
  return client->drain(blocks, count);
}

Result<ipc::memd::ClientStats> HeapManager::stats(uint64_t index) const {
  for (const ClientHeap& client : clients_) {
    if (!client.in_use()) continue;
    if (index-- > 0) continue;
    return with_pool(client.stats());
  }
  return Error::kOutOfRange;
}

Result<ipc::memd::ClientStats> HeapManager::stats_of(uint64_t id) const {
  const ClientHeap* client = find(id);
  if (client == nullptr) return Error::kOutOfRange;
  return with_pool(client->stats());
}

ipc::memd::ClientStats HeapManager::with_pool(ipc::memd::ClientStats stats) const {
  stats.pool_total_pages = pool_.total();
  stats.pool_used_pages = pool_.used();
  stats.policy = policy_;
  return stats;
}

}  // namespace bm::memd
