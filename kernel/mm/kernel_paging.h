// The kernel's own address space: the direct map of physical memory and the
// kernel image mapped section by section with the least rights it needs.
#pragma once

#include <stddef.h>

#include "lib/mm/page_table.h"

namespace kernel {

// Builds the final kernel page tables and switches CR3 to them. After this
// the identity map of low memory is gone and stack guard pages are unmapped.
void kernel_paging_init(bool cpu_has_no_execute);

bm::PageTable& kernel_page_table();

// How every page table reaches its frames: the direct map and the frame
// allocator. Address spaces of tasks use it too.
bm::PageTableEnvironment& page_table_environment();

// Frames holding kernel page tables. Tables of the kernel half are never
// freed (every address space will share them), so frame accounting in tests
// counts them separately.
size_t kernel_page_table_frames();

// Flags with kPageNoExecute removed when the CPU lacks NX (the bit would be
// reserved and fault).
uint64_t supported_page_flags(uint64_t flags);

}  // namespace kernel
