// Reply objects: the link between a kept call and the reply handle that will answer it.
#include "kernel/wait/reply_object.h"

#include "kernel/sched/scheduler.h"

namespace kernel {

void ReplyObject::take_from(Thread* server) {
  Thread* caller = server->reply_to;
  server->reply_to = nullptr;
  caller->serving_us = nullptr;
  caller->deferred_reply = this;
  caller_ = caller;
}

void ReplyObject::answer_taken() {
  if (caller_ == nullptr) return;
  caller_->deferred_reply = nullptr;
  caller_ = nullptr;
}

void ReplyObject::forget_caller() {
  answer_taken();
  caller_gone_ = true;
}

bool ReplyObject::take_caller_gone() {
  bool gone = caller_gone_;
  caller_gone_ = false;
  return gone;
}

void ReplyObject::destroy() {
  // Nobody can answer any more: the caller must not wait for ever.
  if (Thread* caller = caller_) {
    answer_taken();
    wake(caller, bm::abi::Status::kPeerGone);
  }
  delete this;
}

}  // namespace kernel
