// The heap as a client of memd (ipc/memd.h): each request is one call, and memd decides
// where the blocks go and maps the pages into this task. Thread-safe: every call uses only
// the calling thread's stack and IPC buffer. (user/heap.cpp keeps small blocks in a
// BlockCache, user/block_cache.h, fed by refill and drain.)
#pragma once

#include <stddef.h>

#include "ipc/memd.h"
#include "user/ipc.h"

namespace user::memd_heap {

// Looks memd up through init (waiting while memd starts), once. False if the system has none.
bool connect(Handle bootstrap);
Handle handle();

// Null with the protocol's status in *status (if not null) on failure.
void* allocate(size_t size, size_t alignment, bm::ipc::ProtocolStatus* status = nullptr);
bm::ipc::ProtocolStatus free(void* pointer);
void* reallocate(void* pointer, size_t size, bm::ipc::ProtocolStatus* status = nullptr);
// Batches for the block cache: up to `count` blocks of `size` bytes into blocks[] (how many
// in *placed), and back.
bm::ipc::ProtocolStatus refill(uint64_t size, uint32_t count, uint64_t* blocks, uint32_t* placed);
bm::ipc::ProtocolStatus drain(const uint64_t* blocks, uint32_t count);
// Client number `index` of memd's table and the pool (kBadValue past the last).
bm::ipc::ProtocolStatus stats(uint64_t index, bm::ipc::memd::ClientStats* out);

}  // namespace user::memd_heap
