// SSE enablement and initial FXSAVE image (Intel SDM vol. 3A §13.1.3).
#include "kernel/arch/x86_64/fpu.h"

namespace arch {
namespace {

constexpr uint64_t kCr0MonitorCoprocessor = 1 << 1;
constexpr uint64_t kCr0Emulation = 1 << 2;
constexpr uint64_t kCr0TaskSwitched = 1 << 3;
constexpr uint64_t kCr4OsFxsr = 1 << 9;
constexpr uint64_t kCr4OsXmmExceptions = 1 << 10;

// FXSAVE layout: FCW at byte 0, MXCSR at byte 24 (SDM vol. 1, table 10-2).
constexpr uint16_t kDefaultFpuControl = 0x037f;  // all x87 exceptions masked
constexpr uint32_t kDefaultMxcsr = 0x1f80;       // all SSE exceptions masked

}  // namespace

void fpu_init() {
  uint64_t cr0;
  asm volatile("mov %%cr0, %0" : "=r"(cr0));
  cr0 = (cr0 & ~kCr0Emulation) | kCr0MonitorCoprocessor;
  asm volatile("mov %0, %%cr0" : : "r"(cr0));
  uint64_t cr4;
  asm volatile("mov %%cr4, %0" : "=r"(cr4));
  cr4 |= kCr4OsFxsr | kCr4OsXmmExceptions;
  asm volatile("mov %0, %%cr4" : : "r"(cr4));
  asm volatile("fninit");
}

void fpu_trap_next_use() {
  uint64_t cr0;
  asm volatile("mov %%cr0, %0" : "=r"(cr0));
  asm volatile("mov %0, %%cr0" : : "r"(cr0 | kCr0TaskSwitched));
}

void fpu_initial_state(FpuState* state) {
  for (uint8_t& byte : state->bytes) byte = 0;
  state->bytes[0] = kDefaultFpuControl & 0xff;
  state->bytes[1] = kDefaultFpuControl >> 8;
  state->bytes[24] = kDefaultMxcsr & 0xff;
  state->bytes[25] = (kDefaultMxcsr >> 8) & 0xff;
}

}  // namespace arch
