// Polled 16550 UART output for the kernel log and panic path. The ring-3
// serial server owns COM1 for input later; the kernel only ever writes.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace arch {

class SerialPort {
 public:
  // Programs 115200 8N1, FIFOs on, interrupts off. Returns false (and stays
  // silent afterwards) when no UART answers the loopback test.
  bool init(uint16_t base);
  void write(const char* text, size_t length);
  bool present() const { return present_; }
  // Writes dropped because the chip was being reprogrammed (see write()).
  uint64_t skipped_writes() const { return skipped_writes_; }

 private:
  void put(char c);
  uint16_t base_ = 0;
  bool present_ = false;
  uint64_t skipped_writes_ = 0;
};

}  // namespace arch
