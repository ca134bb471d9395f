// Message encoding for the user-side IPC wrappers.
#include "user/ipc.h"

namespace user {

bm::abi::IpcBuffer* ipc_buffer() {
  return reinterpret_cast<bm::abi::IpcBuffer*>(system_value(bm::abi::SystemInfo::kIpcBuffer));
}

namespace {

// This thread's IPC buffer if a message of `words` words reaches into it, else null: asking
// where the buffer is costs a system call, which a message in registers alone never needs.
bm::abi::IpcBuffer* buffer_for(uint32_t words) {
  return words > bm::abi::kRegisterWords ? ipc_buffer() : nullptr;
}

}  // namespace

uint64_t message_word(const Message& message, uint32_t index) {
  return bm::ipc::message_word(message.word, buffer_for(index + 1), index);
}

void set_message_word(Message* message, uint32_t index, uint64_t value) {
  bm::ipc::set_message_word(message->word, buffer_for(index + 1), index, value);
}

bool load_message(const Message& message, bm::ipc::WireMessage* out) {
  if (!bm::ipc::load_wire(message.label, message.words, message.word, buffer_for(message.words),
                          out)) {
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
  bm::ipc::store_wire(message, out->word, buffer_for(message.words));
  out->has_handle = message.has_handle;
  out->handle = message.has_handle ? message.handle : 0;
}

Handle received_handle() { return static_cast<Handle>(ipc_buffer()->handle); }

void attach_handle(const Message& message) {
  if (message.has_handle) ipc_buffer()->handle = message.handle;
}

Status send(Handle endpoint, const Message& message, bool non_blocking) {
  attach_handle(message);
  return ipc_send(endpoint, encode(message, non_blocking), message.word).error();
}

Status receive(Handle endpoint, Message* message, uint64_t timeout) {
  auto result = ipc_recv(endpoint, timeout);
  if (result.ok()) decode(*result, message);
  return result.error();
}

namespace {
// What a caller gets instead of a reply that could not be delivered: the reply's label and
// one word, the kernel status that stopped it.
Message failure_reply(const Message& reply, Status status) {
  Message failure;
  failure.label = reply.label;
  failure.words = 1;
  failure.word[0] = static_cast<uint64_t>(status);
  return failure;
}
}  // namespace

Status answer_after_failed_reply(Handle endpoint, const Message& reply, Status status,
                                 Message* next) {
  if (status != Status::kNoCaller) {
    status = reply_receive(endpoint, failure_reply(reply, status), next);
    if (status == Status::kOk) return status;
  }
  // Nobody (left) to answer: just wait for the next message.
  return receive(endpoint, next);
}

Status answer_deferred(Handle reply_handle, const Message& reply) {
  attach_handle(reply);
  Status status = reply_send(reply_handle, encode(reply), reply.word).error();
  if (status == Status::kOk || status == Status::kPeerGone) return status;
  Message failure = failure_reply(reply, status);
  Status retried = reply_send(reply_handle, encode(failure), failure.word).error();
  if (retried == Status::kOk || retried == Status::kPeerGone) return retried;
  (void)handle_close(reply_handle);  // nothing can reach the caller: it hears kPeerGone
  return status;
}

}  // namespace user
