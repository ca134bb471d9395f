// call_protocol: WireMessage -> Message, call, Message -> WireMessage.
#include "user/protocol_client.h"

namespace user {

Status call_protocol(Handle server, const bm::ipc::WireMessage& request,
                     bm::ipc::WireMessage* reply) {
  Message message;
  message.label = request.label;
  message.words = request.words;
  bm::ipc::store_wire(request, message.word, ipc_buffer());
  Message answer;
  Status status = call(server, message, &answer);
  if (status != Status::kOk) return status;
  if (!bm::ipc::load_wire(answer.label, answer.words, answer.word, *ipc_buffer(), reply)) {
    return Status::kInvalidArgument;
  }
  return Status::kOk;
}

}  // namespace user
