// The fake servers' request handling: the decode-act-encode loop body a real server has,
// over fake devices.
#include "test/host/protocols/fake_servers.h"

#include <gtest/gtest.h>

#include <optional>

namespace bm::ipc::testing {
namespace {

// Decodes a `Request`; if that fails, replies with the status alone. Otherwise `handle`
// acts on the device and returns the typed reply, which is encoded.
template <typename Request, typename Handler>
void answer(const WireMessage& request, WireMessage* reply, Handler handle) {
  Request decoded{};
  ProtocolStatus status = decode(request, &decoded);
  if (status != ProtocolStatus::kOk) {
    encode_status_reply(request.label, status, reply);
    return;
  }
  auto typed = handle(decoded);
  if (!encode(typed, reply)) {
    ADD_FAILURE() << "server built a reply its encoder refuses, label " << request.label;
    encode_status_reply(request.label, ProtocolStatus::kBadValue, reply);
  }
}

std::string string_of(const ByteView& bytes) {
  return std::string(reinterpret_cast<const char*>(bytes.data), bytes.length);
}

// The next event: a queued one, or for a blocking read the next to arrive.
std::optional<keyboard::KeyEvent> next_event(FakeKeyboard& keyboard, bool blocking) {
  std::deque<keyboard::KeyEvent>* source = &keyboard.queued;
  if (source->empty() && blocking) source = &keyboard.arriving;
  if (source->empty()) {
    // A real server would wait for the IRQ; here nothing more will come.
    if (blocking) ADD_FAILURE() << "blocking read with no key left to arrive";
    return std::nullopt;
  }
  keyboard::KeyEvent event = source->front();
  source->pop_front();
  return event;
}

// VGA colour order to ANSI's (black red green yellow blue magenta cyan white).
int ansi_colour(console::Colour colour) {
  constexpr int kVgaToAnsi[8] = {0, 4, 2, 6, 1, 5, 3, 7};
  auto index = static_cast<int>(colour);
  return index < 8 ? kVgaToAnsi[index] : 60 + kVgaToAnsi[index - 8];  // 9x/10x: bright
}

// The console protocol on a serial line: text with CR/LF, the rest as ANSI escapes.
void serve_console_on_serial(FakeUart& uart, const WireMessage& request, WireMessage* reply) {
  using namespace console;
  switch (request.label) {
    case kWrite:
      return answer<WriteRequest>(request, reply, [&](const WriteRequest& write) {
        for (char c : string_of(write.bytes)) {
          if (c == '\n') uart.transmitted += '\r';
          uart.transmitted += c;
        }
        return WriteReply{ProtocolStatus::kOk, write.bytes.length};
      });
    case kClear:
      return answer<ClearRequest>(request, reply, [&](const ClearRequest&) {
        uart.transmitted += "\x1b[2J\x1b[H";
        return ClearReply{};
      });
    case kSetColours:
      return answer<SetColoursRequest>(request, reply, [&](const SetColoursRequest& colours) {
        uart.transmitted += "\x1b[" + std::to_string(30 + ansi_colour(colours.foreground)) + ";" +
                            std::to_string(40 + ansi_colour(colours.background)) + "m";
        return SetColoursReply{};
      });
    case kMoveCursor:
      return answer<MoveCursorRequest>(request, reply, [&](const MoveCursorRequest& move) {
        uart.transmitted +=
            "\x1b[" + std::to_string(move.row + 1) + ";" + std::to_string(move.column + 1) + "H";
        return MoveCursorReply{};
      });
    case kQuerySize:
      return answer<QuerySizeRequest>(request, reply, [&](const QuerySizeRequest&) {
        // A server without a size (the real serial server assumes 80x25): this fake carries
        // the kUnsupported answer through the transport.
        return QuerySizeReply{ProtocolStatus::kUnsupported, 0, 0};
      });
    default:
      encode_status_reply(request.label, ProtocolStatus::kUnknownLabel, reply);
  }
}

}  // namespace

void serve_console(FakeScreen& screen, const WireMessage& request, WireMessage* reply) {
  using namespace console;
  switch (request.label) {
    case kWrite:
      return answer<WriteRequest>(request, reply, [&](const WriteRequest& write) {
        screen.text += string_of(write.bytes);
        return WriteReply{ProtocolStatus::kOk, write.bytes.length};
      });
    case kClear:
      return answer<ClearRequest>(request, reply, [&](const ClearRequest&) {
        screen.text.clear();
        screen.row = screen.column = 0;
        ++screen.clears;
        return ClearReply{};
      });
    case kSetColours:
      return answer<SetColoursRequest>(request, reply, [&](const SetColoursRequest& colours) {
        screen.foreground = colours.foreground;
        screen.background = colours.background;
        return SetColoursReply{};
      });
    case kMoveCursor:
      return answer<MoveCursorRequest>(request, reply, [&](const MoveCursorRequest& move) {
        if (move.row >= screen.rows || move.column >= screen.columns) {
          return MoveCursorReply{ProtocolStatus::kBadValue};
        }
        screen.row = move.row;
        screen.column = move.column;
        return MoveCursorReply{};
      });
    case kQuerySize:
      return answer<QuerySizeRequest>(request, reply, [&](const QuerySizeRequest&) {
        return QuerySizeReply{ProtocolStatus::kOk, screen.rows, screen.columns};
      });
    default:
      encode_status_reply(request.label, ProtocolStatus::kUnknownLabel, reply);
  }
}

void serve_keyboard(FakeKeyboard& keyboard, const WireMessage& request, WireMessage* reply) {
  using namespace ipc::keyboard;
  switch (request.label) {
    case kReadEvent:
      return answer<ReadEventRequest>(request, reply, [&](const ReadEventRequest& read) {
        std::optional<KeyEvent> event = next_event(keyboard, read.blocking);
        if (!event) return ReadEventReply{ProtocolStatus::kWouldBlock, {}};
        return ReadEventReply{ProtocolStatus::kOk, *event};
      });
    case kReadChar:
      return answer<ReadCharRequest>(request, reply, [&](const ReadCharRequest& read) {
        // Releases and keys without a character are consumed on the way.
        for (;;) {
          std::optional<KeyEvent> event = next_event(keyboard, read.blocking);
          if (!event) return ReadCharReply{ProtocolStatus::kWouldBlock, 0};
          if (event->pressed && event->character != 0) {
            return ReadCharReply{ProtocolStatus::kOk, event->character};
          }
        }
      });
    case kSetLayout:
      return answer<SetLayoutRequest>(request, reply, [&](const SetLayoutRequest& set) {
        if (keyboard.built_in.count(set.layout) == 0) {
          return SetLayoutReply{ProtocolStatus::kUnsupported};
        }
        keyboard.layout = set.layout;
        return SetLayoutReply{};
      });
    default:
      encode_status_reply(request.label, ProtocolStatus::kUnknownLabel, reply);
  }
}

void serve_serial(FakeUart& uart, const WireMessage& request, WireMessage* reply) {
  using namespace serial;
  // One endpoint, two protocols: the label range says which.
  if (request.label > kConsoleLabelBase && request.label <= kConsoleLabelBase + 0xff) {
    return serve_console_on_serial(uart, request, reply);
  }
  switch (request.label) {
    case kWrite:
      return answer<WriteRequest>(request, reply, [&](const WriteRequest& write) {
        uart.transmitted += string_of(write.bytes);
        return WriteReply{ProtocolStatus::kOk, write.bytes.length};
      });
    case kRead: {
      std::string taken;  // outlives the reply's encoding
      return answer<ReadRequest>(request, reply, [&](const ReadRequest& read) {
        if (uart.received.empty() && read.blocking) {
          if (uart.arriving.empty()) ADD_FAILURE() << "blocking read with no byte left to arrive";
          uart.received.swap(uart.arriving);
        }
        if (uart.received.empty()) return ReadReply{ProtocolStatus::kWouldBlock, {}};
        taken = uart.received.substr(0, read.max_bytes);
        uart.received.erase(0, taken.size());
        return ReadReply{
            ProtocolStatus::kOk,
            {reinterpret_cast<const uint8_t*>(taken.data()), static_cast<uint32_t>(taken.size())}};
      });
    }
    case kSetLine:
      return answer<SetLineRequest>(request, reply, [&](const SetLineRequest& set) {
        uart.line = set.line;
        return SetLineReply{};
      });
    default:
      encode_status_reply(request.label, ProtocolStatus::kUnknownLabel, reply);
  }
}

}  // namespace bm::ipc::testing
