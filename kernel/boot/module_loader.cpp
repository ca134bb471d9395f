// ELF64 loading into a fresh address space. The image is validated by
// lib/elf before anything is allocated.
#include "kernel/boot/module_loader.h"

#include "kernel/debug/log.h"
#include "kernel/mm/physical_memory.h"
#include "lib/abi/syscalls.h"
#include "lib/core/utility.h"
#include "lib/elf/executable.h"

namespace kernel {
namespace {

constexpr uint64_t kPage = bm::kPageSize;

uint64_t segment_flags(const bm::elf::Segment& segment) {
  uint64_t flags = 0;
  if (segment.writable) flags |= bm::kPageWritable;
  if (!segment.executable) flags |= bm::kPageNoExecute;
  return flags;
}

// Maps the pages of one segment writable, copies the file bytes, and then
// gives the pages the segment's own rights.
bm::Result<void> load_segment(AddressSpace& space, const bm::elf::Segment& segment,
                              const uint8_t* file) {
  uint64_t first = bm::align_down(segment.virtual_address, kPage);
  uint64_t end = bm::align_up(segment.virtual_address + segment.memory_size, kPage);
  BM_TRY(space.map_fresh(first, end - first, bm::kPageWritable | bm::kPageNoExecute));
  auto copied = space.copy_to_user(segment.virtual_address, file + segment.file_offset,
                                   segment.file_size);
  if (!copied) return copied.error();
  uint64_t flags = supported_page_flags(segment_flags(segment) | bm::kPageUser | bm::kPageOwned);
  for (uint64_t page = first; page < end; page += kPage) {
    BM_TRY(space.table().protect(page, flags));
  }
  return {};
}

}  // namespace

bm::Result<Task*> create_task_from_image(const char* name, const void* image, uint64_t size,
                                         uint64_t frame_limit) {
  bm::elf::Image parsed;
  const char* reason = "";
  auto valid = bm::elf::parse_executable(image, size,
                                         {bm::abi::kUserSpaceBase, bm::abi::kUserSpaceEnd},
                                         &parsed, &reason);
  if (!valid) {
    kprintf("refused module %s: %s\n", name, reason);
    return valid.error();
  }
  auto task = Task::create(name);
  if (!task) {
    kprintf("refused module %s: no memory for its task\n", name);
    return task.error();
  }
  (*task)->frame_quota.set_limit(frame_limit);  // the image counts against it too
  const auto* file = static_cast<const uint8_t*>(image);
  for (size_t i = 0; i < parsed.segment_count; ++i) {
    auto loaded = load_segment((*task)->address_space, parsed.segments[i], file);
    if (!loaded) {
      kprintf("refused module %s: segment %zu: %s\n", name, i, bm::error_name(loaded.error()));
      (*task)->exit(-1);
      return loaded.error();
    }
  }
  (*task)->set_entry(parsed.entry);
  return *task;
}

bm::Result<Thread*> start_main_thread(Task* task, unsigned priority, uint64_t argument) {
  return task->spawn_thread(task->entry(), argument, priority);
}

}  // namespace kernel
