// The keyboard protocol on a KeySource: read_event, read_char (the next key press that types
// a character) and set_layout, with blocking reads left waiting for the next key.
#include "servers/keyboard/keyboard_service.h"

#include "ipc/dispatch.h"

namespace bm::keyboard {

namespace protocol = ipc::keyboard;
using ipc::ProtocolStatus;

namespace {

bool types_character(const protocol::KeyEvent& event) {
  return event.pressed && event.character != 0;
}

}  // namespace

Outcome serve_keyboard_request(KeySource& source, const ipc::WireMessage& request,
                               ipc::WireMessage* reply, WaitingRead* wait) {
  bool must_wait = false;
  ipc::dispatch(
      request, reply,
      [&](const protocol::ReadEventRequest& read) {
        protocol::ReadEventReply answer;
        if (!source.next_event(&answer.event)) {
          answer.status = ProtocolStatus::kWouldBlock;
          must_wait = read.blocking;
          *wait = WaitingRead{false};
        }
        return answer;
      },
      [&](const protocol::ReadCharRequest& read) {
        protocol::ReadCharReply answer;
        protocol::KeyEvent event;
        for (;;) {
          if (!source.next_event(&event)) {
            answer.status = ProtocolStatus::kWouldBlock;
            must_wait = read.blocking;
            *wait = WaitingRead{true};
            break;
          }
          if (types_character(event)) {
            answer.character = event.character;
            break;
          }
        }
        return answer;
      },
      [&](const protocol::SetLayoutRequest& set) {
        const Layout* layout = find_layout(set.layout == protocol::Layout::kDe ? "de" : "us");
        if (layout == nullptr) return ProtocolStatus::kUnsupported;
        source.request_layout(*layout);
        return ProtocolStatus::kOk;
      });
  return must_wait ? Outcome::kWait : Outcome::kAnswered;
}

bool answer_waiting_read(const WaitingRead& read, const protocol::KeyEvent& event,
                         ipc::WireMessage* reply) {
  if (!read.wants_character) return protocol::encode(protocol::ReadEventReply{{}, event}, reply);
  if (!types_character(event)) return false;
  protocol::ReadCharReply answer;
  answer.character = event.character;
  return protocol::encode(answer, reply);
}

}  // namespace bm::keyboard
