// An endpoint: the rendezvous point of synchronous IPC. Threads that send
// (or call) queue in `senders` until a receiver comes, receivers queue in
// `receivers` until a sender comes; a message is copied at the moment both
// are there, never buffered in the kernel.
#pragma once

#include <stdint.h>

#include "kernel/obj/kernel_object.h"
#include "kernel/sched/thread.h"

namespace kernel {

// A blocked thread holds no reference to the endpoint it waits on: an
// endpoint that dies (its last handle closed) first wakes everyone queued
// on it with kPeerGone.
class Endpoint final : public KernelObject {
 public:
  static constexpr bm::abi::ObjectType kType = bm::abi::ObjectType::kEndpoint;

  static Endpoint* create() { return new Endpoint(); }

  WaitQueue senders;
  WaitQueue receivers;

  // Someone holds a handle that may receive: without one, sending is futile
  // and fails with kPeerGone.
  bool has_receiver_handle() const { return receive_handles_ > 0; }

  void on_handle_opened(uint32_t rights) override;
  void on_handle_closed(uint32_t rights, const Task* holder) override;

 private:
  Endpoint() : KernelObject(kType) {}
  void destroy() override;
  uint32_t receive_handles_ = 0;
};

}  // namespace kernel
