// x87/SSE state. The kernel itself never touches it (-mgeneral-regs-only);
// user threads do, so each thread has a save area. The scheduler swaps it
// lazily: only when a thread uses the FPU after another thread did.
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

// Lazy switching (Intel SDM vol. 3A §2.5, CR0.TS; §13.4): with TS set, the next x87, MMX
// or SSE instruction raises #NM (device not available) instead of running, which tells
// the kernel a thread is about to use state that is not its own.
void fpu_trap_next_use();                          // sets CR0.TS
inline void fpu_allow_use() { asm volatile("clts"); }  // clears CR0.TS

}  // namespace arch
