// Keyboard protocol client: one read_event call, encoded and decoded with ipc/keyboard.h.
#include "user/keyboard_client.h"

#include "user/protocol_client.h"

namespace user {

Status read_key_event(Handle keyboard, bool blocking, bm::ipc::keyboard::KeyEvent* out) {
  namespace protocol = bm::ipc::keyboard;
  // On the stack, not static: reader threads call this concurrently. The request and reply
  // both fit in the four register words, so the IPC buffer is not involved.
  bm::ipc::WireMessage wire;
  protocol::ReadEventRequest request{blocking};
  if (!protocol::encode(request, &wire)) return Status::kInvalidArgument;
  Status status = call_protocol(keyboard, wire, &wire);
  if (status != Status::kOk) return status;
  protocol::ReadEventReply reply;
  if (protocol::decode(wire, &reply) != bm::ipc::ProtocolStatus::kOk) {
    return Status::kInvalidArgument;
  }
  if (reply.status == bm::ipc::ProtocolStatus::kWouldBlock) return Status::kWouldBlock;
  if (reply.status != bm::ipc::ProtocolStatus::kOk) return Status::kInvalidArgument;
  *out = reply.event;
  return Status::kOk;
}

}  // namespace user
