// The console protocol on a Terminal: write, clear, set_colours, move_cursor, query_size.
#include "servers/terminal/console_service.h"

namespace bm::terminal {

namespace console = ipc::console;
using ipc::ProtocolStatus;

bool serve_console_request(Terminal& terminal, const ipc::WireMessage& request,
                           ipc::WireMessage* reply) {
  switch (request.label) {
    case console::kWrite: {
      console::WriteRequest write;
      ProtocolStatus status = console::decode(request, &write);
      console::WriteReply answer{status, 0};
      if (status == ProtocolStatus::kOk) {
        terminal.write(reinterpret_cast<const char*>(write.bytes.data), write.bytes.length);
        answer.written = write.bytes.length;
      }
      if (status != ProtocolStatus::kOk || !console::encode(answer, reply)) {
        ipc::encode_status_reply(request.label, status, reply);
      }
      return status == ProtocolStatus::kOk && write.bytes.length != 0;
    }
    case console::kClear: {
      console::ClearRequest clear;
      ProtocolStatus status = console::decode(request, &clear);
      if (status == ProtocolStatus::kOk) terminal.clear();
      ipc::encode_status_reply(request.label, status, reply);
      return false;
    }
    case console::kSetColours: {
      console::SetColoursRequest colours;
      ProtocolStatus status = console::decode(request, &colours);
      if (status == ProtocolStatus::kOk &&
          !terminal.set_colours(static_cast<uint8_t>(colours.foreground),
                                static_cast<uint8_t>(colours.background))) {
        status = ProtocolStatus::kBadValue;
      }
      ipc::encode_status_reply(request.label, status, reply);
      return false;
    }
    case console::kMoveCursor: {
      console::MoveCursorRequest move;
      ProtocolStatus status = console::decode(request, &move);
      if (status == ProtocolStatus::kOk &&
          !terminal.move_cursor(static_cast<int>(move.row), static_cast<int>(move.column))) {
        status = ProtocolStatus::kBadValue;
      }
      ipc::encode_status_reply(request.label, status, reply);
      return false;
    }
    case console::kQuerySize: {
      console::QuerySizeRequest size;
      ProtocolStatus status = console::decode(request, &size);
      console::QuerySizeReply answer{status, static_cast<uint32_t>(terminal.height()),
                                   static_cast<uint32_t>(terminal.width())};
      if (status != ProtocolStatus::kOk || !console::encode(answer, reply)) {
        ipc::encode_status_reply(request.label, status, reply);
      }
      return false;
    }
    default:
      ipc::encode_status_reply(request.label, ProtocolStatus::kUnknownLabel, reply);
      return false;
  }
}

}  // namespace bm::terminal
