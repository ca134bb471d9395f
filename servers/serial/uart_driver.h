// 16550 UART programming: initialisation with a loopback presence test, interrupt-driven
// receive into a ring buffer that holds the sender back when full, non-blocking transmit with
// the THR-empty interrupt to wait on, and line settings, all through UartPort so host tests can
// run it against a fake.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/containers/ring_buffer.h"
#include "lib/core/result.h"
#include "servers/serial/uart.h"

namespace bm::serial {

enum class Parity : uint8_t { kNone, kOdd, kEven, kMark, kSpace };

struct LineSettings {
  uint32_t baud = kMaxBaud;
  uint8_t data_bits = 8;  // 5..8
  Parity parity = Parity::kNone;
  uint8_t stop_bits = 1;  // 1 or 2 (with 5 data bits the chip sends 1.5 for 2)
};

// Receive-side accounting; every count only grows.
struct UartStats {
  uint64_t received = 0;  // bytes read from the chip
  // Times the ring buffer filled and the driver stopped draining the chip (no byte is lost:
  // they wait in the UART's FIFO, and the far end is held back once that fills).
  uint64_t receive_pauses = 0;
  uint64_t hardware_overruns = 0;  // LSR.OE seen: the chip's FIFO was full and lost a byte
  uint64_t parity_errors = 0;
  uint64_t framing_errors = 0;
  uint64_t breaks = 0;
  uint64_t interrupts = 0;           // on_interrupt() calls
  uint64_t spurious_interrupts = 0;  // on_interrupt() calls that found nothing pending
};

class UartDriver {
 public:
  static constexpr size_t kReceiveCapacity = 4096;
  // Room the ring buffer needs before a paused receiver drains the chip again: a FIFO load, so
  // the next interrupt does not pause it again at once.
  static constexpr size_t kResumeRoom = kFifoDepth;
  // Polls of LSR before the loopback test or set_line's wait for an idle line gives up. At
  // 115200 baud one character takes ~87 us and a port read at least ~0.5 us, so this covers a
  // full FIFO many times over while still bounding a wedged or absent chip. Transmit never
  // polls: it waits on the THR-empty interrupt instead (see write_some).
  static constexpr uint32_t kSpinLimit = 100000;
  // Bounds on_interrupt(): IIR sources handled per call, and bytes drained per data interrupt.
  // A chip stuck reporting "pending" or "data ready" cannot keep the server in the handler.
  static constexpr uint32_t kMaxInterruptRounds = 16;
  static constexpr uint32_t kMaxDrainPerRound = 256;

  // The port must outlive the driver. Nothing touches the hardware until init().
  explicit constexpr UartDriver(UartPort* port) : port_(port) {}

  // Programs a known state: interrupts off, 115200 8N1, FIFOs enabled and cleared with a
  // 14-byte trigger, a loopback self-test, then DTR|RTS|OUT2 and the receive interrupt on.
  // kNoDevice when the loopback byte does not come back (no UART at this address); the chip
  // is then left with interrupts off and the driver refuses to transmit.
  Result<void> init();

  // The IRQ handler's body: reads IIR until no interrupt is pending, draining received bytes
  // into the ring buffer, counting line errors and noting THR empty (take_transmit_ready).
  // When the ring buffer is full it stops: the received-data interrupt goes off and the bytes
  // stay in the chip's FIFO until read() has made room (the chip then holds the far end back,
  // or overruns if the far end does not wait, which hardware_overruns counts).
  void on_interrupt();

  // Moves up to `capacity` received bytes, oldest first, into `out`. Returns the count. Turns
  // the received-data interrupt back on once a paused receiver has kResumeRoom free.
  size_t read(uint8_t* out, size_t capacity);
  size_t available() const { return receive_.size(); }
  bool receive_paused() const { return receive_paused_; }

  // Puts as many bytes as the transmitter takes now into it (a FIFO load once THR is empty,
  // nothing while it is busy) and never waits. Returns the count, 0 if the transmitter is
  // busy; kNoDevice before a successful init() or when the chip has gone (LSR reads 0xFF, an
  // empty bus). Callers wait for THR empty with set_transmit_interrupt() and try again.
  Result<size_t> write_some(const uint8_t* data, size_t length);
  // The THR-empty interrupt (IER.ETBEI): on while a writer waits for room, off otherwise, as
  // each emptied FIFO would interrupt. Turning it on with THR already empty interrupts at once
  // (datasheet, IIR priority 3 is set whenever THRE and ETBEI are), so no wake-up is lost.
  void set_transmit_interrupt(bool on);
  // True once after on_interrupt() saw the THR-empty source.
  bool take_transmit_ready();

  // Checks the settings without touching the hardware: baud must divide 115200 exactly
  // (50 ... 115200: every standard rate except 110 and 134.5), 5-8 data bits, 1 or 2 stop bits,
  // a known parity. The driver accepts more than ipc/serial.h offers (slower rates, mark and
  // space parity); the protocol decides what clients may ask for.
  static Result<void> validate(const LineSettings& settings);
  // Validates, waits (bounded) for the transmitter to empty so no character is garbled, then
  // programs divisor and LCR. Invalid settings leave the chip untouched (kInvalidArgument).
  Result<void> set_line(const LineSettings& settings);
  const LineSettings& line() const { return line_; }

  bool present() const { return present_; }
  bool fifo_enabled() const { return fifo_enabled_; }
  const UartStats& stats() const { return stats_; }

 private:
  static uint8_t line_control_bits(const LineSettings& settings);
  void program_line(const LineSettings& settings);
  void account_line_status(uint8_t lsr);
  void drain_receiver();
  void write_interrupt_enable();
  bool wait_for_line_status(uint8_t mask);
  bool loopback_test();

  UartPort* port_;
  RingBuffer<uint8_t, kReceiveCapacity> receive_;
  LineSettings line_;
  UartStats stats_;
  bool present_ = false;
  bool fifo_enabled_ = false;
  bool receive_paused_ = false;    // ERBFI off because the ring buffer is full
  bool transmit_waiting_ = false;  // ETBEI on
  bool transmit_ready_ = false;    // THR-empty interrupt seen, not yet taken
};

}  // namespace bm::serial
