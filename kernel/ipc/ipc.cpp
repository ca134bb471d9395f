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
  if (tag.words > bm::abi::kRegisterWords) copy_message_words(tag.words, from, to);
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

}  // namespace

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
  Status replied = ipc_reply_to(caller);
  if (replied != Status::kOk) return replied;
  self->reply_to = nullptr;
  caller->serving_us = nullptr;
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
  Status delivered = deliver(self, caller, 0);
  if (delivered != Status::kOk) return delivered;
  self->reply_to = nullptr;
  caller->serving_us = nullptr;
  // Fast path: wait for the next message and give the CPU straight back to
  // the caller.
  endpoint->receivers.push_back(self);
  self->waiting_in = &endpoint->receivers;
  Status status = hand_off(caller, Status::kOk, BlockReason::kIpcReceive);
  return status;
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
