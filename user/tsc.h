// The time-stamp counter, readable in ring 3 (the kernel's boot.S clears CR4.TSD; Intel SDM
// Vol. 3B, 18.17 "Time-Stamp Counter"). Cycles on hardware; under QEMU's
// -icount shift=0,align=off,sleep=off one tick per guest instruction, which tools/bench reads.
#pragma once

#include <stdint.h>

namespace user {

inline uint64_t read_tsc() {
  uint32_t low, high;
  asm volatile("rdtsc" : "=a"(low), "=d"(high));
  return (static_cast<uint64_t>(high) << 32) | low;
}

}  // namespace user
