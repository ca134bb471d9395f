// The heap of ring-3 programs: malloc and friends, and C++ new/delete. Blocks come from memd,
// the heap-policy server, when the system has one (every server but init and memd itself);
// otherwise from a local heap this task grows itself (user/local_heap.h). Small blocks from
// memd pass through a per-task cache (user/block_cache.h), so most come and go without IPC.
#pragma once

#include <stddef.h>

namespace user {

void* malloc(size_t size);
void* aligned_alloc(size_t alignment, size_t size);
void* calloc(size_t count, size_t size);
void* realloc(void* pointer, size_t size);
void free(void* pointer);

// Gives every free block of the heap's cache back to memd (user/block_cache.h), as if the
// program had never allocated them: memd's figures then count only blocks the program holds.
// False if memd refused a block. Nothing to do on a local heap.
bool heap_trim();

// Keep this program's heap local even if memd exists. init and memd call it first thing:
// memd cannot be its own client, and init introduces the others to memd.
void heap_use_local();

// Where this program's blocks come from (decided at the first allocation).
enum class HeapSource { kUndecided, kLocal, kMemd };
HeapSource heap_source();

}  // namespace user
