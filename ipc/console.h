// The console protocol (labels 0x101..): text output to a screen or terminal. The vga and
// serial servers both speak it, so a client writes to "console" without knowing which
// answers. docs/protocols.md describes every message.
#pragma once

#include <stdint.h>

#include "ipc/protocol.h"

namespace bm::ipc::console {

using ipc::decode;  // the shared status-only replies
using ipc::encode;

constexpr uint32_t kMaxWriteBytes = 4000;
constexpr uint32_t kMaxWriteWords = 1 + (kMaxWriteBytes + 7) / 8;  // length word + bytes
static_assert(kMaxWriteWords <= abi::kMaxMessageWords);
// Rows and columns on the wire; a server refuses a position outside its screen.
constexpr uint64_t kMaxCoordinate = 0xffff;

// The 16 text colours, numbered as the VGA/CGA palette (a serial server maps them to ANSI).
enum class Colour : uint64_t {
  kBlack = 0,
  kBlue = 1,
  kGreen = 2,
  kCyan = 3,
  kRed = 4,
  kMagenta = 5,
  kBrown = 6,
  kLightGrey = 7,
  kDarkGrey = 8,
  kLightBlue = 9,
  kLightGreen = 10,
  kLightCyan = 11,
  kLightRed = 12,
  kLightMagenta = 13,
  kYellow = 14,
  kWhite = 15,
};
constexpr bool is_colour(uint64_t value) { return value <= 15; }

// X(Name, label, "name", request words min, max, kOk reply words min, max)
#define BM_CONSOLE_MESSAGES(X)                      \
  X(Write, 0x101, "write", 1, kMaxWriteWords, 2, 2) \
  X(Clear, 0x102, "clear", 0, 0, 1, 1)              \
  X(SetColours, 0x103, "set_colours", 2, 2, 1, 1)   \
  X(MoveCursor, 0x104, "move_cursor", 2, 2, 1, 1)   \
  X(QuerySize, 0x105, "query_size", 0, 0, 3, 3)

enum Label : uint32_t {
#define BM_CONSOLE_LABEL(name, label, text, a, b, c, d) k##name = label,
  BM_CONSOLE_MESSAGES(BM_CONSOLE_LABEL)
#undef BM_CONSOLE_LABEL
};

#define BM_CONSOLE_SPEC(name, label, text, a, b, c, d) \
  constexpr MessageSpec k##name##Spec{label, text, a, b, c, d};
BM_CONSOLE_MESSAGES(BM_CONSOLE_SPEC)
#undef BM_CONSOLE_SPEC

constexpr MessageSpec kMessages[] = {
#define BM_CONSOLE_SPEC_ENTRY(name, label, text, a, b, c, d) k##name##Spec,
    BM_CONSOLE_MESSAGES(BM_CONSOLE_SPEC_ENTRY)
#undef BM_CONSOLE_SPEC_ENTRY
};

// Requests a client may send again, unchanged, to a restarted server (docs/protocols.md,
// "Client recovery"). A write the old server had half drawn may then show twice: better
// than a line lost.
constexpr uint32_t kIdempotent[] = {kWrite, kClear, kSetColours, kMoveCursor, kQuerySize};

// write: output bytes as the terminal interprets them (newlines, escapes).
using WriteRequest = BytesWriteRequest<kWriteSpec, kMaxWriteBytes>;
using WriteReply = BytesWriteReply<kWriteSpec, kMaxWriteBytes>;

// clear: blank the screen with the background colour, cursor to the top left.
struct ClearRequest {};
using ClearReply = StatusReply<kClear>;

// set_colours: the colours of the text written from now on.
struct SetColoursRequest {
  Colour foreground = Colour::kLightGrey;
  Colour background = Colour::kBlack;
};
using SetColoursReply = StatusReply<kSetColours>;

// move_cursor: zero-based; kBadValue from the server if outside the screen.
struct MoveCursorRequest {
  uint32_t row = 0;
  uint32_t column = 0;
};
using MoveCursorReply = StatusReply<kMoveCursor>;

// query_size: kUnsupported from a server that cannot give a size (the serial server
// reports an assumed 80x25 instead).
struct QuerySizeRequest {};
struct QuerySizeReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  uint32_t rows = 0;  // 1..kMaxCoordinate in a kOk reply
  uint32_t columns = 0;
};

