// The console protocol (labels 0x101..): text output to a screen or terminal. The vga and
// serial servers both speak it, so a client writes to "console" without knowing which
// answers. docs/protocols.md describes every message.
#pragma once

#include <stdint.h>

#include "ipc/wire_codec.h"

namespace bm::ipc::console {

using ipc::decode;  // the codecs of ipc/wire_codec.h
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

BM_DEFINE_MESSAGES(BM_CONSOLE_MESSAGES, Label, kMessages)

// Requests a client may send again, unchanged, to a restarted server (docs/protocols.md,
// "Client recovery"). A write the old server had half drawn may then show twice: better
// than a line lost.
constexpr uint32_t kIdempotent[] = {kWrite, kClear, kSetColours, kMoveCursor, kQuerySize};

// write: output bytes as the terminal interprets them (newlines, escapes).
using WriteRequest = BytesWriteRequest<kWriteSpec, kMaxWriteBytes>;
using WriteReply = BytesWriteReply<kWriteSpec, kMaxWriteBytes>;

// clear: blank the screen with the background colour, cursor to the top left.
struct ClearRequest {
  using Wire = Request<kClearSpec>;
};
using ClearReply = StatusReply<kClearSpec>;

// set_colours: the colours of the text written from now on.
struct SetColoursRequest {
  Colour foreground = Colour::kLightGrey;
  Colour background = Colour::kBlack;
  using Wire = Request<kSetColoursSpec, Checked<&SetColoursRequest::foreground, is_colour>,
                       Checked<&SetColoursRequest::background, is_colour>>;
};
using SetColoursReply = StatusReply<kSetColoursSpec>;

// move_cursor: zero-based; kBadValue from the server if outside the screen.
struct MoveCursorRequest {
  uint32_t row = 0;
  uint32_t column = 0;
  using Wire = Request<kMoveCursorSpec, Bounded<&MoveCursorRequest::row, 0, kMaxCoordinate>,
                       Bounded<&MoveCursorRequest::column, 0, kMaxCoordinate>>;
};
using MoveCursorReply = StatusReply<kMoveCursorSpec>;

// query_size: kUnsupported from a server that cannot give a size (the serial server
// reports an assumed 80x25 instead).
struct QuerySizeRequest {
  using Wire = Request<kQuerySizeSpec>;
};
struct QuerySizeReply {
  ProtocolStatus status = ProtocolStatus::kOk;
  uint32_t rows = 0;  // 1..kMaxCoordinate in a kOk reply
  uint32_t columns = 0;
  using Wire = Reply<kQuerySizeSpec, Bounded<&QuerySizeReply::rows, 1, kMaxCoordinate>,
                     Bounded<&QuerySizeReply::columns, 1, kMaxCoordinate>>;
};

}  // namespace bm::ipc::console
