// The IPC rendezvous. A message moves straight from the sender's registers
// (and IPC buffer, for words beyond the fourth) into the receiver's saved
// registers and IPC buffer; the kernel never buffers it.
#include "kernel/ipc/ipc.h"

#include "kernel/mm/physical_memory.h"
#include "kernel/obj/abi_values.h"
#include "kernel/task/handles.h"
#include "kernel/task/task.h"
#include "kernel/sched/scheduler.h"

namespace kernel {
namespace {

using bm::abi::IpcBuffer;
using bm::abi::MessageTag;
using bm::abi::Status;

// Copies the sender's message to the receiver: the handle first (the only
// step that can fail after the buffers are found), then the words. On
// failure nothing has changed on either side.
Status deliver(Thread* sender, Thread* receiver, uint64_t badge) {
  MessageTag tag;
  (void)bm::abi::decode_tag(sender->message.tag, &tag);  // checked when it was sent
  IpcBuffer* from = nullptr;
  IpcBuffer* to = nullptr;
  if (tag.words > bm::abi::kRegisterWords || tag.carries_handle) {
    from = ipc_buffer_of(sender);
    to = ipc_buffer_of(receiver);
    if (from == nullptr || to == nullptr) return Status::kBadAddress;
  }
  if (tag.carries_handle) {
    auto moved = transfer_handle(sender->task, handle_argument(from->handle), receiver->task);
    if (!moved) return to_status(moved.error());
    to->handle = *moved;
  }
  if (tag.words > bm::abi::kRegisterWords) {
    __builtin_memcpy(to->words, from->words,
                     (tag.words - bm::abi::kRegisterWords) * sizeof(uint64_t));
  }
  arch::InterruptFrame* frame = receiver->syscall_frame;
  if (frame != nullptr) {
    frame->rdi = badge;
    frame->rsi = sender->message.tag;
    frame->rdx = sender->message.words[0];
    frame->r10 = sender->message.words[1];
    frame->r8 = sender->message.words[2];
    frame->r9 = sender->message.words[3];
  }
  return Status::kOk;
}

// The receiver took a call: the caller now waits for the reply.
void pair_call(Thread* caller, Thread* server) {
  server->reply_to = caller;
  caller->serving_us = server;
}

// A message the fast paths can move without the general machinery: words
// only in registers, no handle, no options, a protocol (not kernel) label.
bool is_register_message(uint64_t tag) {
  constexpr uint64_t kSimpleBits = 0xffffffffull | bm::abi::kTagWordsMask;
  return (tag & ~kSimpleBits) == 0 &&
         (tag >> bm::abi::kTagWordsShift) <= bm::abi::kRegisterWords &&
         static_cast<uint32_t>(tag) < bm::abi::kKernelLabelBase;
}

// Copies a register message from a caller's frame straight into a waiting
// thread's frame.
void copy_registers(const arch::InterruptFrame& from, arch::InterruptFrame* to, uint64_t badge) {
  to->rdi = badge;
  to->rsi = from.rsi;
  to->rdx = from.rdx;
  to->r10 = from.r10;
  to->r8 = from.r8;
  to->r9 = from.r9;
}

}  // namespace

IpcBuffer* ipc_buffer_of(Thread* thread) {
  if (thread->task == nullptr) return nullptr;
  auto translation = thread->task->address_space.table().translate(thread->ipc_buffer);
  if (!translation || (translation->flags & bm::kPageUser) == 0) return nullptr;
  return static_cast<IpcBuffer*>(physical_to_virtual(translation->physical));
}

bool ipc_call_fast_path(arch::InterruptFrame& frame, Status* result) {
  if (!is_register_message(frame.rsi)) return false;
  Thread* self = current_thread();
  auto entry = self->task->handles.lookup(handle_argument(frame.rdi),
                                          bm::abi::ObjectType::kEndpoint, bm::abi::kRightWrite);
  if (!entry) return false;  // the general path reports the error
  auto* endpoint = static_cast<Endpoint*>(entry->object);
  Thread* server = endpoint->receivers.front();
  if (server == nullptr || !endpoint->has_receiver_handle()) return false;
  copy_registers(frame, server->syscall_frame, entry->badge);
  pair_call(self, server);
  *result = hand_off(server, Status::kOk, BlockReason::kIpcReply);
  return true;
}

Status ipc_send(Endpoint* endpoint, uint64_t badge, bool is_call, bool non_blocking) {
  Thread* self = current_thread();
  if (!endpoint->has_receiver_handle()) return Status::kPeerGone;
  self->message_badge = badge;
  self->message_is_call = is_call;

  if (Thread* receiver = endpoint->receivers.front()) {
    Status delivered = deliver(self, receiver, badge);
    if (delivered != Status::kOk) return delivered;  // the receiver keeps waiting
    if (!is_call) {
      wake(receiver, Status::kOk);
      return Status::kOk;
    }
    pair_call(self, receiver);
    // Fast path: the server runs now, on our time, until it replies.
    return hand_off(receiver, Status::kOk, BlockReason::kIpcReply);
  }
  if (non_blocking) return Status::kWouldBlock;
  return block_current(BlockReason::kIpcSend, &endpoint->senders, kNoTimeout);
}

Status ipc_receive(Endpoint* endpoint, uint64_t deadline, bool dont_wait) {
  Thread* self = current_thread();
  if (self->reply_to != nullptr) return Status::kBusy;  // answer the last caller first
  while (Thread* sender = endpoint->senders.front()) {
    Status delivered = deliver(sender, self, sender->message_badge);
    if (delivered != Status::kOk) {
      wake(sender, delivered);  // its message cannot be delivered: it hears why
      continue;
    }
    if (sender->message_is_call) {
      endpoint->senders.remove(sender);
      sender->waiting_in = nullptr;
      sender->block_reason = BlockReason::kIpcReply;
      pair_call(sender, self);
    } else {
      wake(sender, Status::kOk);
    }
    return Status::kOk;
  }
  if (dont_wait) return Status::kWouldBlock;
  return block_current(BlockReason::kIpcReceive, &endpoint->receivers, deadline);
}

Status ipc_reply() {
  Thread* self = current_thread();
  Thread* caller = self->reply_to;
  if (caller == nullptr) return Status::kNoCaller;
  if (caller->in_fault) {
    MessageTag tag;
    (void)bm::abi::decode_tag(self->message.tag, &tag);
    self->reply_to = nullptr;
    caller->serving_us = nullptr;
    if (tag.label == bm::abi::kFaultReplyResume) {
      wake(caller, Status::kOk);
    } else {
      caller->task->exit(-1);  // the supervisor chose to end the faulting task
    }
    return Status::kOk;
  }
  Status delivered = deliver(self, caller, 0);
  if (delivered != Status::kOk) return delivered;
  self->reply_to = nullptr;
  caller->serving_us = nullptr;
  wake(caller, Status::kOk);
  return Status::kOk;
}

Status ipc_reply_to(Thread* caller) {
  Status delivered = deliver(current_thread(), caller, 0);
  if (delivered != Status::kOk) return delivered;
  wake(caller, Status::kOk);
  return Status::kOk;
}

Status ipc_reply_receive(Endpoint* endpoint) {
  Thread* self = current_thread();
  Thread* caller = self->reply_to;
  if (caller == nullptr) return Status::kNoCaller;
  if (caller->in_fault || !endpoint->senders.empty()) {
    Status replied = ipc_reply();
    if (replied != Status::kOk) return replied;
    return ipc_receive(endpoint, kNoTimeout, false);
  }
  if (is_register_message(self->message.tag)) {
    // Nothing can fail: the reply goes straight into the caller's registers.
    copy_registers(*self->syscall_frame, caller->syscall_frame, 0);
    caller->syscall_frame->rsi = self->message.tag;
  } else {
    Status delivered = deliver(self, caller, 0);
    if (delivered != Status::kOk) return delivered;
  }
  self->reply_to = nullptr;
  caller->serving_us = nullptr;
  // Fast path: wait for the next message and give the CPU straight back to
  // the caller.
  endpoint->receivers.push_back(self);
  self->waiting_in = &endpoint->receivers;
  Status status = hand_off(caller, Status::kOk, BlockReason::kIpcReceive);
  return status;
}

bool ipc_reply_receive_fast_path(arch::InterruptFrame& frame, Status* result) {
  if (!is_register_message(frame.rsi)) return false;
  Thread* self = current_thread();
  Thread* caller = self->reply_to;
  if (caller == nullptr || caller->in_fault) return false;
  auto entry = self->task->handles.lookup(handle_argument(frame.rdi),
                                          bm::abi::ObjectType::kEndpoint, bm::abi::kRightRead);
  if (!entry) return false;
  auto* endpoint = static_cast<Endpoint*>(entry->object);
  if (!endpoint->senders.empty()) return false;  // a message waits: the general path takes it
  copy_registers(frame, caller->syscall_frame, 0);
  self->reply_to = nullptr;
  caller->serving_us = nullptr;
  endpoint->receivers.push_back(self);
  self->waiting_in = &endpoint->receivers;
  *result = hand_off(caller, Status::kOk, BlockReason::kIpcReceive);
  return true;
}

bool ipc_report_fault(uint64_t badge, Endpoint* supervisor, const uint64_t words[4]) {
  if (supervisor == nullptr || !supervisor->has_receiver_handle()) return false;
  Thread* self = current_thread();
  self->message.tag = bm::abi::encode_tag({bm::abi::kFaultLabel, 4, false, false});
  for (int i = 0; i < 4; ++i) self->message.words[i] = words[i];
  // Not in a system call: the reply must not land in the user's registers.
  arch::InterruptFrame* saved = self->syscall_frame;
  self->syscall_frame = nullptr;
  self->in_fault = true;
  Status status = ipc_send(supervisor, badge, true, false);
  self->in_fault = false;
  self->syscall_frame = saved;
  return status == Status::kOk;
}

}  // namespace kernel
