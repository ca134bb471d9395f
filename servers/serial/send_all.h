// Sending a whole buffer through a transmitter that takes a few bytes at a time and must be
// waited for in between (UartDriver::write_some, then the THR-empty interrupt). The loop is
// apart from the locking and the waiting so host tests run it against the fake UART.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"

namespace bm::serial {

// try_send(data, length) -> Result<size_t>: the bytes taken now, 0 while the transmitter is
// busy, an error when the device is gone. wait() returns when it may take more (returning
// early is harmless: the loop asks again). There is no give-up count: a slow far end only
// slows the writer down. Returns the bytes sent, fewer than `length` only if the device went.
template <typename TrySend, typename Wait>
size_t send_all(const uint8_t* data, size_t length, TrySend try_send, Wait wait) {
  size_t sent = 0;
  while (sent < length) {
    Result<size_t> taken = try_send(data + sent, length - sent);
    if (!taken.ok()) break;
    if (*taken == 0) {
      wait();
      continue;
    }
    sent += *taken;
  }
  return sent;
}

}  // namespace bm::serial
