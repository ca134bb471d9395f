// The keyboard protocol on a KeySource: read_event, read_char (the next key press that types
// a character) and set_layout.
#include "servers/keyboard/keyboard_service.h"

#include "ipc/dispatch.h"

namespace bm::keyboard {

namespace protocol = ipc::keyboard;
using ipc::ProtocolStatus;

void serve_keyboard_request(KeySource& source, const ipc::WireMessage& request,
                            ipc::WireMessage* reply) {
  ipc::dispatch(
      request, reply,
      [&](const protocol::ReadEventRequest& read) {
        protocol::ReadEventReply answer;
        if (!source.next_event(read.blocking, &answer.event)) {
          answer.status = ProtocolStatus::kWouldBlock;
        }
        return answer;
      },
      [&](const protocol::ReadCharRequest& read) {
        protocol::ReadCharReply answer;
        protocol::KeyEvent event;
        while (answer.status == ProtocolStatus::kOk && answer.character == 0) {
          if (!source.next_event(read.blocking, &event))
            answer.status = ProtocolStatus::kWouldBlock;
          else if (event.pressed)
            answer.character = event.character;
        }
        return answer;
      },
      [&](const protocol::SetLayoutRequest& set) {
        const Layout* layout = find_layout(set.layout == protocol::Layout::kDe ? "de" : "us");
        if (layout == nullptr) return ProtocolStatus::kUnsupported;
        source.request_layout(*layout);
        return ProtocolStatus::kOk;
      });
}

}  // namespace bm::keyboard
