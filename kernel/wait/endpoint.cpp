// Endpoint bookkeeping: when the last handle that can receive closes, every
// queued sender learns that its peer is gone.
#include "kernel/wait/endpoint.h"

#include "kernel/sched/scheduler.h"

namespace kernel {

void Endpoint::on_handle_opened(uint32_t rights) {
  if (rights & bm::abi::kRightRead) ++receive_handles_;
}

void Endpoint::on_handle_closed(uint32_t rights, const Task*) {
  if ((rights & bm::abi::kRightRead) == 0 || receive_handles_ == 0) return;
  if (--receive_handles_ > 0) return;
  while (Thread* sender = senders.front()) wake(sender, bm::abi::Status::kPeerGone);
}

void Endpoint::destroy() {
  while (Thread* sender = senders.front()) wake(sender, bm::abi::Status::kPeerGone);
  while (Thread* receiver = receivers.front()) wake(receiver, bm::abi::Status::kPeerGone);
  delete this;
}

}  // namespace kernel
