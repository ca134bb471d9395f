// The register state saved by interrupt_stubs.S on every interrupt or
// exception. Field order mirrors the pushes, lowest address first. A
// system call's frame (syscall_entry.S) has the same layout but holds only
// rip, rflags, rsp, rbp and the argument registers rax, rdi, rsi, rdx, r10,
// r8, r9; the kernel's code preserves the others itself.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace arch {

struct InterruptFrame {
  uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
  uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
  uint64_t vector;
  uint64_t error_code;  // pushed by the CPU for some exceptions, 0 otherwise
  // Pushed by the CPU (Intel SDM vol. 3A §6.14.1, 64-bit interrupt stack frame).
  uint64_t rip, cs, rflags, rsp, ss;
};

static_assert(sizeof(InterruptFrame) == 22 * 8, "must match interrupt_stubs.S");
// The offsets syscall_entry.S writes a system-call frame by.
static_assert(offsetof(InterruptFrame, r10) == 40 && offsetof(InterruptFrame, r9) == 48 &&
              offsetof(InterruptFrame, r8) == 56 && offsetof(InterruptFrame, rbp) == 64 &&
              offsetof(InterruptFrame, rdi) == 72 && offsetof(InterruptFrame, rsi) == 80 &&
              offsetof(InterruptFrame, rdx) == 88 && offsetof(InterruptFrame, rax) == 112 &&
              offsetof(InterruptFrame, rip) == 136 && offsetof(InterruptFrame, rflags) == 152 &&
              offsetof(InterruptFrame, rsp) == 160,
              "must match syscall_entry.S");

using InterruptHandler = void (*)(InterruptFrame& frame);

}  // namespace arch
