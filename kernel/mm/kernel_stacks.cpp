// Slot allocator for thread kernel stacks in [KERNEL_STACKS_BASE, +1 GiB).
#include "kernel/mm/kernel_stacks.h"

#include "kernel/arch/x86_64/layout.h"
#include "kernel/mm/kernel_paging.h"
#include "kernel/mm/physical_memory.h"
#include "lib/core/page_size.h"

namespace kernel {
namespace {

constexpr uint64_t kGuardBytes = bm::kPageSize;
constexpr uint64_t kSlotBytes = kGuardBytes + KERNEL_STACK_SIZE;
constexpr uint32_t kSlots = 4096;  // threads alive at once

uint64_t slot_used[kSlots / 64];

uint64_t slot_base(uint32_t slot) { return KERNEL_STACKS_BASE + slot * kSlotBytes; }

void unmap_stack_pages(uint64_t bottom, uint64_t top) {
  for (uint64_t virt = bottom; virt < top; virt += bm::kPageSize) {
    auto frame = kernel_page_table().unmap(virt);
    if (frame) (void)frame_allocator().free(*frame);
  }
}

}  // namespace

bm::Result<KernelStack> allocate_kernel_stack() {
  // Lowest free slot first: stacks stay packed, so the page tables under
  // the region (kernel-half tables are never freed) stop growing once the
  // system has reached its usual number of threads.
  for (uint32_t slot = 0; slot < kSlots; ++slot) {
    if (slot_used[slot / 64] == ~0ull) {
      slot += 63;
      continue;
    }
    if (slot_used[slot / 64] & (1ull << (slot % 64))) continue;
    KernelStack stack{slot_base(slot) + kGuardBytes, slot_base(slot) + kSlotBytes};
    for (uint64_t virt = stack.bottom; virt < stack.top; virt += bm::kPageSize) {
      auto frame = frame_allocator().allocate();
      auto mapped = frame ? kernel_page_table().map(
                                virt, *frame,
                                supported_page_flags(bm::kPageWritable | bm::kPageNoExecute))
                          : bm::Result<void>(frame.error());
      if (!mapped) {
        if (frame) (void)frame_allocator().free(*frame);
        unmap_stack_pages(stack.bottom, virt);
        return bm::Error::kOutOfMemory;
      }
    }
    slot_used[slot / 64] |= 1ull << (slot % 64);
    return stack;
  }
  return bm::Error::kOutOfMemory;
}

void free_kernel_stack(const KernelStack& stack) {
  if (stack.top == 0) return;
  unmap_stack_pages(stack.bottom, stack.top);
  uint32_t slot = static_cast<uint32_t>((stack.bottom - kGuardBytes - KERNEL_STACKS_BASE) /
                                        kSlotBytes);
  slot_used[slot / 64] &= ~(1ull << (slot % 64));
}

}  // namespace kernel
