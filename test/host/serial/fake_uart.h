// A register-level model of a 16550A for host tests: DLAB, divisor latch, 16-byte FIFOs with
// trigger levels and overrun, loopback, IIR priorities, line errors, and an "absent" mode in
// which every read returns 0xFF as an empty ISA bus does.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <deque>
#include <vector>

#include "servers/serial/uart.h"

namespace bm::serial {

class FakeUart final : public UartPort {
 public:
  struct Access {
    bool is_write;
    uint8_t offset;
    uint8_t value;
    bool dlab;  // LCR.DLAB at the time of the access
  };

  uint8_t read(uint8_t offset) override;
  void write(uint8_t offset, uint8_t value) override;

  // The far end of the line sends `byte`; `line_status` may carry kLsrParityError,
  // kLsrFramingError or kLsrBreak for it. A full FIFO loses the byte and sets LSR.OE.
  void receive(uint8_t byte, uint8_t line_status = 0);
  void receive(const std::vector<uint8_t>& bytes);
  // Lets time pass: the transmit FIFO goes out on the wire (unless the transmitter is stalled).
  // Reading LSR does the same, as the driver's polling gives the chip time to send.
  void settle() { shift_out(); }

  // Test knobs.
  bool present = true;               // false: reads 0xFF, writes vanish
  bool has_fifo = true;              // false: an 8250/16450 (no FIFO, IIR bits 6-7 stay 0)
  bool transmitter_stalled = false;  // true: THR never empties (e.g. flow control stuck)
  // A slow far end: each FIFO load needs this many looks at LSR (or settle() calls) before
  // it has gone out and THR is empty again.
  size_t slow_polls = 0;
  bool broken_loopback = false;  // true: loopback returns a corrupted byte
  bool stuck_interrupt = false;  // true: IIR always says "data", LSR always says DR
  size_t fifo_depth() const { return has_fifo && fifo_enabled_ ? kFifoDepth : 1; }

  // Observations.
  std::vector<uint8_t> transmitted;  // bytes that left on the wire (never loopback bytes)
  std::vector<Access> log;
  size_t receive_buffer_reads = 0;
  size_t transmit_overruns = 0;  // THR writes with the transmit FIFO full (bytes lost)
  uint8_t ier() const { return ier_; }
  uint8_t lcr() const { return lcr_; }
  uint8_t mcr() const { return mcr_; }
  uint16_t divisor() const { return static_cast<uint16_t>(dll_ | (dlm_ << 8)); }
  bool fifo_enabled() const { return fifo_enabled_; }
  uint8_t trigger_level() const;
  size_t receive_fifo_size() const { return rx_.size(); }
  // Bytes the receive FIFO still takes: what QEMU's chardev asks its socket for, so a sender
  // that honours it is held back instead of overrunning the chip.
  size_t receive_room() const { return fifo_depth() - rx_.size(); }
  size_t transmit_fifo_size() const { return tx_.size(); }

 private:
  struct RxChar {
    uint8_t byte;
    uint8_t errors;
  };

  bool dlab() const { return (lcr_ & kLcrDivisorLatch) != 0; }
  uint8_t interrupt_ident();
  uint8_t line_status();
  void shift_out();  // models time passing: the TX FIFO drains onto the wire
  void push_rx(uint8_t byte, uint8_t errors);

  uint8_t ier_ = 0;
  uint8_t lcr_ = 0;
  uint8_t mcr_ = 0;
  uint8_t scr_ = 0;
  uint8_t dll_ = 0;
  uint8_t dlm_ = 0;
  uint8_t fcr_trigger_ = 0;
  bool fifo_enabled_ = false;
  bool overrun_ = false;
  bool thre_interrupt_ = false;
  size_t polls_until_sent_ = 0;  // slow_polls countdown for the FIFO load in flight
  std::deque<RxChar> rx_;
  std::deque<uint8_t> tx_;
};

}  // namespace bm::serial
