// Messages for ring-3 programs on top of the IPC system calls of user/syscalls.h.
#pragma once

#include <stdint.h>

#include "ipc/protocol.h"
#include "lib/abi/message.h"
#include "user/syscalls.h"

namespace user {

using bm::abi::Handle;

struct Message {
  uint32_t label = 0;
  uint32_t words = 0;               // total words, up to kMaxMessageWords
  uint64_t word[4] = {};            // words 0-3; the rest live in the IPC buffer
  bool has_handle = false;
  Handle handle = 0;                // handle to send / the handle received
  uint64_t badge = 0;               // received: the badge of the sender's handle
};

// This thread's IPC buffer (message words 4..511 and the handle slot), a
// page the kernel maps for each thread (system_info kIpcBuffer).
bm::abi::IpcBuffer* ipc_buffer();

// Word `index` of `message`: words 0-3 in the Message, the rest in this thread's IPC buffer
// (bm::ipc::message_word). Only for the message this thread received or is about to send.
uint64_t message_word(const Message& message, uint32_t index);
void set_message_word(Message* message, uint32_t index, uint64_t value);

// Message <-> bm::ipc::WireMessage (words 4 and up through this thread's IPC buffer, the
// handle along with them): how a protocol's codecs meet the system calls. load_message
// refuses a message longer than a WireMessage holds.
bool load_message(const Message& message, bm::ipc::WireMessage* out);
void store_message(const bm::ipc::WireMessage& message, Message* out);

// The one-register tag of `message` (lib/abi/message.h).
inline uint64_t encode(const Message& message, bool non_blocking = false) {
  return bm::abi::encode_tag({message.label, message.words, message.has_handle, non_blocking});
}

// The handle a message brought, from this thread's IPC buffer.
Handle received_handle();
// Puts the handle `message` sends (if any) where the kernel takes it from.
void attach_handle(const Message& message);

// A message the kernel delivered. Its tag is read field by field without
// checks: the kernel refused any malformed tag when it was sent.
inline void decode(const ReceivedRegisters& registers, Message* out) {
  out->label = static_cast<uint32_t>(registers.tag);
  out->words =
      static_cast<uint32_t>((registers.tag & bm::abi::kTagWordsMask) >> bm::abi::kTagWordsShift);
  out->has_handle = (registers.tag & bm::abi::kTagHandleBit) != 0;
  out->badge = registers.badge;
  for (int i = 0; i < 4; ++i) out->word[i] = registers.word[i];
  out->handle = out->has_handle ? received_handle() : 0;
}

// The calls below are inline: on a server's and a client's hot path they
// are a few register moves around the system call.

// call: send `request`, wait for the reply into `reply`.
inline Status call(Handle endpoint, const Message& request, Message* reply) {
  if (request.has_handle) attach_handle(request);
  auto result = ipc_call(endpoint, encode(request), request.word);
  if (result.ok() && reply != nullptr) {
    decode(*result, reply);
    reply->badge = 0;  // replies carry no badge
  }
  return result.error();
}
Status send(Handle endpoint, const Message& message, bool non_blocking = false);
// timeout: ticks, or bm::abi::kWaitForever / kDontWait.
Status receive(Handle endpoint, Message* message, uint64_t timeout = bm::abi::kWaitForever);

inline Status reply_receive(Handle endpoint, const Message& reply, Message* next) {
  if (reply.has_handle) attach_handle(reply);
  auto result = ipc_reply_recv(endpoint, encode(reply), reply.word);
  if (result.ok()) decode(*result, next);
  return result.error();
}

// The rest of answer_and_receive, once the reply failed with `status`.
Status answer_after_failed_reply(Handle endpoint, const Message& reply, Status status,
                                 Message* next);

// What a server loop wants: reply, then wait for the next message. If the
// reply cannot be delivered (its handle cannot move, say), the caller still
// gets an answer, a one-word reply holding the failure status, so it never
// waits forever; then the next message is received. `reply` and `next` may
// be the same Message: the reply is in registers before `next` is written.
inline Status answer_and_receive(Handle endpoint, const Message& reply, Message* next) {
  Status status = reply_receive(endpoint, reply, next);
  if (status == Status::kOk) return status;
  return answer_after_failed_reply(endpoint, reply, status, next);
}

// The same promise for a call kept with user::reply_take: answers it through the reply object
// `reply_handle`, and a reply that cannot be delivered becomes the one-word failure status.
// kOk, or kPeerGone when the caller is gone: the object is empty again, ready for the next
// call. Any other status: not even the failure could go, so the object was closed (the
// caller hears kPeerGone) and the handle is no more.
Status answer_deferred(Handle reply_handle, const Message& reply);

}  // namespace user
