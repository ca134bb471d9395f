// The serial protocol (labels 0x301..): raw bytes in and out of a UART, and its line
// settings. The serial server speaks the console protocol (ipc/console.h) on the same
// endpoint. docs/protocols.md describes every message.
#pragma once

#include <stdint.h>

#include "ipc/wire_codec.h"

namespace bm::ipc::serial {

using ipc::decode;  // the codecs of ipc/wire_codec.h
using ipc::encode;

constexpr uint32_t kMaxWriteBytes = 4000;
constexpr uint32_t kMaxReadBytes = 4000;
constexpr uint32_t kMaxWriteWords = 1 + (kMaxWriteBytes + 7) / 8;     // length + bytes
constexpr uint32_t kMaxReadReplyWords = 2 + (kMaxReadBytes + 7) / 8;  // status + length + bytes
static_assert(kMaxReadReplyWords <= abi::kMaxMessageWords);

// The 16550's divisor latch divides 115200 (1.8432 MHz / 16; PC16550D datasheet, "Programmable
// Baud Generator"), so a rate is valid when it divides 115200 exactly, from 1200 up.
constexpr uint32_t kBaseBaud = 115200;
constexpr uint32_t kMinBaud = 1200;
constexpr bool is_baud(uint64_t baud) {
  return baud >= kMinBaud && baud <= kBaseBaud && kBaseBaud % baud == 0;
}
// The divisor latch value for a rate is_baud accepts.
constexpr uint16_t baud_divisor(uint32_t baud) { return static_cast<uint16_t>(kBaseBaud / baud); }

enum class Parity : uint64_t {
  kNone = 0,
  kOdd = 1,
  kEven = 2,
};
constexpr bool is_parity(uint64_t value) { return value <= 2; }

struct LineSettings {
  uint32_t baud = kBaseBaud;
  uint8_t data_bits = 8;  // 5..8
  Parity parity = Parity::kNone;
  uint8_t stop_bits = 1;  // 1 or 2 (with 5 data bits the 16550 sends 1.5)
  using Wire =
      Fields<Checked<&LineSettings::baud, is_baud>, Bounded<&LineSettings::data_bits, 5, 8>,
             Checked<&LineSettings::parity, is_parity>, Bounded<&LineSettings::stop_bits, 1, 2>>;
};

// X(Name, label, "name", request words min, max, kOk reply words min, max)
#define BM_SERIAL_MESSAGES(X)                         \
  X(Write, 0x301, "write", 1, kMaxWriteWords, 2, 2)   \
  X(Read, 0x302, "read", 2, 2, 3, kMaxReadReplyWords) \
  X(SetLine, 0x303, "set_line", 4, 4, 1, 1)

BM_DEFINE_MESSAGES(BM_SERIAL_MESSAGES, Label, kMessages)

// Requests a client may send again to a restarted server (as the console's write, a write
// may then show twice).
constexpr uint32_t kIdempotent[] = {kWrite, kRead, kSetLine};

// write: send bytes as they are (no CR/LF translation, unlike console write).
using WriteRequest = BytesWriteRequest<kWriteSpec, kMaxWriteBytes>;
using WriteReply = BytesWriteReply<kWriteSpec, kMaxWriteBytes>;

// read: 1..max_bytes received bytes, or kWouldBlock at once if none and !blocking.
struct ReadRequest {
  uint32_t max_bytes = kMaxReadBytes;  // 1..kMaxReadBytes
  bool blocking = true;
  using Wire = Request<kReadSpec, Bounded<&ReadRequest::max_bytes, 1, kMaxReadBytes>,
                       Flag<&ReadRequest::blocking>>;
};
struct ReadReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  ByteView bytes{};  // 1..kMaxReadBytes in a kOk reply; the client checks <= its max_bytes
  using Wire = Reply<kReadSpec, Bytes<&ReadReply::bytes, kMaxReadBytes, 1>>;
};

// set_line: program the UART's rate and frame format.
struct SetLineRequest {
  LineSettings line;
  using Wire = Request<kSetLineSpec, Nested<&SetLineRequest::line>>;
};
using SetLineReply = StatusReply<kSetLineSpec>;

}  // namespace bm::ipc::serial
