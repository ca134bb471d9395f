// serve_protocol: receive, decode into a WireMessage, handle, answer and receive again.
#include "user/protocol_server.h"

#include "ipc/heartbeat.h"

namespace user {

void serve_protocol(Handle endpoint, RequestHandler handler) {
  // On this thread's stack (8 KiB of the 64 KiB every thread gets), so several service
  // threads of one server can each run this loop.
  bm::ipc::WireMessage request;
  bm::ipc::WireMessage reply;
  Message message;
  Status status = receive(endpoint, &message);
  for (;;) {
    if (status != Status::kOk) {
      status = receive(endpoint, &message);
      continue;
    }
    if (message.has_handle) (void)handle_close(message.handle);
    message.has_handle = false;
    if (!load_message(message, &request)) {
      bm::ipc::encode_status_reply(message.label, bm::ipc::ProtocolStatus::kTooLong, &reply);
    } else if (request.label == bm::ipc::heartbeat::kHeartbeat) {
      // init asks whether this loop still turns: it does, since it got here.
      bm::ipc::heartbeat::HeartbeatRequest heartbeat;
      bm::ipc::encode_status_reply(request.label, bm::ipc::heartbeat::decode(request, &heartbeat),
                                   &reply);
    } else {
      handler(request, message.badge, &reply);
    }
    reply.has_handle = false;  // these protocols carry none
    Message answer;
    store_message(reply, &answer);
    status = answer_and_receive(endpoint, answer, &message);
  }
}

}  // namespace user
