// The local heap: it lives in [kHeapBase, +1 GiB); each growth step creates a memory object
// and maps it right after the previous one, so the allocator sees one contiguous range.
#include "user/local_heap.h"

#include <stdint.h>

#include "lib/alloc/linked_list_allocator.h"
#include "lib/core/page_size.h"
#include "lib/core/placement_new.h"
#include "user/syscalls.h"

namespace user::local_heap {
namespace {

constexpr uint64_t kHeapBase = 0x0000100000000000;
constexpr uint64_t kHeapLimit = 1ull << 30;
constexpr uint64_t kGrowthPages = 16;  // 64 KiB at least per step

bm::LinkedListAllocator allocator;
uint64_t mapped_bytes;

bool grow(size_t at_least) {
  uint64_t pages = (at_least + bm::kPageSize - 1) / bm::kPageSize + 1;
  if (pages < kGrowthPages) pages = kGrowthPages;
  if (mapped_bytes + pages * bm::kPageSize > kHeapLimit) return false;
  // The mapping keeps the memory alive; its handle closes on return.
  auto memory = memory_create(pages);
  if (!memory.ok()) return false;
  auto mapped = memory_map(bm::abi::kOwnAddressSpace, memory->get(), kHeapBase + mapped_bytes,
                           bm::abi::kMapWritable);
  if (!mapped.ok()) return false;
  bool first = mapped_bytes == 0;
  mapped_bytes += pages * bm::kPageSize;
  auto added = first ? allocator.init(reinterpret_cast<void*>(kHeapBase), pages * bm::kPageSize)
                     : allocator.extend(pages * bm::kPageSize);
  return added.ok();
}

}  // namespace

void* allocate(size_t size, size_t alignment) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto block = allocator.allocate(size == 0 ? 1 : size, alignment);
    if (block) return *block;
    if (block.error() != bm::Error::kOutOfMemory || !grow(size + alignment)) return nullptr;
  }
  return nullptr;
}

bool free(void* pointer) { return allocator.free(pointer).ok(); }

size_t usable_size(const void* pointer) {
  auto size = allocator.usable_size(pointer);
  return size ? *size : 0;
}

}  // namespace user::local_heap
