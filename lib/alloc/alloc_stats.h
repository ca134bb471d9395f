// Statistics every heap allocator in lib/alloc keeps. All counters are exact: each call that
// changes the heap updates them before it returns.
#pragma once

#include <stddef.h>

namespace bm {

struct AllocStats {
  // Bytes handed to the allocator through init() and extend(), before any alignment trimming.
  size_t capacity_bytes = 0;
  // Sum of the sizes callers asked for, over the live blocks.
  size_t bytes_in_use = 0;
  size_t blocks_in_use = 0;
  // Highest bytes_in_use seen since init().
  size_t peak_bytes_in_use = 0;
  // Bytes a future allocation could still be carved from: capacity_bytes minus live blocks with
  // their headers, padding and slack, minus allocator metadata (slab headers), minus bytes that
  // are lost to alignment at the edges of the range. Per strategy:
  //   bump:        bytes between the cursor and the end of the range (freed blocks below the
  //                cursor only count again after the reset that happens when the heap is empty);
  //   linked-list: the total size of the free blocks, their own free-list headers included;
  //   fixed-block: the linked list's free bytes plus the free slots of the slabs it holds (a free
  //                slot can only serve its own size class).
  size_t free_bytes = 0;
  size_t total_allocations = 0;   // allocate() calls that succeeded
  size_t total_frees = 0;         // free() calls that released a block (free(nullptr) is not one)
  size_t failed_allocations = 0;  // allocate() calls that returned any error
  size_t rejected_frees = 0;      // free() calls refused: double, foreign or corrupt
};

}  // namespace bm
