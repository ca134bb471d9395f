// The console protocol on a Terminal: write, clear, set_colours, move_cursor, query_size.
#include "servers/terminal/console_service.h"

#include "ipc/dispatch.h"

namespace bm::terminal {

namespace console = ipc::console;
using ipc::ProtocolStatus;

bool serve_console_request(Terminal& terminal, const ipc::WireMessage& request,
                           ipc::WireMessage* reply) {
  bool drew_text = false;
  ipc::dispatch(
      request, reply,
      [&](const console::WriteRequest& write) {
        terminal.write(reinterpret_cast<const char*>(write.bytes.data), write.bytes.length);
        drew_text = write.bytes.length != 0;
        return console::WriteReply{ProtocolStatus::kOk, write.bytes.length};
      },
      [&](const console::ClearRequest&) {
        terminal.clear();
        return ProtocolStatus::kOk;
      },
      [&](const console::SetColoursRequest& colours) {
        bool set = terminal
                       .set_colours(static_cast<uint8_t>(colours.foreground),
                                    static_cast<uint8_t>(colours.background))
                       .ok();
        return set ? ProtocolStatus::kOk : ProtocolStatus::kBadValue;
      },
      [&](const console::MoveCursorRequest& move) {
        bool moved =
            terminal.move_cursor(static_cast<int>(move.row), static_cast<int>(move.column)).ok();
        return moved ? ProtocolStatus::kOk : ProtocolStatus::kBadValue;
      },
      [&](const console::QuerySizeRequest&) {
        return console::QuerySizeReply{ProtocolStatus::kOk,
                                       static_cast<uint32_t>(terminal.height()),
                                       static_cast<uint32_t>(terminal.width())};
      });
  return drew_text;
}

}  // namespace bm::terminal
