// Boot-time physical memory plan: how far RAM reaches, where the frame allocator's bitmap
// goes, and which frames it may hand out. Portable, so the whole policy is host-tested.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"
#include "lib/mb2/memory_map.h"
#include "lib/mb2/multiboot2.h"
#include "lib/mm/frame_allocator.h"

namespace bm {

// Real-mode IVT, BIOS data, EBDA, VGA memory and option ROMs: never handed out.
constexpr uint64_t kLowMemoryEnd = uint64_t{1} << 20;
// Caller exclusions accepted by the functions below (kernel, MB2 block, modules, ...).
constexpr size_t kMaxExclusions = mb2::kMaxModules + 16;
// plan_physical_layout and populate_frame_allocator keep their scratch lists on the stack
// (about 2 KiB), since they run before any allocator exists.

struct PhysicalLayoutPlan {
  uint64_t bitmap_physical;       // frame-aligned start of the bitmap storage
  size_t bitmap_bytes;            // FrameAllocator::bitmap_bytes_for(max_physical_address)
  uint64_t max_physical_address;  // end of the highest usable RAM
};

// Collects the ranges the kernel must never hand out: the kernel image, the MB2 info block
// at info_physical (info.total_size bytes) and every module. The first MiB is always added
// by the functions below, so it is not listed. Returns the count written.
// Errors: kInvalidArgument (null out, a module with end < start), kOutOfRange (capacity too
// small).
Result<size_t> collect_boot_exclusions(const mb2::BootInfo& info, uint64_t info_physical,
                                       mb2::PhysicalRange kernel_image,
                                       mb2::PhysicalRange* out, size_t capacity);

// Plans the frame allocator from normalized regions (only kUsable ones count). The bitmap
// is placed at the lowest frame-aligned address where it lies wholly inside usable RAM,
// outside every exclusion and the first MiB, and ends at or below placement_limit (the
// early kernel can only reach the first GiBs). Errors: kInvalidArgument (null pointer with a
// non-zero count), kOutOfRange (more than kMaxExclusions exclusions, or usable RAM beyond
// kMaxPhysicalAddress), kOutOfMemory (no usable RAM, or nowhere to put the bitmap).
Result<PhysicalLayoutPlan> plan_physical_layout(const mb2::MemoryRegion* regions, size_t count,
                                                const mb2::PhysicalRange* excluded,
                                                size_t excluded_count,
                                                uint64_t placement_limit);

// init()s `allocator` on bitmap_storage (the plan's bitmap as the caller can address it) and
// frees every usable frame outside the exclusions, the first MiB and the bitmap itself.
// Those excluded frames are never usable, so free() rejects them. Errors: as
// FrameAllocator::init, plus kInvalidArgument/kOutOfRange as plan_physical_layout.
Result<void> populate_frame_allocator(FrameAllocator* allocator, void* bitmap_storage,
                                      const PhysicalLayoutPlan& plan,
                                      const mb2::MemoryRegion* regions, size_t count,
                                      const mb2::PhysicalRange* excluded,
                                      size_t excluded_count);

}  // namespace bm
