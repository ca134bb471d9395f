// The user heap and C++ new/delete. The heap lives in [kHeapBase, +1 GiB);
// each growth step creates a memory object and maps it right after the
// previous one, so the allocator sees one contiguous range.
#include "user/heap.h"

#include <stdint.h>

#include "lib/alloc/linked_list_allocator.h"
#include "lib/core/placement_new.h"
#include "user/print.h"
#include "user/syscalls.h"

namespace user {
namespace {

constexpr uint64_t kHeapBase = 0x0000100000000000;
constexpr uint64_t kHeapLimit = 1ull << 30;
constexpr uint64_t kGrowthPages = 16;  // 64 KiB at least per step
constexpr uint64_t kPage = 4096;

bm::LinkedListAllocator allocator;
uint64_t mapped_bytes;

bool grow(size_t at_least) {
  uint64_t pages = (at_least + kPage - 1) / kPage + 1;
  if (pages < kGrowthPages) pages = kGrowthPages;
  if (mapped_bytes + pages * kPage > kHeapLimit) return false;
  auto memory = raw_syscall(Syscall::memory_create, pages);
  if (memory.status != Status::kOk) return false;
  auto mapped = raw_syscall(Syscall::memory_map, bm::abi::kOwnAddressSpace, memory.rdi,
                            kHeapBase + mapped_bytes, bm::abi::kMapWritable);
  // The mapping keeps the memory alive; the handle is no longer needed.
  raw_syscall(Syscall::handle_close, memory.rdi);
  if (mapped.status != Status::kOk) return false;
  bool first = mapped_bytes == 0;
  mapped_bytes += pages * kPage;
  auto added = first ? allocator.init(reinterpret_cast<void*>(kHeapBase), pages * kPage)
                     : allocator.extend(pages * kPage);
  return added.ok();
}

}  // namespace

void* aligned_alloc(size_t alignment, size_t size) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto block = allocator.allocate(size == 0 ? 1 : size, alignment);
    if (block) return *block;
    if (block.error() != bm::Error::kOutOfMemory || !grow(size + alignment)) return nullptr;
  }
  return nullptr;
}

void* malloc(size_t size) { return aligned_alloc(16, size); }

void* calloc(size_t count, size_t size) {
  if (size != 0 && count > SIZE_MAX / size) return nullptr;
  auto* bytes = static_cast<unsigned char*>(malloc(count * size));
  if (bytes != nullptr) {
    for (size_t i = 0; i < count * size; ++i) bytes[i] = 0;
  }
  return bytes;
}

void free(void* pointer) {
  auto freed = allocator.free(pointer);
  if (!freed) {
    // A bad free means the program's memory is already inconsistent.
    printf("heap: free(%p): %s\n", pointer, bm::error_name(freed.error()));
    task_exit(-2);
  }
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
