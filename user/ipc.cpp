// Message encoding for the user-side IPC wrappers.
#include "user/ipc.h"

namespace user {

bm::abi::IpcBuffer* ipc_buffer() {
  return reinterpret_cast<bm::abi::IpcBuffer*>(system_info(bm::abi::SystemInfo::kIpcBuffer));
}

uint64_t message_word(const Message& message, uint32_t index) {
  return bm::ipc::message_word(message.word, *ipc_buffer(), index);
}

void set_message_word(Message* message, uint32_t index, uint64_t value) {
  bm::ipc::set_message_word(message->word, ipc_buffer(), index, value);
}

bool load_message(const Message& message, bm::ipc::WireMessage* out) {
  if (!bm::ipc::load_wire(message.label, message.words, message.word, *ipc_buffer(), out)) {
    return false;
  }
  out->has_handle = message.has_handle;
  out->handle = message.has_handle ? message.handle : 0;
  return true;
}

void store_message(const bm::ipc::WireMessage& message, Message* out) {
  *out = Message{};
  out->label = message.label;
  out->words = message.words;
  bm::ipc::store_wire(message, out->word, ipc_buffer());
  out->has_handle = message.has_handle;
  out->handle = message.has_handle ? message.handle : 0;
}

uint64_t encode(const Message& message, bool non_blocking) {
  return bm::abi::encode_tag({message.label, message.words, message.has_handle, non_blocking});
}

void decode(const SyscallResult& result, Message* out) {
  bm::abi::MessageTag tag;
  if (!bm::abi::decode_tag(result.rsi, &tag)) tag = {};
  out->label = tag.label;
  out->words = tag.words;
  out->has_handle = tag.carries_handle;
  out->badge = result.rdi;
  out->word[0] = result.rdx;
  out->word[1] = result.r10;
  out->word[2] = result.r8;
  out->word[3] = result.r9;
  out->handle = tag.carries_handle ? static_cast<Handle>(ipc_buffer()->handle) : 0;
}

namespace {
void attach_handle(const Message& message) {
  if (message.has_handle) ipc_buffer()->handle = message.handle;
}
}  // namespace

Status call(Handle endpoint, const Message& request, Message* reply) {
  attach_handle(request);
  SyscallResult result = raw_syscall(Syscall::ipc_call, endpoint, encode(request), request.word[0],
                                     request.word[1], request.word[2], request.word[3]);
  if (result.status == Status::kOk && reply != nullptr) {
    decode(result, reply);
    reply->badge = 0;  // replies carry no badge
  }
  return result.status;
}

Status send(Handle endpoint, const Message& message, bool non_blocking) {
  attach_handle(message);
  return raw_syscall(Syscall::ipc_send, endpoint, encode(message, non_blocking), message.word[0],
                     message.word[1], message.word[2], message.word[3])
      .status;
}

Status receive(Handle endpoint, Message* message, uint64_t timeout) {
  SyscallResult result = raw_syscall(Syscall::ipc_recv, endpoint, timeout);
  if (result.status == Status::kOk) decode(result, message);
  return result.status;
}

Status reply_receive(Handle endpoint, const Message& reply, Message* next) {
  attach_handle(reply);
  SyscallResult result = raw_syscall(Syscall::ipc_reply_recv, endpoint, encode(reply),
                                     reply.word[0], reply.word[1], reply.word[2], reply.word[3]);
  if (result.status == Status::kOk) decode(result, next);
  return result.status;
}

Status answer_and_receive(Handle endpoint, const Message& reply, Message* next) {
  Status status = reply_receive(endpoint, reply, next);
  if (status == Status::kOk) return status;
  if (status != Status::kNoCaller) {
    Message failure;
    failure.label = reply.label;
    failure.words = 1;
    failure.word[0] = static_cast<uint64_t>(status);
    status = reply_receive(endpoint, failure, next);
    if (status == Status::kOk) return status;
  }
  // Nobody (left) to answer: just wait for the next message.
  return receive(endpoint, next);
}

}  // namespace user
