// UartPort on real hardware: the 16550's eight registers through ring-3 in/out. Works only on
// the ports init granted (COM1 0x3F8-0x3FF); any other port raises #GP.
#pragma once

#include <stdint.h>

#include "lib/core/pc_layout.h"
#include "servers/serial/uart.h"
#include "user/port_io.h"

namespace bm::serial {

// COM1's base port on PC-compatible machines.
using bm::pc::kCom1Base;

class PortIoUart final : public UartPort {
 public:
  explicit constexpr PortIoUart(uint16_t base) : base_(base) {}

  uint8_t read(uint8_t offset) override { return user::in8(port(offset)); }
  void write(uint8_t offset, uint8_t value) override { user::out8(port(offset), value); }

 private:
  uint16_t port(uint8_t offset) const { return static_cast<uint16_t>(base_ + offset); }

  uint16_t base_;
};

}  // namespace bm::serial
