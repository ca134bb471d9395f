// Deferred replies: a server moves the call it received into a reply object, receives other
// calls, and answers this one later (kernel/wait/reply_object.h).
//   reply_take()                      -> rdi = reply handle (write only)
//   reply_send(reply, tag, w0..w3)    answers the call; consumes the handle on kOk or kPeerGone
#include "kernel/ipc/ipc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/message_registers.h"
#include "kernel/syscall/syscall_table.h"
#include "kernel/task/handles.h"
#include "kernel/wait/reply_object.h"

namespace kernel {

using bm::abi::Status;

Status sys_reply_take(arch::InterruptFrame& frame) {
  Thread* self = current_thread();
  Thread* caller = self->reply_to;
  if (caller == nullptr) return Status::kNoCaller;
  // A fault report keeps the faulting thread stopped until the supervisor decides; that
  // answer stays with ipc_reply_recv, which knows how to resume or kill.
  if (caller->in_fault) return Status::kInvalidArgument;
  ReplyObject* reply = ReplyObject::create();
  // Link the call only once the handle exists: if installing fails (kNoSlots, no memory)
  // the object is dropped and the call stays with this thread, unchanged.
  Status installed = install_new_object(frame, reply, ReplyObject::kRights);
  if (installed != Status::kOk) return installed;
  reply->take_from(self);
  return Status::kOk;
}

Status sys_reply_send(arch::InterruptFrame& frame) {
  Task* task = current_thread()->task;
  auto handle = handle_argument(frame.rdi);
  auto reply = lookup_object<ReplyObject>(task, handle, bm::abi::kRightWrite);
  if (!reply) return to_status(reply.error());
  bool non_blocking = false;
  Status loaded = load_message(frame, true, &non_blocking);
  if (loaded != Status::kOk) return loaded;
  Thread* caller = (*reply)->caller();
  if (caller != nullptr) {
    Status delivered = ipc_reply_to(caller);
    if (delivered != Status::kOk) return delivered;  // the caller still waits; try again
    (*reply)->answer_taken();
  }
  // One-shot: answered, or nobody left to answer; either way the handle is spent.
  (void)close_handle(task, handle);
  return caller != nullptr ? Status::kOk : Status::kPeerGone;
}

}  // namespace kernel
