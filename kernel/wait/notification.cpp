// Notification signalling. Safe from interrupt handlers: it only touches
// scheduler queues, and the kernel runs with interrupts off.
#include "kernel/wait/notification.h"

#include "kernel/sched/scheduler.h"

namespace kernel {

Thread* Notification::deliver(uint64_t bits) {
  bits_ |= bits;
  if (bits_ == 0) return nullptr;
  Thread* waiter = waiters.pop_front();
  if (waiter == nullptr) return nullptr;
  waiter->waiting_in = nullptr;  // taken off here, the cheap way: it is the head
  // A kernel thread (a kernel test) has no frame: it takes the bits itself.
  if (waiter->syscall_frame != nullptr) waiter->syscall_frame->rdi = take();
  return waiter;
}

void Notification::signal(uint64_t bits) {
  if (Thread* waiter = deliver(bits)) wake(waiter, bm::abi::Status::kOk);
}

void Notification::destroy() {
  while (Thread* waiter = waiters.front()) {
    // No bits: a waiter the fast path blocked returns from here, not
    // through sys_notification_wait's own clearing.
    if (waiter->syscall_frame != nullptr) waiter->syscall_frame->rdi = 0;
    wake(waiter, bm::abi::Status::kPeerGone);
  }
  delete this;
}

}  // namespace kernel
