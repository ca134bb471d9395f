// The RFLAGS bits (Intel SDM vol. 1 §3.4.3, vol. 3A §2.3), named once for the kernel's
// system-call entry, which must not inherit any of them from ring 3, and for the ring-3
// tests and fuzzer, which set them to check that.
#pragma once

#include <stdint.h>

namespace bm::rflags {

constexpr uint64_t kCarry = 1ull << 0;
constexpr uint64_t kReserved1 = 1ull << 1;  // always set
constexpr uint64_t kParity = 1ull << 2;
constexpr uint64_t kAuxCarry = 1ull << 4;
constexpr uint64_t kZero = 1ull << 6;
constexpr uint64_t kSign = 1ull << 7;
constexpr uint64_t kTrap = 1ull << 8;        // TF: single-step
constexpr uint64_t kInterrupt = 1ull << 9;   // IF: ring 3 cannot change it at IOPL 0
constexpr uint64_t kDirection = 1ull << 10;  // DF: string instructions count down
constexpr uint64_t kOverflow = 1ull << 11;
constexpr uint64_t kIoPrivilege = 3ull << 12;  // IOPL: ring 3 cannot change it
constexpr uint64_t kNestedTask = 1ull << 14;   // NT: iret means a task return (#GP in long mode)
constexpr uint64_t kResume = 1ull << 16;
constexpr uint64_t kAlignmentCheck = 1ull << 18;  // AC: #AC on unaligned ring-3 access (CR0.AM)
constexpr uint64_t kId = 1ull << 21;              // ID: CPUID is available

// What ring 3 can set with popfq at IOPL 0, TF included.
constexpr uint64_t kUserSettable = kCarry | kParity | kAuxCarry | kZero | kSign | kTrap |
                                   kDirection | kOverflow | kNestedTask | kAlignmentCheck | kId;

}  // namespace bm::rflags
