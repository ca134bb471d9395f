// Breaking a thread's call links when it ends.
#include "kernel/wait/reply_link.h"

#include "kernel/sched/scheduler.h"
#include "kernel/wait/reply_object.h"

namespace kernel {

void ipc_abandon(Thread* thread) {
  if (Thread* caller = thread->reply_to) {
    thread->reply_to = nullptr;
    caller->serving_us = nullptr;
    wake(caller, bm::abi::Status::kPeerGone);
  }
  if (Thread* server = thread->serving_us) {
    server->reply_to = nullptr;
    thread->serving_us = nullptr;
  }
  // A deferred call: the reply handle stays with the server and answers kPeerGone.
  if (ReplyObject* reply = thread->deferred_reply) reply->forget_caller();
}

}  // namespace kernel
