// 16550 UART, polled transmit. Register map and bits: PC16550D datasheet
// (National Semiconductor), table 2 and §8.
#include "kernel/arch/x86_64/serial_port.h"

#include "kernel/arch/x86_64/port_io.h"

namespace arch {
namespace {

// Register offsets from the base port.
constexpr uint16_t kData = 0;            // THR/RBR, or divisor low with DLAB
constexpr uint16_t kInterruptEnable = 1; // IER, or divisor high with DLAB
constexpr uint16_t kFifoControl = 2;     // FCR (write)
constexpr uint16_t kLineControl = 3;     // LCR
constexpr uint16_t kModemControl = 4;    // MCR
constexpr uint16_t kLineStatus = 5;      // LSR

constexpr uint8_t kLcrDivisorLatch = 0x80;
constexpr uint8_t kLcr8N1 = 0x03;           // 8 data bits, no parity, 1 stop bit
constexpr uint8_t kFcrEnableAndClear = 0x07; // enable, clear RX and TX FIFOs
constexpr uint8_t kMcrDtrRts = 0x03;
constexpr uint8_t kMcrLoopback = 0x10;
constexpr uint8_t kLsrTransmitEmpty = 0x20;  // THR empty
constexpr uint8_t kLsrDataReady = 0x01;

constexpr uint32_t kClockHz = 115200;        // divisor = kClockHz / baud
constexpr uint32_t kBaud = 115200;
constexpr uint8_t kLoopbackProbe = 0xae;
// Bounded waits: a UART that stops answering must not hang the kernel.
constexpr uint32_t kMaxSpins = 100000;

}  // namespace

bool SerialPort::init(uint16_t base) {
  base_ = base;
  constexpr uint16_t divisor = kClockHz / kBaud;
  out8(base_ + kInterruptEnable, 0);
  out8(base_ + kLineControl, kLcrDivisorLatch);
  out8(base_ + kData, divisor & 0xff);
  out8(base_ + kInterruptEnable, divisor >> 8);
  out8(base_ + kLineControl, kLcr8N1);
  out8(base_ + kFifoControl, kFcrEnableAndClear);

  // Loopback self-test: what we send must come back, or there is no UART.
  out8(base_ + kModemControl, kMcrLoopback | kMcrDtrRts);
  out8(base_ + kData, kLoopbackProbe);
  present_ = false;
  for (uint32_t spin = 0; spin < kMaxSpins; ++spin) {
    if (in8(base_ + kLineStatus) & kLsrDataReady) {
      present_ = in8(base_ + kData) == kLoopbackProbe;
      break;
    }
  }
  out8(base_ + kModemControl, kMcrDtrRts);
  return present_;
}

void SerialPort::put(char c) {
  for (uint32_t spin = 0; spin < kMaxSpins; ++spin) {
    if (in8(base_ + kLineStatus) & kLsrTransmitEmpty) break;
  }
  out8(base_ + kData, static_cast<uint8_t>(c));
}

void SerialPort::write(const char* text, size_t length) {
  if (!present_) return;
  // Once the ring-3 serial server owns COM1, the kernel's log still goes out here (the debug
  // path), but never while the server is reprogramming the chip: with LCR.DLAB set, offset 0
  // is the divisor latch, and in loopback mode our bytes would arrive as the server's input.
  // One CPU and no preemption inside the kernel, so checking once per write is enough.
  if ((in8(base_ + kLineControl) & kLcrDivisorLatch) != 0 ||
      (in8(base_ + kModemControl) & kMcrLoopback) != 0) {
    ++skipped_writes_;
    return;
  }
  for (size_t i = 0; i < length; ++i) {
    if (text[i] == '\n') put('\r');  // terminals expect CR LF
    put(text[i]);
  }
}

}  // namespace arch