// --- requests -------------------------------------------------------------------------

constexpr bool encode(const ClearRequest&, WireMessage* out) {
  out->label = kClear;
  out->words = 0;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, ClearRequest*) {
  return check_request(message, kClearSpec);
}

constexpr bool encode(const SetColoursRequest& request, WireMessage* out) {
  auto foreground = static_cast<uint64_t>(request.foreground);
  auto background = static_cast<uint64_t>(request.background);
  if (!is_colour(foreground) || !is_colour(background)) return false;
  out->label = kSetColours;
  out->words = 2;
  out->word[0] = foreground;
  out->word[1] = background;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, SetColoursRequest* out) {
  ProtocolStatus shape = check_request(message, kSetColoursSpec);
  if (shape != ProtocolStatus::kOk) return shape;
  if (!is_colour(message.word[0]) || !is_colour(message.word[1])) return ProtocolStatus::kBadValue;
  out->foreground = static_cast<Colour>(message.word[0]);
  out->background = static_cast<Colour>(message.word[1]);
  return ProtocolStatus::kOk;
}

constexpr bool encode(const MoveCursorRequest& request, WireMessage* out) {
  if (request.row > kMaxCoordinate || request.column > kMaxCoordinate) return false;
  out->label = kMoveCursor;
  out->words = 2;
  out->word[0] = request.row;
  out->word[1] = request.column;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, MoveCursorRequest* out) {
  ProtocolStatus shape = check_request(message, kMoveCursorSpec);
  if (shape != ProtocolStatus::kOk) return shape;
  if (message.word[0] > kMaxCoordinate || message.word[1] > kMaxCoordinate) {
    return ProtocolStatus::kBadValue;
  }
  out->row = static_cast<uint32_t>(message.word[0]);
  out->column = static_cast<uint32_t>(message.word[1]);
  return ProtocolStatus::kOk;
}

constexpr bool encode(const QuerySizeRequest&, WireMessage* out) {
  out->label = kQuerySize;
  out->words = 0;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, QuerySizeRequest*) {
  return check_request(message, kQuerySizeSpec);
}

// --- replies (other than kOk: the status word alone) -----------------------------------

constexpr bool valid_size(uint64_t value) { return value >= 1 && value <= kMaxCoordinate; }

constexpr bool encode(const QuerySizeReply& reply, WireMessage* out) {
  if (!is_protocol_status(static_cast<uint64_t>(reply.status))) return false;
  if (reply.status != ProtocolStatus::kOk) {
    encode_status_reply(kQuerySize, reply.status, out);
    return true;
  }
  if (!valid_size(reply.rows) || !valid_size(reply.columns)) return false;
  out->label = kQuerySize;
  out->words = 3;
  out->word[0] = static_cast<uint64_t>(ProtocolStatus::kOk);
  out->word[1] = reply.rows;
  out->word[2] = reply.columns;
  return true;
}

constexpr ProtocolStatus decode(const WireMessage& message, QuerySizeReply* out) {
  ProtocolStatus status = ProtocolStatus::kOk;
  ProtocolStatus shape = check_reply(message, kQuerySizeSpec, &status);
  if (shape != ProtocolStatus::kOk) return shape;
  QuerySizeReply reply;
  reply.status = status;
  if (status == ProtocolStatus::kOk) {
    if (!valid_size(message.word[1]) || !valid_size(message.word[2])) {
      return ProtocolStatus::kBadValue;
    }
    reply.rows = static_cast<uint32_t>(message.word[1]);
    reply.columns = static_cast<uint32_t>(message.word[2]);
  }
  *out = reply;
  return ProtocolStatus::kOk;
}

}  // namespace bm::ipc::console
