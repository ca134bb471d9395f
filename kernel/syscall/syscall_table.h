// System-call handlers, one per entry of BM_SYSCALL_LIST. A handler reads
// its arguments from the caller's saved registers (rdi, rsi, rdx, r10, r8,
// r9), writes any results into them, and returns the status for rax.
#pragma once

#include "kernel/arch/x86_64/interrupt_frame.h"
#include "kernel/obj/abi_values.h"  // handle_argument, to_status

namespace kernel {

using SyscallHandler = bm::abi::Status (*)(arch::InterruptFrame& frame);

#define BM_DECLARE_SYSCALL_HANDLER(name, number) \
  bm::abi::Status sys_##name(arch::InterruptFrame& frame);
BM_SYSCALL_LIST(BM_DECLARE_SYSCALL_HANDLER)
#undef BM_DECLARE_SYSCALL_HANDLER

// Hands a freshly created object (null if creation ran out of memory) to
// the calling task as its first handle, returned in rdi.
class KernelObject;
bm::abi::Status install_new_object(arch::InterruptFrame& frame, KernelObject* object,
                                   uint32_t rights);

}  // namespace kernel
