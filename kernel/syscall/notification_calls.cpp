// Notification system calls.
//   notification_create()                -> rdi = handle (read, write, grant)
//   notification_signal(handle, bits)    needs write; never blocks
//   notification_wait(handle, timeout)   needs read  -> rdi = bits (blocks while none;
//                                        kDontWait: kWouldBlock instead)
//   notification_poll(handle)            needs read  -> rdi = bits (0 if none)
#include "kernel/wait/notification.h"
#include "kernel/task/handles.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall_table.h"

namespace kernel {

using bm::abi::Status;

namespace {
constexpr uint64_t kMaxTimeout = 1ull << 32;

bm::Result<Notification*> notification(const arch::InterruptFrame& frame, uint32_t rights) {
  return lookup_object<Notification>(current_thread()->task,
                                     handle_argument(frame.rdi), rights);
}
}  // namespace

Status sys_notification_create(arch::InterruptFrame& frame) {
  return install_new_object(frame, Notification::create(),
                            bm::abi::kRightRead | bm::abi::kRightWrite | bm::abi::kRightGrant);
}

Status sys_notification_signal(arch::InterruptFrame& frame) {
  auto target = notification(frame, bm::abi::kRightWrite);
  if (!target) return to_status(target.error());
  if (frame.rsi == 0) return Status::kInvalidArgument;
  (*target)->signal(frame.rsi);
  return Status::kOk;
}

Status sys_notification_wait(arch::InterruptFrame& frame) {
  auto source = notification(frame, bm::abi::kRightRead);
  if (!source) return to_status(source.error());
  uint64_t timeout = frame.rsi;
  if (timeout != bm::abi::kDontWait && timeout > kMaxTimeout) return Status::kInvalidArgument;
  if ((*source)->pending() != 0) {
    frame.rdi = (*source)->take();
    return Status::kOk;
  }
  if (timeout == bm::abi::kDontWait) {
    frame.rdi = 0;
    return Status::kWouldBlock;
  }
  // If the notification dies meanwhile, it wakes us with kPeerGone.
  uint64_t deadline = timeout == bm::abi::kWaitForever ? kNoTimeout : scheduler_ticks() + timeout;
  Status status = block_current(BlockReason::kNotification, &(*source)->waiters, deadline);
  if (status != Status::kOk) frame.rdi = 0;
  return status;
}

Status sys_notification_poll(arch::InterruptFrame& frame) {
  auto source = notification(frame, bm::abi::kRightRead);
  if (!source) return to_status(source.error());
  frame.rdi = (*source)->take();
  return Status::kOk;
}

}  // namespace kernel
