// What the serial server's protocol logic needs from the UART side: received bytes, transmit
// and line settings. The server implements it over UartDriver and its
// interrupt thread (uart_io.h); host tests implement it with a fake.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/core/result.h"
#include "servers/serial/uart_driver.h"

namespace bm::serial {

class SerialIo {
 public:
  // Moves up to `capacity` received bytes, oldest first, into `out`; never waits.
  virtual size_t receive(uint8_t* out, size_t capacity) = 0;
  // Sends bytes as they are, waiting for the transmitter as long as the far end needs (no
  // byte is dropped and there is no give-up count). Returns how many went out; fewer than
  // `length` only when the device is gone.
  virtual size_t transmit(const uint8_t* data, size_t length) = 0;
  // Programs rate and frame format (UartDriver::set_line's errors).
  virtual Result<void> set_line(const LineSettings& settings) = 0;

 protected:
  ~SerialIo() = default;  // never deleted through this interface
};

}  // namespace bm::serial
