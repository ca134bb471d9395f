// A reply object: a slot a server task owns for one call's pending answer. reply_take moves
// the call a thread received (Thread::reply_to) into it, so the thread can receive other calls
// meanwhile; reply_send answers it later, from any thread of the task, and leaves the object
// empty for the next call. Reusing one object per waiting client, rather than one per call,
// keeps allocation and handle-table work off the answer's path (seL4's MCS reply objects work
// the same way).
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
  // Write only: a reply handle can be used and closed, never duplicated or passed on (both
  // need kRightGrant), so only the server task that made it can answer through it.
  static constexpr uint32_t kRights = bm::abi::kRightWrite;

  static ReplyObject* create() { return new ReplyObject(); }

  // Holds a call, or held one whose caller died and nobody has been told yet.
  bool in_use() const { return caller_ != nullptr || caller_gone_; }
  // Moves `server`'s pending call here. The server must owe a reply (reply_to set) and the
  // object must not be in use.
  void take_from(Thread* server);
  // The waiting caller, or null (never taken, answered, or the caller died).
  Thread* caller() const { return caller_; }
  // The caller got its answer: unlink without waking it (the answer woke it).
  void answer_taken();
  // The caller is being killed: it no longer waits for anything. The next reply_send reports
  // it (kPeerGone) and empties the object.
  void forget_caller();
  // Reports and clears a death forget_caller recorded.
  bool take_caller_gone();

 private:
  ReplyObject() : KernelObject(kType) {}
  void destroy() override;

  Thread* caller_ = nullptr;
  bool caller_gone_ = false;
};

}  // namespace kernel
