// A reply object: a call's pending answer, taken out of the server thread that received the
// call (Thread::reply_to) into a handle its task owns, so the server can receive other calls
// meanwhile and answer this one later, from any of its threads, exactly once.
#pragma once

#include "kernel/obj/kernel_object.h"
#include "kernel/sched/thread.h"

namespace kernel {

// Invariant: caller_ and caller_->deferred_reply point at each other, or both are null. The
// link ends in one of three ways: the reply is sent (answer_taken), the caller dies
// (forget_caller, from ipc_abandon), or the last handle closes (destroy: the caller hears
// kPeerGone, as when a server dies in the middle of a call).
class ReplyObject final : public KernelObject {
 public:
  static constexpr bm::abi::ObjectType kType = bm::abi::ObjectType::kReply;
  // Write only: a reply handle can be used (once) and closed, never duplicated or passed on
  // (both need kRightGrant), so the server that took it is the only one that can answer.
  static constexpr uint32_t kRights = bm::abi::kRightWrite;

  static ReplyObject* create() { return new ReplyObject(); }

  // Moves `server`'s pending call here. The server must owe a reply (reply_to set).
  void take_from(Thread* server);
  // The waiting caller, or null once it was answered or has died.
  Thread* caller() const { return caller_; }
  // The caller got its answer: unlink without waking it (the answer woke it).
  void answer_taken();
  // The caller is being killed: it no longer waits for anything.
  void forget_caller();

 private:
  ReplyObject() : KernelObject(kType) {}
  void destroy() override;

  Thread* caller_ = nullptr;
};

}  // namespace kernel
