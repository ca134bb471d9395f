// What loading a parsed ELF executable means, page by page: the ranges to create, the file
// bytes to copy into each, and each range's final rights. Pure, so the kernel (for init) and
// the ring-3 loader (user/program_loader.h, for everything else) share one plan and host
// tests check it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/elf/executable.h"

namespace bm::elf {

// One segment's pages. The range starts zeroed; `file_size` bytes of the file from
// `file_offset` go to `address + copy_offset`; everything else (the page's head before the
// segment, .bss, the tail of the last page) stays zero.
struct LoadRange {
  uint64_t address;      // page aligned
  uint64_t pages;        // >= 1
  uint64_t copy_offset;  // < kPageSize: where the segment starts inside its first page
  uint64_t file_offset;
  uint64_t file_size;
  bool writable, executable;  // never both: the parser refuses W+X segments
};

struct LoadPlan {
  uint64_t entry;
  LoadRange ranges[kMaxSegments];
  size_t range_count;
  uint64_t total_pages;  // what the image costs the new task's frame quota
};

// The plan for an image parse_executable accepted: one range per segment, in the same order.
// The parser's guarantees (no shared pages, no wrap, inside the address limits) make this
// total; it cannot fail.
LoadPlan plan_load(const Image& image);

}  // namespace bm::elf
