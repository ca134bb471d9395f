// The kernel heap: new/delete and kmalloc-style calls, using the allocation
// strategy picked by the Meson option kernel_heap.
#pragma once

#include <stddef.h>

#include "kernel/debug/build_config.h"
#include "lib/alloc/alloc_stats.h"
#include "lib/alloc/bump_allocator.h"
#include "lib/alloc/fixed_block_allocator.h"
#include "lib/alloc/linked_list_allocator.h"
#include "lib/core/result.h"

namespace kernel {

// Maps a strategy to its allocator type, so the choice is one constant.
template <bm::abi::HeapStrategy> struct HeapAllocatorFor;
template <> struct HeapAllocatorFor<bm::abi::HeapStrategy::kBump> { using Type = bm::BumpAllocator; };
template <> struct HeapAllocatorFor<bm::abi::HeapStrategy::kLinkedList> {
  using Type = bm::LinkedListAllocator;
};
template <> struct HeapAllocatorFor<bm::abi::HeapStrategy::kFixedBlock> {
  using Type = bm::FixedBlockAllocator;
};

using KernelHeapAllocator = HeapAllocatorFor<config::kHeapStrategy>::Type;

// Maps the first heap pages. Panics if that fails: no kernel without a heap.
void kernel_heap_init();

bm::Result<void*> kernel_allocate(size_t size, size_t alignment = 16);
bm::Result<void> kernel_free(void* pointer);
bm::AllocStats kernel_heap_stats();

}  // namespace kernel
