// System-call handlers, one per entry of BM_SYSCALL_LIST. A handler reads
// its arguments from the caller's saved registers (rdi, rsi, rdx, r10, r8,
// r9), writes any results into them, and returns the status for rax.
#pragma once

#include "kernel/arch/x86_64/interrupt_frame.h"
#include "lib/abi/syscalls.h"
#include "lib/core/error.h"

namespace kernel {

using SyscallHandler = bm::abi::Status (*)(arch::InterruptFrame& frame);

#define BM_DECLARE_SYSCALL_HANDLER(name, number) \
  bm::abi::Status sys_##name(arch::InterruptFrame& frame);
BM_SYSCALL_LIST(BM_DECLARE_SYSCALL_HANDLER)
#undef BM_DECLARE_SYSCALL_HANDLER

// A handle argument. Handles are 32 bits: a value with any upper bit set
// names no handle (it becomes kInvalidHandleValue, which every lookup
// refuses), so garbage in the upper half is not silently ignored.
constexpr bm::abi::Handle handle_argument(uint64_t raw) {
  return raw > 0xffffffffull ? bm::abi::kInvalidHandleValue : static_cast<bm::abi::Handle>(raw);
}
// For arguments where 0 has a meaning (kOwnAddressSpace, "no handle"):
// true if the raw value is not a possible handle at all.
constexpr bool handle_out_of_range(uint64_t raw) { return raw > 0xffffffffull; }

// The status a kernel error becomes at the system-call boundary.
bm::abi::Status to_status(bm::Error error);
// Hands a freshly created object (null if creation ran out of memory) to
// the calling task as its first handle, returned in rdi.
class KernelObject;
bm::abi::Status install_new_object(arch::InterruptFrame& frame, KernelObject* object,
                                   uint32_t rights);

}  // namespace kernel
