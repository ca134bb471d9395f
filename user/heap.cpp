// malloc and friends, and C++ new/delete, over memd or the local heap (see heap.h). The
// source is chosen once, at the first allocation.
#include "user/heap.h"

#include <stdint.h>

#include "lib/core/placement_new.h"  // std::align_val_t
#include "user/local_heap.h"
#include "user/memd_heap.h"
#include "user/print.h"
#include "user/runtime.h"
#include "user/syscalls.h"

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

}  // namespace

void heap_use_local() {
  if (source == HeapSource::kUndecided) source = HeapSource::kLocal;
}

HeapSource heap_source() { return source; }

void* aligned_alloc(size_t alignment, size_t size) {
  if (decide() == HeapSource::kMemd) return memd_heap::allocate(size == 0 ? 1 : size, alignment);
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
  if (decide() == HeapSource::kMemd) return memd_heap::reallocate(pointer, size);
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
    bm::ipc::ProtocolStatus status = memd_heap::free(pointer);
    if (status != bm::ipc::ProtocolStatus::kOk) {
      bad_free(pointer, bm::ipc::protocol_status_text(status));
    }
    return;
  }
  if (!local_heap::free(pointer)) bad_free(pointer, "not a live block of this heap");
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
