// malloc and friends, and C++ new/delete, over memd or the local heap (see heap.h). The
// source is chosen once, at the first allocation.
#include "user/heap.h"

#include <stdint.h>

#include "lib/core/placement_new.h"  // std::align_val_t
#include "user/block_cache.h"
#include "user/local_heap.h"
#include "user/memd_heap.h"
#include "user/print.h"
#include "user/runtime.h"
#include "user/syscalls.h"
#include "user/yield_lock.h"

namespace user {
namespace {

HeapSource source = HeapSource::kUndecided;

HeapSource decide() {
  if (source == HeapSource::kUndecided) {
    // A second thread allocating first at the same moment would at worst look memd up
    // twice; both arrive at the same answer.
    source = memd_heap::connect(static_cast<Handle>(startup_argument())) ? HeapSource::kMemd
                                                                         : HeapSource::kLocal;
  }
  return source;
}

// A bad free means the program's memory is already inconsistent.
[[noreturn]] void bad_free(void* pointer, const char* why) {
  printf("heap: free(%p): %s\n", pointer, why);
  task_exit(-2);
}

using bm::ipc::ProtocolStatus;

// The block cache's batches are memd's refill and drain.
class MemdBatches final : public BlockCacheBackend {
 public:
  ProtocolStatus refill(uint64_t size, uint32_t count, uint64_t* blocks,
                        uint32_t* placed) override {
    return memd_heap::refill(size, count, blocks, placed);
  }
  ProtocolStatus drain(const uint64_t* blocks, uint32_t count) override {
    return memd_heap::drain(blocks, count);
  }
};

// One cache per task, shared by its threads under cache_lock.
constinit MemdBatches memd_batches;
constinit BlockCache cache{&memd_batches};
constinit YieldLock cache_lock;
// Blocks this task holds from memd one by one (alloc and realloc, not the cache's).
uint64_t single_blocks = 0;

// When the program has just given back its last block, the cache's free blocks go back too:
// a bump heap (lib/alloc/bump_allocator.h) starts over only once it is empty, and blocks
// idling in the cache must not keep it from that. Only after a free that went to memd, so a
// malloc + free pair of a small block alone stays local.
void trim_if_nothing_held() {
  LockGuard guard(cache_lock);
  if (__atomic_load_n(&single_blocks, __ATOMIC_RELAXED) == 0 && cache.lent_blocks() == 0) {
    (void)cache.drain_all();  // a refusal here would be a block the program never freed
  }
}

// Small blocks from the cache; anything it cannot serve (a large or over-aligned block, or
// every lent slot taken, or no memory for a batch) from memd one by one.
void* memd_allocate(size_t size, size_t alignment) {
  if (BlockCache::serves(size, alignment)) {
    uint64_t block = 0;
    ProtocolStatus status;
    {
      LockGuard guard(cache_lock);
      status = cache.take(size, &block);
    }
    if (status == ProtocolStatus::kOk) return reinterpret_cast<void*>(block);
  }
  void* block = memd_heap::allocate(size, alignment);
  if (block != nullptr) __atomic_fetch_add(&single_blocks, 1, __ATOMIC_RELAXED);
  return block;
}

void memd_free(void* pointer) {
  bool ours = false;
  ProtocolStatus status;
  {
    LockGuard guard(cache_lock);
    status = cache.give_back(reinterpret_cast<uint64_t>(pointer), &ours);
  }
  if (ours) {
    // memd refuses a drain only of blocks it did not hand out as cached: corrupt cache state.
    if (status != ProtocolStatus::kOk) bad_free(pointer, "memd refused the cache's drain");
    return;
  }
  status = memd_heap::free(pointer);
  if (status != ProtocolStatus::kOk) bad_free(pointer, bm::ipc::protocol_status_text(status));
  if (__atomic_sub_fetch(&single_blocks, 1, __ATOMIC_RELAXED) == 0) trim_if_nothing_held();
}

// A cached block grows within its class in place, and otherwise moves like a local block;
// any other block is memd's realloc.
void* memd_reallocate(void* pointer, size_t size) {
  size_t old_size;
  {
    LockGuard guard(cache_lock);
    old_size = cache.lent_size(reinterpret_cast<uint64_t>(pointer));
  }
  if (old_size == 0) return memd_heap::reallocate(pointer, size);
  if (size <= old_size) return pointer;
  void* moved = memd_allocate(size, 16);
  if (moved == nullptr) return nullptr;
  __builtin_memcpy(moved, pointer, old_size);
  memd_free(pointer);
  return moved;
}

}  // namespace

void heap_use_local() {
  if (source == HeapSource::kUndecided) source = HeapSource::kLocal;
}

HeapSource heap_source() { return source; }

void* aligned_alloc(size_t alignment, size_t size) {
  if (decide() == HeapSource::kMemd) return memd_allocate(size == 0 ? 1 : size, alignment);
  return local_heap::allocate(size, alignment);
}

void* malloc(size_t size) { return aligned_alloc(16, size); }

void* calloc(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size) return nullptr;
  auto* bytes = static_cast<unsigned char*>(malloc(count * size));
  // memd's pages arrive zeroed, but a block may reuse a page this task wrote before.
  if (bytes != nullptr) __builtin_memset(bytes, 0, count * size);
  return bytes;
}

void* realloc(void* pointer, size_t size) {
  if (pointer == nullptr) return malloc(size);
  if (size == 0) {
    free(pointer);
    return nullptr;
  }
  if (decide() == HeapSource::kMemd) return memd_reallocate(pointer, size);
  size_t old_size = local_heap::usable_size(pointer);
  if (old_size == 0) bad_free(pointer, "realloc of a block this heap did not hand out");
  void* moved = local_heap::allocate(size, 16);
  if (moved == nullptr) return nullptr;
  __builtin_memcpy(moved, pointer, old_size < size ? old_size : size);
  (void)local_heap::free(pointer);
  return moved;
}

void free(void* pointer) {
  if (pointer == nullptr) return;
  if (decide() == HeapSource::kMemd) {
    memd_free(pointer);
    return;
  }
  if (!local_heap::free(pointer)) bad_free(pointer, "not a live block of this heap");
}

bool heap_trim() {
  if (source != HeapSource::kMemd) return true;
  LockGuard guard(cache_lock);
  return cache.drain_all() == ProtocolStatus::kOk;
}

}  // namespace user

// C++ allocation in ring-3 programs. Without exceptions, a failed new has no
// way to report: it ends the task with a message.
namespace {
void* allocate_or_exit(size_t size, size_t alignment) {
  void* block = user::aligned_alloc(alignment, size);
  if (block == nullptr) {
    user::printf("heap: out of memory allocating %zu bytes\n", size);
    user::task_exit(-3);
  }
  return block;
}
}  // namespace

void* operator new(size_t size) { return allocate_or_exit(size, 16); }
void* operator new[](size_t size) { return allocate_or_exit(size, 16); }
void* operator new(size_t size, std::align_val_t alignment) {
  return allocate_or_exit(size, static_cast<size_t>(alignment));
}
void operator delete(void* pointer) noexcept { user::free(pointer); }
void operator delete[](void* pointer) noexcept { user::free(pointer); }
void operator delete(void* pointer, size_t) noexcept { user::free(pointer); }
void operator delete[](void* pointer, size_t) noexcept { user::free(pointer); }
void operator delete(void* pointer, std::align_val_t) noexcept { user::free(pointer); }
void operator delete(void* pointer, size_t, std::align_val_t) noexcept { user::free(pointer); }
