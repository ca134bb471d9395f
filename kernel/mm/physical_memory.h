// The kernel's physical memory: the frame allocator over usable RAM and the
// direct map through which the kernel reaches any frame.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/layout.h"
#include "lib/mb2/multiboot2.h"
#include "lib/mm/frame_allocator.h"

namespace kernel {

// Plans and fills the frame allocator from the boot memory map; excludes the
// first MiB, the kernel image, the modules and the Multiboot2 block. Panics
// when there is no usable memory: nothing can run without it.
void physical_memory_init(const bm::mb2::BootInfo& info, uint64_t info_physical);

bm::FrameAllocator& frame_allocator();

// End of usable RAM (exclusive), as planned from the memory map.
uint64_t physical_memory_end();

inline void* physical_to_virtual(uint64_t physical) {
  return reinterpret_cast<void*>(PHYSICAL_MAP_BASE + physical);
}

// Summary for the boot banner: each normalized region and the totals.
void print_memory_map(const bm::mb2::BootInfo& info);

}  // namespace kernel
