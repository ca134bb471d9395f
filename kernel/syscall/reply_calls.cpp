// Deferred replies: a server moves the call it received into a reply object, receives other
// calls, and answers this one later (kernel/wait/reply_object.h).
//   reply_create()                   -> rdi = reply handle (write only)
//   reply_take(reply)                moves the running thread's pending call into `reply`
//   reply_send(reply, tag, w0..w3)   answers the call `reply` holds; `reply` is empty again
#include "kernel/ipc/ipc.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/message_registers.h"
#include "kernel/syscall/syscall_table.h"
#include "kernel/task/handles.h"
#include "kernel/wait/reply_object.h"

namespace kernel {

using bm::abi::Status;

namespace {

bm::Result<ReplyObject*> reply_argument(const arch::InterruptFrame& frame) {
  return lookup_object<ReplyObject>(current_thread()->task, handle_argument(frame.rdi),
                                    bm::abi::kRightWrite);
}

}  // namespace

Status sys_reply_create(arch::InterruptFrame& frame) {
  return install_new_object(frame, ReplyObject::create(), ReplyObject::kRights);
}

Status sys_reply_take(arch::InterruptFrame& frame) {
  auto reply = reply_argument(frame);
  if (!reply) return to_status(reply.error());
  if ((*reply)->in_use()) return Status::kBusy;  // answer (or report) the call it holds first
  Thread* self = current_thread();
  Thread* caller = self->reply_to;
  if (caller == nullptr) return Status::kNoCaller;
  // A fault report keeps the faulting thread stopped until the supervisor decides; that
  // answer stays with ipc_reply_recv, which knows how to resume or kill.
  if (caller->in_fault) return Status::kInvalidArgument;
  (*reply)->take_from(self);
  return Status::kOk;
}

Status sys_reply_send(arch::InterruptFrame& frame) {
  auto reply = reply_argument(frame);
  if (!reply) return to_status(reply.error());
  bool non_blocking = false;
  Status loaded = load_message(frame, true, &non_blocking);
  if (loaded != Status::kOk) return loaded;
  Thread* caller = (*reply)->caller();
  if (caller == nullptr) {
    return (*reply)->take_caller_gone() ? Status::kPeerGone : Status::kNoCaller;
  }
  Status delivered = ipc_reply_to(caller);
  if (delivered != Status::kOk) return delivered;  // the caller still waits; try again
  (*reply)->answer_taken();
  return Status::kOk;
}

}  // namespace kernel
