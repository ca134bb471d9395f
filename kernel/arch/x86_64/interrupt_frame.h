// The register state saved by interrupt_stubs.S on every interrupt or
// exception. Field order mirrors the pushes, lowest address first.
#pragma once

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

using InterruptHandler = void (*)(InterruptFrame& frame);

}  // namespace arch
