// Physical frames and kernel page tables on the real machine: exhaustion and
// release of every frame, map/unmap/translate/protect, and section rights.
#include "kernel/arch/x86_64/exception_fixups.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/layout.h"
#include "kernel/debug/kernel_test.h"
#include "kernel/mm/kernel_paging.h"
#include "kernel/mm/physical_memory.h"

extern "C" char __kernel_start[], __rodata_start[], __data_start[], boot_stack_guard[];

KERNEL_TEST(frames_allocate_until_exhaustion_and_free_again) {
  bm::FrameAllocator& frames = kernel::frame_allocator();
  const size_t free_at_start = frames.free_frames();
  KASSERT(free_at_start > 0);

  // Chain the frames through their own first word, so the test needs no
  // memory besides the frames it is counting.
  uint64_t chain = 0;
  size_t allocated = 0;
  bool all_aligned = true;
  for (;;) {
    auto frame = frames.allocate();
    if (!frame) {
      KEXPECT(frame.error() == bm::Error::kOutOfMemory);
      break;
    }
    all_aligned = all_aligned && (*frame % bm::kFrameSize == 0);
    *static_cast<uint64_t*>(kernel::physical_to_virtual(*frame)) = chain;
    chain = *frame;
    ++allocated;
  }
  KEXPECT(all_aligned);
  KEXPECT(allocated == free_at_start);
  KEXPECT(frames.free_frames() == 0);

  size_t freed = 0;
  bool all_freed = true;
  while (chain != 0) {
    uint64_t next = *static_cast<uint64_t*>(kernel::physical_to_virtual(chain));
    all_freed = all_freed && frames.free(chain).ok();
    chain = next;
    ++freed;
  }
  KEXPECT(all_freed);
  KEXPECT(freed == allocated);
  KEXPECT(frames.free_frames() == free_at_start);
}

KERNEL_TEST(frame_double_free_and_foreign_frames_are_rejected) {
  bm::FrameAllocator& frames = kernel::frame_allocator();
  auto frame = frames.allocate();
  KASSERT(frame.ok());
  KEXPECT(frames.free(*frame).ok());
  KEXPECT(frames.free(*frame).error() == bm::Error::kDoubleFree);
  KEXPECT(!frames.free(*frame + 8).ok());       // not aligned
  KEXPECT(!frames.free(0x1000).ok());           // first MiB: never usable
  uint64_t kernel_physical = reinterpret_cast<uint64_t>(__kernel_start) - KERNEL_VMA;
  KEXPECT(!frames.free(kernel_physical).ok());  // the kernel image is not a free frame
}

KERNEL_TEST(map_translate_protect_unmap) {
  bm::PageTable& table = kernel::kernel_page_table();
  bm::FrameAllocator& frames = kernel::frame_allocator();
  const size_t free_before = frames.free_frames() + kernel::kernel_page_table_frames();
  const uint64_t virt = KERNEL_TEST_AREA_BASE + 0x5000;
  auto frame = frames.allocate();
  KASSERT(frame.ok());

  KASSERT(table.map(virt, *frame, kernel::supported_page_flags(bm::kPageWritable |
                                                                bm::kPageNoExecute)).ok());
  auto translation = table.translate(virt + 0x123);
  KASSERT(translation.ok());
  KEXPECT(translation->physical == *frame + 0x123);
  KEXPECT((translation->flags & bm::kPageWritable) != 0);

  // The same frame seen through the mapping and through the direct map.
  *reinterpret_cast<volatile uint64_t*>(virt) = 0xfeedfacecafebeef;
  KEXPECT(*static_cast<volatile uint64_t*>(kernel::physical_to_virtual(*frame)) ==
          0xfeedfacecafebeef);

  KEXPECT(table.map(virt, *frame, 0).error() == bm::Error::kAlreadyMapped);
  KEXPECT(table.map(0x0000900000000000, *frame, 0).error() == bm::Error::kNotCanonical);
  KEXPECT(table.map(virt + 1, *frame, 0).error() == bm::Error::kNotAligned);

  KASSERT(table.protect(virt, kernel::supported_page_flags(bm::kPageNoExecute)).ok());
  KEXPECT(safe_write_u64(reinterpret_cast<uint64_t*>(virt), 1) != 0);
  KEXPECT(arch::last_recovered_fault().cr2 == virt);

  auto unmapped = table.unmap(virt);
  KASSERT(unmapped.ok());
  KEXPECT(*unmapped == *frame);
  KEXPECT(table.translate(virt).error() == bm::Error::kNotMapped);
  uint64_t value;
  KEXPECT(safe_read_u64(reinterpret_cast<const uint64_t*>(virt), &value) != 0);
  KEXPECT(arch::last_recovered_fault().cr2 == virt);
  KEXPECT(table.unmap(virt).error() == bm::Error::kNotMapped);

  KEXPECT(frames.free(*frame).ok());
  // Every frame is back except page tables the kernel half keeps.
  KEXPECT(frames.free_frames() + kernel::kernel_page_table_frames() == free_before);
}

KERNEL_TEST(kernel_sections_have_their_own_rights) {
  bm::PageTable& table = kernel::kernel_page_table();
  auto text = table.translate(reinterpret_cast<uint64_t>(__kernel_start));
  auto rodata = table.translate(reinterpret_cast<uint64_t>(__rodata_start));
  auto data = table.translate(reinterpret_cast<uint64_t>(__data_start));
  KASSERT(text.ok() && rodata.ok() && data.ok());
  KEXPECT((text->flags & bm::kPageWritable) == 0);
  KEXPECT((text->flags & bm::kPageNoExecute) == 0);
  KEXPECT((rodata->flags & bm::kPageWritable) == 0);
  KEXPECT((data->flags & bm::kPageWritable) != 0);
  KEXPECT(kernel::supported_page_flags(bm::kPageNoExecute) == 0 ||
          ((rodata->flags & bm::kPageNoExecute) != 0 && (data->flags & bm::kPageNoExecute) != 0));
  KEXPECT(text->physical == reinterpret_cast<uint64_t>(__kernel_start) - KERNEL_VMA);
  // The page under the boot stack stays unmapped: an overflow must fault.
  KEXPECT(table.translate(reinterpret_cast<uint64_t>(boot_stack_guard)).error() ==
          bm::Error::kNotMapped);
  // No identity map of low memory is left.
  KEXPECT(table.translate(0x100000).error() == bm::Error::kNotMapped);
}
