// The one kernel heap instance, and operator new/delete on top of it.
#include "kernel/mm/kernel_heap.h"

#include "kernel/arch/x86_64/layout.h"
#include "kernel/debug/log.h"
#include "kernel/debug/panic.h"
#include "kernel/mm/page_backed_heap.h"

namespace kernel {
namespace {
constexpr size_t kInitialHeapBytes = 256 * 1024;
PageBackedHeap<KernelHeapAllocator> heap;
bool heap_ready;
}  // namespace

void kernel_heap_init() {
  auto ready = heap.init(KERNEL_HEAP_BASE, KERNEL_HEAP_MAX_BYTES, kInitialHeapBytes);
  if (!ready) panic("kernel heap: %s", bm::error_name(ready.error()));
  heap_ready = true;
  kprintf("Kernel heap: %s strategy, %zu KiB mapped, grows to %lu MiB\n",
          bm::abi::heap_strategy_name(config::kHeapStrategy), heap.mapped_bytes() / 1024,
          static_cast<uint64_t>(KERNEL_HEAP_MAX_BYTES) >> 20);
}

bm::Result<void*> kernel_allocate(size_t size, size_t alignment) {
  if (!heap_ready) return bm::Error::kOutOfMemory;
  return heap.allocate(size, alignment);
}

bm::Result<void> kernel_free(void* pointer) { return heap.free(pointer); }
bm::AllocStats kernel_heap_stats() { return heap.stats(); }

}  // namespace kernel

// new/delete: with no exceptions, a failed allocation has no error path the
// caller could take, so it is fatal. Code that can recover uses
// kernel_allocate() and its Result instead.
namespace {
void* allocate_or_panic(size_t size, size_t alignment) {
  auto block = kernel::kernel_allocate(size == 0 ? 1 : size, alignment);
  if (!block) kernel::panic("operator new(%zu): %s", size, bm::error_name(block.error()));
  return *block;
}
void free_or_panic(void* pointer) {
  auto freed = kernel::kernel_free(pointer);
  // Freeing something twice or that was never allocated means memory is
  // already corrupt somewhere: stop before it spreads.
  if (!freed) kernel::panic("operator delete(%p): %s", pointer, bm::error_name(freed.error()));
}
constexpr size_t kDefaultNewAlignment = 16;
}  // namespace

void* operator new(size_t size) { return allocate_or_panic(size, kDefaultNewAlignment); }
void* operator new[](size_t size) { return allocate_or_panic(size, kDefaultNewAlignment); }
void* operator new(size_t size, std::align_val_t alignment) {
  return allocate_or_panic(size, static_cast<size_t>(alignment));
}
void operator delete(void* pointer) noexcept { free_or_panic(pointer); }
void operator delete[](void* pointer) noexcept { free_or_panic(pointer); }
void operator delete(void* pointer, size_t) noexcept { free_or_panic(pointer); }
void operator delete[](void* pointer, size_t) noexcept { free_or_panic(pointer); }
void operator delete(void* pointer, std::align_val_t) noexcept { free_or_panic(pointer); }
void operator delete(void* pointer, size_t, std::align_val_t) noexcept { free_or_panic(pointer); }
