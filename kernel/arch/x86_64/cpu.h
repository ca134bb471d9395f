// Privileged CPU instructions and control registers (Intel SDM vol. 3A §2.5).
#pragma once

#include <stdint.h>

namespace arch {

inline void halt() { asm volatile("hlt"); }
inline void disable_interrupts() { asm volatile("cli" ::: "memory"); }
inline void enable_interrupts() { asm volatile("sti" ::: "memory"); }
// sti takes effect after the next instruction, so "sti; hlt" cannot lose a wakeup.
inline void enable_interrupts_and_halt() { asm volatile("sti; hlt" ::: "memory"); }
// Takes the interrupts that are pending, then masks them again. sti only
// takes effect after the next instruction, hence the nop.
inline void let_interrupts_in() { asm volatile("sti; nop; cli" ::: "memory"); }

[[noreturn]] inline void halt_forever() {
  for (;;) asm volatile("cli; hlt");
}

inline uint64_t read_cr2() {
  uint64_t value;
  asm volatile("mov %%cr2, %0" : "=r"(value));
  return value;
}
inline uint64_t read_cr3() {
  uint64_t value;
  asm volatile("mov %%cr3, %0" : "=r"(value));
  return value;
}
inline void write_cr3(uint64_t value) { asm volatile("mov %0, %%cr3" : : "r"(value) : "memory"); }
// Copies `count` 8-byte words with one `rep movsq` (the direction flag is clear in the
// kernel: syscall entry masks it, interrupt entry clears it).
inline void copy_quadwords(uint64_t* to, const uint64_t* from, uint64_t count) {
  asm volatile("rep movsq" : "+D"(to), "+S"(from), "+c"(count) : : "memory");
}
inline uint64_t read_rflags() {
  uint64_t value;
  asm volatile("pushfq; popq %0" : "=r"(value));
  return value;
}
inline uint64_t read_rsp() {
  uint64_t value;
  asm volatile("mov %%rsp, %0" : "=r"(value));
  return value;
}
inline uint64_t read_rbp() {
  uint64_t value;
  asm volatile("mov %%rbp, %0" : "=r"(value));
  return value;
}

inline void invalidate_page(uint64_t virtual_address) {
  asm volatile("invlpg (%0)" : : "r"(virtual_address) : "memory");
}

inline uint64_t read_msr(uint32_t msr) {
  uint32_t low, high;
  asm volatile("rdmsr" : "=a"(low), "=d"(high) : "c"(msr));
  return (static_cast<uint64_t>(high) << 32) | low;
}
inline void write_msr(uint32_t msr, uint64_t value) {
  asm volatile("wrmsr" : : "c"(msr), "a"(static_cast<uint32_t>(value)),
               "d"(static_cast<uint32_t>(value >> 32)));
}

inline uint64_t read_tsc() {
  uint32_t low, high;
  asm volatile("rdtsc" : "=a"(low), "=d"(high));
  return (static_cast<uint64_t>(high) << 32) | low;
}

}  // namespace arch
