// serve_protocol: receive, decode into a WireMessage, handle, answer and receive again.
#include "user/protocol_server.h"

namespace user {

void serve_protocol(Handle endpoint, RequestHandler handler) {
  // Static: a WireMessage holds up to 512 words, too much for a server's small stack.
  static bm::ipc::WireMessage request;
  static bm::ipc::WireMessage reply;
  Message message;
  Status status = receive(endpoint, &message);
  for (;;) {
    if (status != Status::kOk) {
      status = receive(endpoint, &message);
      continue;
    }
    if (message.has_handle) raw_syscall(Syscall::handle_close, message.handle);
    if (!bm::ipc::load_wire(message.label, message.words, message.word, *ipc_buffer(),
                            &request)) {
      bm::ipc::encode_status_reply(message.label, bm::ipc::ProtocolStatus::kTooLong, &reply);
    } else {
      handler(request, message.badge, &reply);
    }
    Message answer;
    answer.label = reply.label;
    answer.words = reply.words;
    bm::ipc::store_wire(reply, answer.word, ipc_buffer());
    status = answer_and_receive(endpoint, answer, &message);
  }
}

}  // namespace user
