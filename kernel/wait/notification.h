// A notification: a word of event bits. signal ORs bits in and never
// blocks; wait takes all pending bits, blocking while there are none. IRQs
// reach drivers this way.
#pragma once

#include <stdint.h>

#include "kernel/obj/kernel_object.h"
#include "kernel/sched/thread.h"

namespace kernel {

// Like an endpoint, a dying notification wakes its waiters (kPeerGone), so
// waiting holds no reference to it.
class Notification final : public KernelObject {
 public:
  static constexpr bm::abi::ObjectType kType = bm::abi::ObjectType::kNotification;
  static Notification* create() { return new Notification(); }

  // ORs `bits` in; the first waiter, if any, takes them all and runs.
  void signal(uint64_t bits);
  // signal's first half: ORs `bits` in and, when a thread waits, hands it
  // every pending bit (as its system call's result) and takes it off the
  // queue. Returns that thread, still blocked, for the caller to wake or
  // switch to; nullptr when nobody waited.
  Thread* deliver(uint64_t bits);
  // Takes (and clears) the pending bits.
  uint64_t take() {
    uint64_t pending = bits_;
    bits_ = 0;
    return pending;
  }
  uint64_t pending() const { return bits_; }

  WaitQueue waiters;

 private:
  Notification() : KernelObject(kType) {}
  void destroy() override;
  uint64_t bits_ = 0;
};

}  // namespace kernel
