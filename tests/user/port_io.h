// Port I/O from ring 3. It works only on ports the task holds an io-port
// range handle for; any other port raises #GP (a fault message, see
// fault_tests.cpp and port_tests.cpp).
#pragma once

#include <stdint.h>

namespace user_tests {

inline void outb(uint16_t port, uint8_t value) {
  asm volatile("outb %0, %1" : : "a"(value), "Nd"(port) : "memory");
}

inline uint8_t inb(uint16_t port) {
  uint8_t value;
  asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port) : "memory");
  return value;
}

}  // namespace user_tests
