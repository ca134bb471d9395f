// The serial protocol (labels 0x301..): raw bytes in and out of a UART, and its line
// settings. The serial server speaks the console protocol (ipc/console.h) on the same
// endpoint. docs/protocols.md describes every message.
#pragma once

#include <stdint.h>

#include "ipc/protocol.h"

namespace bm::ipc::serial {

using ipc::decode;  // the shared status-only replies
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

struct LineSettings {
  uint32_t baud = kBaseBaud;
  uint8_t data_bits = 8;  // 5..8
  Parity parity = Parity::kNone;
  uint8_t stop_bits = 1;  // 1 or 2 (with 5 data bits the 16550 sends 1.5)
};

constexpr bool valid_line(uint64_t baud, uint64_t data_bits, uint64_t parity, uint64_t stop_bits) {
  return is_baud(baud) && data_bits >= 5 && data_bits <= 8 && parity <= 2 &&
         (stop_bits == 1 || stop_bits == 2);
}

// X(Name, label, "name", request words min, max, kOk reply words min, max)
#define BM_SERIAL_MESSAGES(X)                         \
  X(Write, 0x301, "write", 1, kMaxWriteWords, 2, 2)   \
  X(Read, 0x302, "read", 2, 2, 3, kMaxReadReplyWords) \
  X(SetLine, 0x303, "set_line", 4, 4, 1, 1)

enum Label : uint32_t {
#define BM_SERIAL_LABEL(name, label, text, a, b, c, d) k##name = label,
  BM_SERIAL_MESSAGES(BM_SERIAL_LABEL)
#undef BM_SERIAL_LABEL
};

#define BM_SERIAL_SPEC(name, label, text, a, b, c, d) \
  constexpr MessageSpec k##name##Spec{label, text, a, b, c, d};
BM_SERIAL_MESSAGES(BM_SERIAL_SPEC)
#undef BM_SERIAL_SPEC

constexpr MessageSpec kMessages[] = {
#define BM_SERIAL_SPEC_ENTRY(name, label, text, a, b, c, d) k##name##Spec,
    BM_SERIAL_MESSAGES(BM_SERIAL_SPEC_ENTRY)
#undef BM_SERIAL_SPEC_ENTRY
};

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
};
struct ReadReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  ByteView bytes;  // 1..kMaxReadBytes in a kOk reply; the client checks <= its max_bytes
};

// set_line: program the UART's rate and frame format.
struct SetLineRequest {
  LineSettings line;
};
using SetLineReply = StatusReply<kSetLine>;

// --- requests -------------------------------------------------------------------------

constexpr bool encode(const ReadRequest& request, WireMessage* out) {
  if (request.max_bytes < 1 || request.max_bytes > kMaxReadBytes) return false;
  out->label = kRead;
  out->words = 2;
  out->word[0] = request.max_bytes;
  out->word[1] = request.blocking ? 1 : 0;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, ReadRequest* out) {
  ProtocolStatus shape = check_request(message, kReadSpec);
  if (shape != ProtocolStatus::kOk) return shape;
  bool blocking = false;
  uint64_t max_bytes = message.word[0];
  if (max_bytes < 1 || max_bytes > kMaxReadBytes || !decode_flag(message.word[1], &blocking)) {
    return ProtocolStatus::kBadValue;
  }
  out->max_bytes = static_cast<uint32_t>(max_bytes);
  out->blocking = blocking;
  return ProtocolStatus::kOk;
}

constexpr bool encode(const SetLineRequest& request, WireMessage* out) {
  const LineSettings& line = request.line;
  if (!valid_line(line.baud, line.data_bits, static_cast<uint64_t>(line.parity), line.stop_bits)) {
    return false;
  }
  out->label = kSetLine;
  out->words = 4;
  out->word[0] = line.baud;
  out->word[1] = line.data_bits;
  out->word[2] = static_cast<uint64_t>(line.parity);
  out->word[3] = line.stop_bits;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, SetLineRequest* out) {
  ProtocolStatus shape = check_request(message, kSetLineSpec);
  if (shape != ProtocolStatus::kOk) return shape;
  const uint64_t* w = message.word;
  if (!valid_line(w[0], w[1], w[2], w[3])) return ProtocolStatus::kBadValue;
  out->line = {static_cast<uint32_t>(w[0]), static_cast<uint8_t>(w[1]), static_cast<Parity>(w[2]),
               static_cast<uint8_t>(w[3])};
  return ProtocolStatus::kOk;
}

// --- replies (other than kOk: the status word alone) -----------------------------------

inline bool encode(const ReadReply& reply, WireMessage* out) {
  if (!is_protocol_status(static_cast<uint64_t>(reply.status))) return false;
  if (reply.status != ProtocolStatus::kOk) {
    encode_status_reply(kRead, reply.status, out);
    return true;
  }
  if (reply.bytes.length < 1 || !valid_bytes(reply.bytes, kMaxReadBytes)) return false;
  out->label = kRead;
  out->word[0] = static_cast<uint64_t>(ProtocolStatus::kOk);
  pack_bytes(reply.bytes, 1, out);
  return true;
}

// The bytes of a kOk reply point into `message`.
inline ProtocolStatus decode(const WireMessage& message, ReadReply* out) {
  ProtocolStatus status = ProtocolStatus::kOk;
  ProtocolStatus shape = check_reply(message, kReadSpec, &status);
  if (shape != ProtocolStatus::kOk) return shape;
  ByteView bytes;
  if (status == ProtocolStatus::kOk) {
    if (message.word[1] == 0) return ProtocolStatus::kBadValue;
    ProtocolStatus unpacked = unpack_bytes(message, 1, kMaxReadBytes, &bytes);
    if (unpacked != ProtocolStatus::kOk) return unpacked;
  }
  out->status = status;
  out->bytes = bytes;
  return ProtocolStatus::kOk;
}

}  // namespace bm::ipc::serial
