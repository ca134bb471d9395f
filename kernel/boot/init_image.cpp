// init's image, mapped page range by page range as lib/elf/load_plan.h lays it out: fresh
// frames the address space owns, written while writable, then given their final rights.
#include "kernel/boot/init_image.h"

#include "kernel/mm/physical_memory.h"
#include "lib/abi/syscalls.h"
#include "lib/elf/load_plan.h"

namespace kernel {
namespace {

uint64_t final_page_flags(const bm::elf::LoadRange& range) {
  uint64_t flags = bm::kPageUser | bm::kPageOwned;
  if (range.writable) flags |= bm::kPageWritable;
  if (!range.executable) flags |= bm::kPageNoExecute;
  return supported_page_flags(flags);
}

bm::Result<void> load_range(AddressSpace& space, const bm::elf::LoadRange& range,
                            const uint8_t* file) {
  uint64_t bytes = range.pages * bm::kPageSize;
  BM_TRY(space.map_fresh(range.address, bytes, bm::kPageWritable | bm::kPageNoExecute));
  auto copied = space.copy_to_user(range.address + range.copy_offset, file + range.file_offset,
                                   range.file_size);
  if (!copied) return copied.error();
  for (uint64_t page = range.address; page < range.address + bytes; page += bm::kPageSize) {
    BM_TRY(space.table().protect(page, final_page_flags(range)));
  }
  return {};
}

}  // namespace

bm::Result<uint64_t> load_init_image(AddressSpace& space, const void* image, uint64_t size,
                                     const char** reason) {
  bm::elf::Image parsed;
  BM_TRY(bm::elf::parse_executable(image, size, {bm::abi::kUserSpaceBase, bm::abi::kUserSpaceEnd},
                                   &parsed, reason));
  bm::elf::LoadPlan plan = bm::elf::plan_load(parsed);
  for (size_t i = 0; i < plan.range_count; ++i) {
    auto loaded = load_range(space, plan.ranges[i], static_cast<const uint8_t*>(image));
    if (!loaded) {
      *reason = "no memory for a segment";
      return loaded.error();
    }
  }
  return plan.entry;
}

}  // namespace kernel
