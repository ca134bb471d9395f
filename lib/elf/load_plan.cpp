// One range per segment: parse_executable has already refused overlaps, shared pages and
// wrapping, so the page arithmetic here cannot overflow.
#include "lib/elf/load_plan.h"

#include "lib/core/utility.h"

namespace bm::elf {

LoadPlan plan_load(const Image& image) {
  LoadPlan plan{};
  plan.entry = image.entry;
  for (size_t i = 0; i < image.segment_count; ++i) {
    const Segment& segment = image.segments[i];
    uint64_t first = align_down(segment.virtual_address, kPageSize);
    uint64_t end = align_up(segment.virtual_address + segment.memory_size, kPageSize);
    LoadRange& range = plan.ranges[plan.range_count++];
    range.address = first;
    range.pages = (end - first) / kPageSize;
    range.copy_offset = segment.virtual_address - first;
    range.file_offset = segment.file_offset;
    range.file_size = segment.file_size;
    range.writable = segment.writable;
    range.executable = segment.executable;
    plan.total_pages += range.pages;
  }
  return plan;
}

}  // namespace bm::elf
