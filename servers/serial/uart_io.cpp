// The serial server's UART access from its two threads (the sharing rules are in uart_io.h).
#include "servers/serial/uart_io.h"

#include "ipc/protocol.h"
#include "user/syscalls.h"

namespace bm::serial {

void UartIo::serve_interrupts() {
  for (;;) {
    user::SyscallResult woken = user::raw_syscall(user::Syscall::notification_wait,
                                                  irq_notification_, bm::abi::kWaitForever);
    if (woken.status != user::Status::kOk) return;
    size_t waiting = 0;
    {
      LockGuard guard(lock_);
      driver_->on_interrupt();
      waiting = driver_->available();
    }
    // The kernel masked the line when it signalled us; the UART's sources are cleared now.
    user::raw_syscall(user::Syscall::irq_ack, irq_);
    if (waiting != 0) {
      user::raw_syscall(user::Syscall::notification_signal, data_arrived_, 1ull << kDataArrivedBit);
    }
  }
}

size_t UartIo::receive(uint8_t* out, size_t capacity) {
  LockGuard guard(lock_);
  return driver_->read(out, capacity);
}

bool UartIo::wait_for_data() {
  uint64_t wait_ticks =
      bm::ipc::kBlockingReadWaitMs * user::system_info(bm::abi::SystemInfo::kTimerHz) / 1000;
  auto woken = user::raw_syscall(user::Syscall::notification_wait, data_arrived_,
                                 wait_ticks == 0 ? 1 : wait_ticks);
  return woken.status != user::Status::kTimedOut;
}

size_t UartIo::transmit(const uint8_t* data, size_t length) {
  size_t sent = 0;
  while (sent < length && transmit_byte(data[sent])) ++sent;
  return sent;
}

bool UartIo::transmit_byte(uint8_t byte) {
  LockGuard guard(lock_);
  Result<size_t> written = driver_->write(&byte, 1);
  return written.ok() && *written == 1;  // otherwise the transmitter stalled
}

Result<void> UartIo::set_line(const LineSettings& settings) {
  LockGuard guard(lock_);
  return driver_->set_line(settings);
}

}  // namespace bm::serial
