// Port I/O for ring-3 drivers (Intel SDM vol. 1 §19.4). It works only on
// ports the task holds an io-port range handle for; any other port raises
// #GP, which reaches the task's supervisor as a fault message.
#pragma once

#include <stdint.h>

namespace user {

inline void out8(uint16_t port, uint8_t value) {
  asm volatile("outb %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

inline uint8_t in8(uint16_t port) {
  uint8_t value;
  asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port) : "memory");
  return value;
}

}  // namespace user
