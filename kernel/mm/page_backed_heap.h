// A heap over a reserved virtual range that maps frames on demand: any
// lib/alloc strategy manages the bytes, this class supplies the pages.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/mm/kernel_paging.h"
#include "kernel/mm/physical_memory.h"
#include "lib/alloc/alloc_stats.h"
#include "lib/core/result.h"
#include "lib/core/utility.h"
#include "lib/mm/page_flags.h"

namespace kernel {

template <typename Allocator>
class PageBackedHeap {
 public:
  // Grows in steps of at least this much, so small requests do not map one
  // page at a time.
  static constexpr size_t kMinimumGrowth = 64 * 1024;
  // Once this much of the heap is free, a free() tries to give whole pages at the end back
  // to the frame allocator (keeping kMinimumGrowth free and the initial size mapped), so a
  // burst of objects does not keep its frames forever.
  static constexpr size_t kTrimThreshold = 512 * 1024;

  // Reserves [virtual_base, virtual_base + max_bytes) and maps the first
  // initial_bytes of it.
  bm::Result<void> init(uint64_t virtual_base, size_t max_bytes, size_t initial_bytes) {
    base_ = virtual_base;
    mapped_end_ = virtual_base;
    limit_ = virtual_base + max_bytes;
    size_t first = bm::align_up(bm::max(initial_bytes, kMinimumGrowth), bm::kPageSize);
    initial_bytes_ = first;
    BM_TRY(map_more(first));
    return allocator_.init(reinterpret_cast<void*>(base_), first);
  }

  bm::Result<void*> allocate(size_t size, size_t alignment) {
    auto block = allocator_.allocate(size, alignment);
    if (block.ok() || block.error() != bm::Error::kOutOfMemory) return block;
    // Out of mapped space: map enough for this request plus its worst-case
    // alignment padding and header, then ask once more.
    size_t wanted;
    if (!bm::align_up_checked(size, bm::kPageSize, &wanted)) return bm::Error::kOutOfMemory;
    if (wanted > limit_ - base_) return bm::Error::kOutOfMemory;
    wanted = bm::align_up(bm::max(wanted + alignment + bm::kPageSize, kMinimumGrowth), bm::kPageSize);
    size_t before = mapped_end_ - base_;
    BM_TRY(map_more(wanted));
    BM_TRY(allocator_.extend(mapped_end_ - base_ - before));
    return allocator_.allocate(size, alignment);
  }

  bm::Result<void> free(void* pointer) {
    BM_TRY(allocator_.free(pointer));
    // The walk trim() makes costs about what a linked-list free does, and happens only while
    // the heap is mostly free (after a burst), never on the usual alloc/free pairs.
    if (allocator_.stats().free_bytes >= kTrimThreshold) trim();
    return {};
  }

  // Unmaps the free pages at the end of the heap (see kTrimThreshold); returns the bytes
  // given back.
  size_t trim() {
    auto released = allocator_.trim_end(bm::kPageSize, initial_bytes_, kMinimumGrowth);
    size_t bytes = released.ok() ? *released : 0;
    if (bytes != 0) {
      unmap_from(mapped_end_ - bytes, mapped_end_);
      mapped_end_ -= bytes;
    }
    return bytes;
  }
  bm::AllocStats stats() const { return allocator_.stats(); }
  size_t mapped_bytes() const { return mapped_end_ - base_; }
  Allocator& allocator() { return allocator_; }

  // Unmaps every page and returns the frames (only for heaps nobody uses
  // any more, such as the test heaps).
  void release() {
    for (uint64_t virt = base_; virt < mapped_end_; virt += bm::kPageSize) {
      auto frame = kernel_page_table().unmap(virt);
      if (frame) (void)frame_allocator().free(*frame);
    }
    mapped_end_ = base_;
  }

 private:
  bm::Result<void> map_more(size_t bytes) {
    if (bytes > limit_ - mapped_end_) return bm::Error::kOutOfMemory;
    uint64_t start = mapped_end_;
    for (uint64_t virt = start; virt < start + bytes; virt += bm::kPageSize) {
      auto frame = frame_allocator().allocate();
      auto mapped =
          frame
              ? kernel_page_table().map(
                    virt, *frame,
                    supported_page_flags(bm::kPageWritable | bm::kPageNoExecute | bm::kPageGlobal))
              : bm::Result<void>(frame.error());
      if (!mapped) {
        if (frame) (void)frame_allocator().free(*frame);
        unmap_from(start, virt);
        return mapped.error();
      }
    }
    mapped_end_ = start + bytes;
    return {};
  }

  void unmap_from(uint64_t start, uint64_t end) {
    for (uint64_t virt = start; virt < end; virt += bm::kPageSize) {
      auto frame = kernel_page_table().unmap(virt);
      if (frame) (void)frame_allocator().free(*frame);
    }
  }

  Allocator allocator_;
  uint64_t base_ = 0;
  uint64_t mapped_end_ = 0;
  uint64_t limit_ = 0;
  size_t initial_bytes_ = 0;
};

}  // namespace kernel
