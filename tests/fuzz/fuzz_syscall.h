// One system call with chosen RFLAGS bits set around the `syscall`
// instruction and callee-saved registers loaded with sentinels, so the
// fuzzer sees exactly what the kernel gave back (fuzz_syscall.S).
#pragma once

#include <stdint.h>

namespace fuzz {

// RFLAGS bits a ring-3 program can set with popfq (Intel SDM vol. 1 §3.4.3).
constexpr uint64_t kFlagTrap = 1ull << 8;             // TF: single-step
constexpr uint64_t kFlagDirection = 1ull << 10;       // DF: string ops count down
constexpr uint64_t kFlagNestedTask = 1ull << 14;      // NT: iret means task return
constexpr uint64_t kFlagAlignmentCheck = 1ull << 18;  // AC: #AC on unaligned access (CR0.AM)

// In: the number and six arguments. Out: rax (status) and the six argument
// registers after the call, and RFLAGS as the instruction after `syscall`
// saw it (before the stub clears the bits again).
struct Registers {
  uint64_t rax, rdi, rsi, rdx, r10, r8, r9, rflags;
};

}  // namespace fuzz

// Returns a bit mask of the callee-saved registers (rbx, rbp, r12-r15, rsp:
// bits 0-6) that did not survive the call: the ABI says the kernel preserves
// them all.
extern "C" uint64_t fuzz_syscall(fuzz::Registers* registers, uint64_t set_flags);
