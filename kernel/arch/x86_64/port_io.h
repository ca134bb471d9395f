// x86 port I/O instructions (Intel SDM vol. 1 §19.4: I/O instructions).
#pragma once

#include <stdint.h>

namespace arch {

inline void out8(uint16_t port, uint8_t value) {
  asm volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}
inline uint8_t in8(uint16_t port) {
  uint8_t value;
  asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}
inline void out16(uint16_t port, uint16_t value) {
  asm volatile("outw %0, %1" : : "a"(value), "Nd"(port));
}
inline uint16_t in16(uint16_t port) {
  uint16_t value;
  asm volatile("inw %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

// A write to an unused port takes about 1 µs: the classic delay between
// 8259 initialisation words on old hardware.
inline void io_wait() { out8(0x80, 0); }

}  // namespace arch
