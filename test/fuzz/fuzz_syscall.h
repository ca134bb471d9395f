// One system call with chosen RFLAGS bits set around the `syscall`
// instruction and callee-saved registers loaded with sentinels, so the
// fuzzer sees exactly what the kernel gave back (fuzz_syscall.S).
#pragma once

#include <stdint.h>

#include "lib/core/rflags.h"

namespace fuzz {

// RFLAGS bits the fuzzer sets with popfq (lib/core/rflags.h).
constexpr uint64_t kFlagTrap = bm::rflags::kTrap;
constexpr uint64_t kFlagDirection = bm::rflags::kDirection;
constexpr uint64_t kFlagNestedTask = bm::rflags::kNestedTask;
constexpr uint64_t kFlagAlignmentCheck = bm::rflags::kAlignmentCheck;

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
