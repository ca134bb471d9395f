// x87/SSE state. The kernel itself never touches it (-mgeneral-regs-only);
// user threads do, so each thread has a save area that the scheduler swaps.
#pragma once

#include <stdint.h>

namespace arch {

// FXSAVE image (Intel SDM vol. 1 §10.5.1): 512 bytes, 16-byte aligned.
struct alignas(16) FpuState {
  uint8_t bytes[512];
};

// Enables SSE (CR4.OSFXSR, CR4.OSXMMEXCPT, CR0.MP, clears CR0.EM).
void fpu_init();
// The state a new thread starts with: default control words, nothing pending.
void fpu_initial_state(FpuState* state);
inline void fpu_save(FpuState* state) { asm volatile("fxsave64 %0" : "=m"(*state)); }
inline void fpu_restore(const FpuState* state) { asm volatile("fxrstor64 %0" : : "m"(*state)); }

}  // namespace arch
