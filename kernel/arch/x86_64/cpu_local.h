// Per-CPU data reached through GS in ring 0. syscall_entry.S reads the
// first fields by fixed offsets, so their order is part of its contract.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace kernel {
class Thread;
}

namespace arch {

struct CpuLocal {
  CpuLocal* self;              // gs:0
  uint64_t kernel_stack_top;   // gs:8   stack syscall_entry switches to
  uint64_t user_stack_scratch; // gs:16  the user rsp while the frame is built
  kernel::Thread* current;     // gs:24
};
static_assert(offsetof(CpuLocal, kernel_stack_top) == 8);
static_assert(offsetof(CpuLocal, user_stack_scratch) == 16);

// Points GS (and KERNEL_GS_BASE for swapgs) at this CPU's block.
void cpu_local_init();
CpuLocal& cpu_local();

// The stack ring-3 entries land on: TSS.RSP0 for interrupts and the
// syscall entry's stack. Set at every switch to a thread.
void set_kernel_entry_stack(uint64_t stack_top);

}  // namespace arch
