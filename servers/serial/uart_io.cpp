// The serial server's UART access from its two threads (the sharing rules are in uart_io.h).
#include "servers/serial/uart_io.h"

#include "ipc/protocol.h"
#include "servers/serial/send_all.h"
#include "user/syscalls.h"

namespace bm::serial {

void UartIo::serve_interrupts() {
  for (;;) {
    if (!user::notification_wait(irq_notification_, bm::abi::kWaitForever).ok()) return;
    size_t waiting = 0;
    bool transmitter_ready = false;
    {
      user::LockGuard guard(lock_);
      driver_->on_interrupt();
      waiting = driver_->available();
      transmitter_ready = driver_->take_transmit_ready();
    }
    // The kernel masked the line when it signalled us; the UART's sources are cleared now.
    (void)user::irq_ack(irq_);
    if (waiting != 0) on_received_();
    if (transmitter_ready) {
      (void)user::notification_signal(transmit_ready_, 1ull << kTransmitReadyBit);
    }
  }
}

size_t UartIo::receive(uint8_t* out, size_t capacity) {
  user::LockGuard guard(lock_);
  return driver_->read(out, capacity);
}

size_t UartIo::transmit(const uint8_t* data, size_t length) {
  return send_all(
      data, length,
      [this](const uint8_t* bytes, size_t count) {
        user::LockGuard guard(lock_);
        return driver_->write_some(bytes, count);
      },
      [this] { wait_for_transmitter(); });
}

void UartIo::wait_for_transmitter() {
  {
    user::LockGuard guard(lock_);
    driver_->set_transmit_interrupt(true);
  }
  (void)user::notification_wait(transmit_ready_, kTransmitWaitTicks);
  user::LockGuard guard(lock_);
  driver_->set_transmit_interrupt(false);
}

Result<void> UartIo::set_line(const LineSettings& settings) {
  user::LockGuard guard(lock_);
  return driver_->set_line(settings);
}

}  // namespace bm::serial
