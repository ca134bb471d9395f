// The keyboard protocol on a KeySource: read_event, read_char (the next key press that types
// a character) and set_layout.
#include "servers/keyboard/keyboard_service.h"

namespace bm::keyboard {

namespace protocol = ipc::keyboard;
using ipc::ProtocolStatus;

void serve_keyboard_request(KeySource& source, const ipc::WireMessage& request,
                            ipc::WireMessage* reply) {
  switch (request.label) {
    case protocol::kReadEvent: {
      protocol::ReadEventRequest read;
      protocol::ReadEventReply answer;
      answer.status = protocol::decode(request, &read);
      if (answer.status == ProtocolStatus::kOk &&
          !source.next_event(read.blocking, &answer.event)) {
        answer.status = ProtocolStatus::kWouldBlock;
      }
      if (!protocol::encode(answer, reply)) {
        ipc::encode_status_reply(request.label, ProtocolStatus::kBadValue, reply);
      }
      return;
    }
    case protocol::kReadChar: {
      protocol::ReadCharRequest read;
      protocol::ReadCharReply answer;
      answer.status = protocol::decode(request, &read);
      protocol::KeyEvent event;
      while (answer.status == ProtocolStatus::kOk && answer.character == 0) {
        if (!source.next_event(read.blocking, &event))
          answer.status = ProtocolStatus::kWouldBlock;
        else if (event.pressed)
          answer.character = event.character;
      }
      if (!protocol::encode(answer, reply)) {
        ipc::encode_status_reply(request.label, ProtocolStatus::kBadValue, reply);
      }
      return;
    }
    case protocol::kSetLayout: {
      protocol::SetLayoutRequest set;
      ProtocolStatus status = protocol::decode(request, &set);
      if (status == ProtocolStatus::kOk) {
        const char* name = set.layout == protocol::Layout::kDe ? "de" : "us";
        const Layout* layout = find_layout(name);
        if (layout == nullptr)
          status = ProtocolStatus::kUnsupported;
        else
          source.request_layout(*layout);
      }
      ipc::encode_status_reply(request.label, status, reply);
      return;
    }
    default:
      ipc::encode_status_reply(request.label, ProtocolStatus::kUnknownLabel, reply);
  }
}

}  // namespace bm::keyboard
