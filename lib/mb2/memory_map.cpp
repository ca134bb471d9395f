// Memory-map normalisation by sweeping the boundaries of all regions in address order; no
// sorting buffer is needed, which keeps it usable before any allocator exists.
#include "lib/mb2/memory_map.h"

namespace bm::mb2 {
namespace {

constexpr uint64_t kAddressLimit = ~uint64_t{0};

// Exclusive end of [base, base + length), clipped at 2^64 - 1 on overflow.
uint64_t end_of(uint64_t base, uint64_t length) {
  return length > kAddressLimit - base ? kAddressLimit : base + length;
}

// Appends [base, end) to out, merging with the previous region when they touch and share a
// type. Returns false when out is full.
bool emit(uint64_t base, uint64_t end, RegionType type, MemoryRegion* out, size_t capacity,
          size_t* written) {
  if (*written > 0) {
    MemoryRegion& last = out[*written - 1];
    if (last.type == type && last.base + last.length == base) {
      last.length = end - last.base;
      return true;
    }
  }
  if (*written == capacity) return false;
  out[(*written)++] = {base, end - base, type};
  return true;
}

}  // namespace

Result<size_t> normalize_regions(const MemoryRegion* in, size_t count, MemoryRegion* out,
                                 size_t out_capacity) {
  if (count > 0 && in == nullptr) return Error::kInvalidArgument;
  if (out_capacity > 0 && out == nullptr) return Error::kInvalidArgument;

  // Every point where a region starts or ends splits the address space into elementary
  // intervals; within one, the set of covering regions (and so the winning type) is fixed.
  size_t written = 0;
  bool have_position = false;
  uint64_t position = 0;
  while (true) {
    // The next boundary: the smallest start or end above the current position.
    bool found = false;
    uint64_t next = 0;
    for (size_t i = 0; i < count; ++i) {
      if (in[i].length == 0) continue;
      const uint64_t points[2] = {in[i].base, end_of(in[i].base, in[i].length)};
      for (uint64_t point : points) {
        if (have_position && point <= position) continue;
        if (!found || point < next) {
          next = point;
          found = true;
        }
      }
    }
    if (!found) break;
    if (have_position) {
      // Classify [position, next): the most restrictive region covering it wins.
      bool covered = false;
      RegionType winner = RegionType::kUsable;
      for (size_t i = 0; i < count; ++i) {
        if (in[i].length == 0) continue;
        if (in[i].base > position || end_of(in[i].base, in[i].length) < next) continue;
        if (!covered || restrictiveness(in[i].type) > restrictiveness(winner)) {
          winner = in[i].type;
        }
        covered = true;
      }
      if (covered && !emit(position, next, winner, out, out_capacity, &written)) {
        return Error::kOutOfRange;
      }
    }
    position = next;
    have_position = true;
  }
  return written;
}

Result<size_t> subtract_ranges(const MemoryRegion* regions, size_t count,
                               const PhysicalRange* excluded, size_t excluded_count,
                               MemoryRegion* out, size_t out_capacity) {
  if (count > 0 && regions == nullptr) return Error::kInvalidArgument;
  if (excluded_count > 0 && excluded == nullptr) return Error::kInvalidArgument;
  if (out_capacity > 0 && out == nullptr) return Error::kInvalidArgument;

  size_t written = 0;
  for (size_t r = 0; r < count; ++r) {
    if (regions[r].type != RegionType::kUsable) continue;
    const uint64_t end = end_of(regions[r].base, regions[r].length);
    uint64_t cursor = regions[r].base;
    while (cursor < end) {
      // Skip past every exclusion that covers the cursor (they may chain or overlap).
      bool moved = true;
      while (moved && cursor < end) {
        moved = false;
        for (size_t e = 0; e < excluded_count; ++e) {
          const uint64_t excluded_end = end_of(excluded[e].base, excluded[e].length);
          if (excluded[e].base <= cursor && cursor < excluded_end) {
            cursor = excluded_end;
            moved = true;
          }
        }
      }
      if (cursor >= end) break;
      // The usable piece runs up to the nearest exclusion that starts after the cursor.
      uint64_t piece_end = end;
      for (size_t e = 0; e < excluded_count; ++e) {
        if (excluded[e].length != 0 && excluded[e].base > cursor && excluded[e].base < piece_end) {
          piece_end = excluded[e].base;
        }
      }
      if (written == out_capacity) return Error::kOutOfRange;
      out[written++] = {cursor, piece_end - cursor, RegionType::kUsable};
      cursor = piece_end;
    }
  }
  return written;
}

}  // namespace bm::mb2
