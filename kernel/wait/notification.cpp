// Notification signalling. Safe from interrupt handlers: it only touches
// scheduler queues, and the kernel runs with interrupts off.
#include "kernel/wait/notification.h"

#include "kernel/sched/scheduler.h"

namespace kernel {

void Notification::signal(uint64_t bits) {
  bits_ |= bits;
  if (bits_ == 0) return;
  if (Thread* waiter = waiters.pop_front()) {
    waiter->waiting_in = nullptr;  // taken off here, the cheap way: it is the head
    if (waiter->syscall_frame != nullptr) waiter->syscall_frame->rdi = take();
    wake(waiter, bm::abi::Status::kOk);
  }
}

void Notification::destroy() {
  while (Thread* waiter = waiters.front()) wake(waiter, bm::abi::Status::kPeerGone);
  delete this;
}

}  // namespace kernel
