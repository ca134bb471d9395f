// Keyboard protocol client: one read_event call, encoded and decoded with ipc/keyboard.h.
#include "user/keyboard_client.h"

#include "user/protocol_client.h"

namespace user {

Status read_key_event(bm::ipc::ServiceConnection* keyboard, bool blocking,
                      bm::ipc::keyboard::KeyEvent* out) {
  namespace protocol = bm::ipc::keyboard;
  // On the stack, not static: reader threads call this concurrently. Two messages, because
  // a read that met a restarted server is sent again.
  bm::ipc::WireMessage request;
  bm::ipc::WireMessage wire;
  if (!protocol::encode(protocol::ReadEventRequest{blocking}, &request)) {
    return Status::kInvalidArgument;
  }
  for (;;) {
    Status status = call_service(keyboard, request, &wire);
    if (status != Status::kOk) return status;
    protocol::ReadEventReply reply;
    if (protocol::decode(wire, &reply) != bm::ipc::ProtocolStatus::kOk) {
      return Status::kInvalidArgument;
    }
    // A blocking read that waited its bounded time (docs/protocols.md): ask again.
    if (reply.status == bm::ipc::ProtocolStatus::kWouldBlock && blocking) continue;
    if (reply.status == bm::ipc::ProtocolStatus::kWouldBlock) return Status::kWouldBlock;
    if (reply.status != bm::ipc::ProtocolStatus::kOk) return Status::kInvalidArgument;
    *out = reply.event;
    return Status::kOk;
  }
}

}  // namespace user
