// Address types, page sizes and the leaf permission flags that callers of PageTable pass.
// The flag values are the x86_64 page-table entry bits themselves (Intel SDM vol. 3A §4.5).
#pragma once

#include <stdint.h>

#include "lib/core/page_size.h"

namespace bm {

using PhysAddr = uint64_t;
using VirtAddr = uint64_t;

constexpr uint64_t kLargePageSize = 2ull * 1024 * 1024;    // a PDE with PS=1 maps 2 MiB
constexpr uint64_t kHugePageSize = 1024ull * 1024 * 1024;  // a PDPTE with PS=1 maps 1 GiB

// Leaf permissions. Present is implied by map(); bit positions per SDM vol. 3A §4.5
// ("Format of a Page-Table Entry that Maps a 4-KByte Page"), identical for 2 MiB leaves.
enum PageFlags : uint64_t {
  kPageWritable = 1ull << 1,      // R/W
  kPageUser = 1ull << 2,          // U/S: ring 3 may access
  kPageWriteThrough = 1ull << 3,  // PWT
  kPageCacheDisable = 1ull << 4,  // PCD
  kPageGlobal = 1ull << 8,        // G: survives CR3 reloads when CR4.PGE = 1
  kPageNoExecute = 1ull << 63,    // XD: needs IA32_EFER.NXE = 1
  // Software bit (bits 9-11 are ignored by the CPU, §4.5): the frame belongs to the address
  // space and is freed with it; device memory and shared frames are mapped without it.
  kPageOwned = 1ull << 9,
};

// Everything else (PAT, protection keys, A/D, ignored bits) is rejected: PAT sits at bit 7
// in a PTE but at bit 12 in a large leaf, so one flag word cannot express it for both.
constexpr uint64_t kAllowedPageFlags = kPageWritable | kPageUser | kPageWriteThrough |
                                       kPageCacheDisable | kPageGlobal | kPageNoExecute |
                                       kPageOwned;

}  // namespace bm
