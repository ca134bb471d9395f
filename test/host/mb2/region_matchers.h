// Test helpers that let GoogleTest compare and print memory regions (found through ADL, so
// they live in bm::mb2 itself).
#pragma once

#include <ostream>

#include "lib/mb2/multiboot2.h"

namespace bm::mb2 {

inline bool operator==(const MemoryRegion& a, const MemoryRegion& b) {
  return a.base == b.base && a.length == b.length && a.type == b.type;
}

inline void PrintTo(const MemoryRegion& region, std::ostream* os) {
  *os << "{0x" << std::hex << region.base << ", 0x" << region.length << std::dec << ", type "
      << static_cast<uint32_t>(region.type) << "}";
}

}  // namespace bm::mb2
