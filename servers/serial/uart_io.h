// SerialIo over the real 16550 for the serial server's threads: the interrupt thread drains the
// UART when IRQ 4 fires and tells the server (a callback, which answers the reads waiting for
// input); the service thread reads, writes and changes line settings for its clients; a
// writer that finds the transmitter busy sleeps until the THR-empty interrupt.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "servers/serial/serial_io.h"
#include "servers/serial/uart_driver.h"
#include "user/yield_lock.h"
#include "user/ipc.h"

namespace bm::serial {

// Sharing. Both threads use the one UartDriver: the interrupt thread calls on_interrupt()
// (IIR, LSR, RBR, the receive ring buffer, the counters); the service thread calls read(),
// write() and set_line(). A lock-free queue between them would cover only the ring buffer,
// not the chip: set_line() sets LCR.DLAB, which turns offset 0 from RBR into the divisor
// latch, and a drain at that moment would take the divisor for data. So every driver call
// holds one YieldLock, and each hold is short:
//   - on_interrupt() is bounded by the driver (a FIFO load per round, 16 rounds at most);
//   - transmit() takes the lock per FIFO load (write_some never waits for the line) and
//     waits for THR empty without it, asleep on `transmit_ready`;
//   - set_line() waits (bounded) for the transmitter to empty, then reprograms: rare.
// Received bytes: after a drain that left bytes in the ring buffer, the interrupt thread calls
// `on_received` (outside this lock), which hands them to the reads waiting for input.
// Wake-ups of a writer cannot be lost: it turns the THR-empty interrupt on before it waits on
// `transmit_ready`, and the chip raises it at once if THR emptied in between. Its wait also
// ends at kTransmitWaitTicks, after which it looks again: a lost turn costs a tick, never a
// byte.
class UartIo final : public SerialIo {
 public:
  // Notification bits: IRQ 4 on `irq_notification`, "THR empty, a waiting writer may go on"
  // on `transmit_ready`.
  static constexpr uint64_t kIrqBit = 0;
  static constexpr uint64_t kTransmitReadyBit = 0;
  // A waiting writer looks at the transmitter again after this many ticks even without an
  // interrupt (another writer took the signal): short, and no spinning.
  static constexpr uint64_t kTransmitWaitTicks = 10;

  // `irq` is bound to `irq_notification` (bit kIrqBit) by the caller. The driver must
  // outlive this object and be initialised before the interrupt thread starts.
  constexpr UartIo(UartDriver* driver, user::Handle irq, user::Handle irq_notification,
                   user::Handle transmit_ready, void (*on_received)())
      : driver_(driver),
        irq_(irq),
        irq_notification_(irq_notification),
        transmit_ready_(transmit_ready),
        on_received_(on_received) {}

  // The interrupt thread's body: wait for IRQ 4, drain the UART, ack the line, call
  // on_received if bytes are waiting. Returns only if the notification cannot be waited on
  // any more.
  void serve_interrupts();

  size_t receive(uint8_t* out, size_t capacity) override;
  size_t transmit(const uint8_t* data, size_t length) override;
  Result<void> set_line(const LineSettings& settings) override;

 private:
  // Sleeps until the THR-empty interrupt (or kTransmitWaitTicks).
  void wait_for_transmitter();

  UartDriver* driver_;
  user::Handle irq_;
  user::Handle irq_notification_;
  user::Handle transmit_ready_;
  void (*on_received_)();
  user::YieldLock lock_;
};

}  // namespace bm::serial
