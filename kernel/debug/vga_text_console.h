// The kernel's own minimal VGA text output (80x25 at 0xB8000), used for the
// boot log and the panic screen until the ring-3 VGA server takes over.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/debug/teletype.h"

namespace kernel {

class VgaTextConsole {
 public:
  static constexpr int kColumns = 80;
  static constexpr int kRows = 25;

  void init(volatile uint16_t* buffer);
  void write(const char* text, size_t length);
  void set_colour(uint8_t attribute) { attribute_ = attribute; }
  void clear();

 private:
  void put(char c);
  void scroll();
  volatile uint16_t* buffer_ = nullptr;
  Teletype cursor_;
  uint8_t attribute_ = 0x07;  // light grey on black
};

}  // namespace kernel
