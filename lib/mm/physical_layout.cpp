// Boot-time physical memory plan. Works region by region with small fixed buffers on the
// stack, because it runs before any allocator exists.
#include "lib/mm/physical_layout.h"

namespace bm {
namespace {

using mb2::MemoryRegion;
using mb2::PhysicalRange;
using mb2::RegionType;

// The caller's exclusions plus the ones every plan has (first MiB, maybe the bitmap).
struct ExclusionList {
  PhysicalRange ranges[kMaxExclusions + 2];
  size_t count;
};

Result<void> build_exclusions(const PhysicalRange* excluded, size_t excluded_count,
                              ExclusionList* list) {
  if (excluded_count > 0 && excluded == nullptr) return Error::kInvalidArgument;
  if (excluded_count > kMaxExclusions) return Error::kOutOfRange;
  list->ranges[0] = {0, kLowMemoryEnd};
  for (size_t i = 0; i < excluded_count; ++i) list->ranges[i + 1] = excluded[i];
  list->count = excluded_count + 1;
  return {};
}

// Usable pieces of one region once the exclusions are cut out; a region split by n ranges
// has at most n + 1 pieces, so the buffer always suffices.
struct Pieces {
  MemoryRegion regions[kMaxExclusions + 3];
  size_t count;
};

Result<void> usable_pieces(const MemoryRegion& region, const ExclusionList& exclusions,
                           Pieces* pieces) {
  auto count = mb2::subtract_ranges(&region, 1, exclusions.ranges, exclusions.count,
                                    pieces->regions, kMaxExclusions + 3);
  if (!count) return count.error();
  pieces->count = *count;
  return {};
}

uint64_t end_of(const MemoryRegion& region) {
  return region.length > ~uint64_t{0} - region.base ? ~uint64_t{0}
                                                     : region.base + region.length;
}

}  // namespace

Result<size_t> collect_boot_exclusions(const mb2::BootInfo& info, uint64_t info_physical,
                                       PhysicalRange kernel_image, PhysicalRange* out,
                                       size_t capacity) {
  if (out == nullptr) return Error::kInvalidArgument;
  if (info.module_count > mb2::kMaxModules) return Error::kInvalidArgument;
  if (capacity < info.module_count + 2) return Error::kOutOfRange;
  size_t count = 0;
  out[count++] = kernel_image;
  out[count++] = {info_physical, info.total_size};
  for (size_t i = 0; i < info.module_count; ++i) {
    const mb2::Module& module = info.modules[i];
    if (module.end < module.start) return Error::kInvalidArgument;
    out[count++] = {module.start, module.end - module.start};
  }
  return count;
}

Result<PhysicalLayoutPlan> plan_physical_layout(const MemoryRegion* regions, size_t count,
                                                const PhysicalRange* excluded,
                                                size_t excluded_count,
                                                uint64_t placement_limit) {
  if (count > 0 && regions == nullptr) return Error::kInvalidArgument;
  ExclusionList exclusions;
  BM_TRY(build_exclusions(excluded, excluded_count, &exclusions));

  uint64_t max_physical_address = 0;
  for (size_t i = 0; i < count; ++i) {
    if (regions[i].type == RegionType::kUsable && regions[i].length > 0) {
      max_physical_address = max(max_physical_address, end_of(regions[i]));
    }
  }
  if (max_physical_address < kFrameSize) return Error::kOutOfMemory;
  if (max_physical_address > kMaxPhysicalAddress) return Error::kOutOfRange;
  const size_t bitmap_bytes = FrameAllocator::bitmap_bytes_for(max_physical_address);

  bool placed = false;
  uint64_t best = 0;
  Pieces pieces;
  for (size_t i = 0; i < count; ++i) {
    BM_TRY(usable_pieces(regions[i], exclusions, &pieces));
    for (size_t p = 0; p < pieces.count; ++p) {
      uint64_t start = 0;
      if (!align_up_checked(pieces.regions[p].base, kFrameSize, &start)) continue;
      const uint64_t piece_end = pieces.regions[p].base + pieces.regions[p].length;
      if (start >= piece_end || piece_end - start < bitmap_bytes) continue;
      if (start > placement_limit || placement_limit - start < bitmap_bytes) continue;
      if (!placed || start < best) best = start;
      placed = true;
    }
  }
  if (!placed) return Error::kOutOfMemory;
  return PhysicalLayoutPlan{best, bitmap_bytes, max_physical_address};
}

Result<void> populate_frame_allocator(FrameAllocator* allocator, void* bitmap_storage,
                                      const PhysicalLayoutPlan& plan,
                                      const MemoryRegion* regions, size_t count,
                                      const PhysicalRange* excluded, size_t excluded_count) {
  if (allocator == nullptr || (count > 0 && regions == nullptr)) return Error::kInvalidArgument;
  ExclusionList exclusions;
  BM_TRY(build_exclusions(excluded, excluded_count, &exclusions));
  exclusions.ranges[exclusions.count++] = {plan.bitmap_physical, plan.bitmap_bytes};
  BM_TRY(allocator->init(bitmap_storage, plan.bitmap_bytes, plan.max_physical_address));

  Pieces pieces;
  for (size_t i = 0; i < count; ++i) {
    BM_TRY(usable_pieces(regions[i], exclusions, &pieces));
    for (size_t p = 0; p < pieces.count; ++p) {
      // add_free_range rounds inward, so a frame an exclusion only partly covers stays out.
      allocator->add_free_range(pieces.regions[p].base, pieces.regions[p].length);
    }
  }
  return {};
}

}  // namespace bm
