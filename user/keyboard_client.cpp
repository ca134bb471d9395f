// Keyboard protocol client: one read_event call, encoded and decoded with ipc/keyboard.h.
#include "user/keyboard_client.h"

#include "user/protocol_client.h"

namespace user {

ProtocolStatus read_key_event(bm::ipc::ServiceConnection* keyboard, bool blocking,
                              bm::ipc::keyboard::KeyEvent* out) {
  namespace protocol = bm::ipc::keyboard;
  // On the stack, not static: reader threads call this concurrently. Two messages, because
  // a read that met a restarted server is sent again.
  bm::ipc::WireMessage request;
  bm::ipc::WireMessage wire;
  if (!protocol::encode(protocol::ReadEventRequest{blocking}, &request)) {
    return ProtocolStatus::kBadValue;
  }
  for (;;) {
    ProtocolStatus status = call_service(keyboard, request, &wire);
    if (status != ProtocolStatus::kOk) return status;
    protocol::ReadEventReply reply;
    if (protocol::decode(wire, &reply) != ProtocolStatus::kOk) return ProtocolStatus::kBadValue;
    // A blocking read the server could not keep (docs/protocols.md): ask again.
    if (reply.status == ProtocolStatus::kWouldBlock && blocking) continue;
    if (reply.status != ProtocolStatus::kOk) return reply.status;
    *out = reply.event;
    return ProtocolStatus::kOk;
  }
}

}  // namespace user
