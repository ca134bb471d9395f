// Memory-map normalisation: turns the firmware's raw, possibly overlapping and unsorted
// regions into a sorted, non-overlapping list, and cuts excluded ranges out of usable RAM.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"
#include "lib/mb2/multiboot2.h"

namespace bm::mb2 {

// A physical byte range [base, base + length); an end past 2^64 - 1 is clipped there.
struct PhysicalRange {
  uint64_t base;
  uint64_t length;
};

// Where regions overlap, the higher rank wins. Anything beats usable; ACPI reclaimable is
// the mildest (it becomes RAM once the tables are read), then ACPI NVS (must survive sleep),
// then reserved (devices, firmware), and bad RAM is never touched whatever else claims it.
constexpr int restrictiveness(RegionType type) {
  switch (type) {
    case RegionType::kUsable: return 0;
    case RegionType::kAcpiReclaimable: return 1;
    case RegionType::kAcpiNvs: return 2;
    case RegionType::kReserved: return 3;
    case RegionType::kBadRam: return 4;
  }
  return 3;  // a value outside the enum is treated as reserved
}

// Writes to `out` the regions of `in` sorted by base, non-overlapping, overlaps resolved by
// restrictiveness(), adjacent regions of the same type merged, zero-length ones dropped and
// ends past 2^64 - 1 clipped there. Returns the number written. `in` and `out` must not
// alias. O(count^2) and no scratch memory, fine for the few dozen entries firmware reports.
// n input regions never produce more than 2n - 1 output regions.
// Errors: kInvalidArgument (null pointer with a non-zero count), kOutOfRange (out_capacity
// too small; the first out_capacity regions are written).
Result<size_t> normalize_regions(const MemoryRegion* in, size_t count, MemoryRegion* out,
                                 size_t out_capacity);

// Writes to `out` the usable parts of `regions` that no range of `excluded` touches, in the
// order of `regions` (sorted when `regions` is normalized). Non-usable regions are dropped.
// `excluded` may be unsorted and overlapping. Each usable region yields at most
// excluded_count + 1 pieces. Errors as for normalize_regions.
Result<size_t> subtract_ranges(const MemoryRegion* regions, size_t count,
                               const PhysicalRange* excluded, size_t excluded_count,
                               MemoryRegion* out, size_t out_capacity);

}  // namespace bm::mb2
