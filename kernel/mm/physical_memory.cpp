// Boot-time set-up of the frame allocator. The policy (what to exclude,
// where the bitmap goes) lives in lib/mm/physical_layout and is host-tested.
#include "kernel/mm/physical_memory.h"

#include "kernel/debug/log.h"
#include "kernel/debug/panic.h"
#include "lib/mb2/memory_map.h"
#include "lib/mm/physical_layout.h"

extern "C" char __kernel_start[], __kernel_end[];

namespace kernel {
namespace {

// The boot page tables map the first 4 GiB at PHYSICAL_MAP_BASE; the bitmap
// must lie there because the final direct map is built using it.
constexpr uint64_t kBootDirectMapEnd = 4ull << 30;

constinit bm::FrameAllocator frames;
bm::mb2::MemoryRegion normalized[bm::mb2::kMaxRegions];
size_t normalized_count;
uint64_t memory_end;

const char* region_type_name(bm::mb2::RegionType type) {
  switch (type) {
    case bm::mb2::RegionType::kUsable: return "usable";
    case bm::mb2::RegionType::kReserved: return "reserved";
    case bm::mb2::RegionType::kAcpiReclaimable: return "ACPI reclaimable";
    case bm::mb2::RegionType::kAcpiNvs: return "ACPI NVS";
    case bm::mb2::RegionType::kBadRam: return "bad RAM";
  }
  return "unknown";
}

}  // namespace

void physical_memory_init(const bm::mb2::BootInfo& info, uint64_t info_physical) {
  auto count = bm::mb2::normalize_regions(info.regions, info.region_count, normalized,
                                          bm::mb2::kMaxRegions);
  if (!count) panic("memory map cannot be normalized: %s", bm::error_name(count.error()));
  normalized_count = *count;

  uint64_t kernel_start = reinterpret_cast<uint64_t>(__kernel_start) - KERNEL_VMA;
  uint64_t kernel_end = reinterpret_cast<uint64_t>(__kernel_end) - KERNEL_VMA;
  bm::mb2::PhysicalRange exclusions[bm::kMaxExclusions];
  auto excluded = bm::collect_boot_exclusions(info, info_physical,
                                              {kernel_start, kernel_end - kernel_start},
                                              exclusions, bm::kMaxExclusions);
  if (!excluded) panic("boot exclusions: %s", bm::error_name(excluded.error()));

  auto plan = bm::plan_physical_layout(normalized, normalized_count, exclusions, *excluded,
                                       kBootDirectMapEnd);
  if (!plan) panic("no usable physical memory layout: %s", bm::error_name(plan.error()));
  memory_end = plan->max_physical_address;

  auto filled = bm::populate_frame_allocator(&frames, physical_to_virtual(plan->bitmap_physical),
                                             *plan, normalized, normalized_count, exclusions,
                                             *excluded);
  if (!filled) panic("frame allocator set-up failed: %s", bm::error_name(filled.error()));
}

bm::FrameAllocator& frame_allocator() { return frames; }
uint64_t physical_memory_end() { return memory_end; }

void print_memory_map(const bm::mb2::BootInfo& info) {
  kprintf("Memory map (%zu entries from %s):\n", normalized_count,
          info.bootloader_name[0] ? info.bootloader_name : "the boot loader");
  uint64_t usable = 0;
  for (size_t i = 0; i < normalized_count; ++i) {
    const auto& region = normalized[i];
    kprintf("  0x%012lx-0x%012lx %8lu KiB %s\n", region.base, region.base + region.length - 1,
            region.length / 1024, region_type_name(region.type));
    if (region.type == bm::mb2::RegionType::kUsable) usable += region.length;
  }
  kprintf("Usable RAM %lu MiB; frames: %zu free of %zu usable (4 KiB each)\n", usable >> 20,
          frames.free_frames(), frames.total_usable_frames());
}

}  // namespace kernel
