// IPC system calls: argument checks, then kernel/ipc does the work.
//   ipc_call(endpoint, tag, w0, w1, w2, w3)  -> reply in rsi (tag), rdx r10 r8 r9 (words)
//   ipc_send(endpoint, tag, w0, w1, w2, w3)
//   ipc_recv(endpoint, timeout)              -> rdi badge, rsi tag, rdx r10 r8 r9 words
//   ipc_reply_recv(endpoint, tag, w0..w3)    -> like ipc_recv
#include "kernel/ipc/ipc.h"
#include "kernel/task/handles.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/message_registers.h"
#include "kernel/syscall/syscall_table.h"

namespace kernel {

using bm::abi::Status;

namespace {

// Longest receive timeout, in ticks (about 49 days at 1000 Hz).
constexpr uint64_t kMaxTimeout = 1ull << 32;

Status send_or_call(arch::InterruptFrame& frame, bool is_call) {
  uint64_t badge = 0;
  auto endpoint = lookup_object<Endpoint>(current_thread()->task,
                                          handle_argument(frame.rdi),
                                          bm::abi::kRightWrite, &badge);
  if (!endpoint) return to_status(endpoint.error());
  bool non_blocking = false;
  Status loaded = load_message(frame, false, &non_blocking);
  if (loaded != Status::kOk) return loaded;
  return ipc_send(*endpoint, badge, is_call, non_blocking);
}

bm::Result<Endpoint*> receive_endpoint(const arch::InterruptFrame& frame) {
  return lookup_object<Endpoint>(current_thread()->task, handle_argument(frame.rdi),
                                 bm::abi::kRightRead);
}

}  // namespace

// The fast path (ipc/fast_path.cpp) has declined these two when they get
// here; this is the general path, the reference for what they do.
Status sys_ipc_call(arch::InterruptFrame& frame) { return send_or_call(frame, true); }
Status sys_ipc_send(arch::InterruptFrame& frame) { return send_or_call(frame, false); }

Status sys_ipc_recv(arch::InterruptFrame& frame) {
  auto endpoint = receive_endpoint(frame);
  if (!endpoint) return to_status(endpoint.error());
  uint64_t timeout = frame.rsi;
  if (timeout == bm::abi::kDontWait) return ipc_receive(*endpoint, kNoTimeout, true);
  if (timeout > kMaxTimeout) return Status::kInvalidArgument;
  uint64_t deadline = timeout == bm::abi::kWaitForever ? kNoTimeout : scheduler_ticks() + timeout;
  return ipc_receive(*endpoint, deadline, false);
}

Status sys_ipc_reply_recv(arch::InterruptFrame& frame) {
  // Every check comes before the reply, so a failing call changes nothing.
  auto endpoint = receive_endpoint(frame);
  if (!endpoint) return to_status(endpoint.error());
  if (current_thread()->reply_to == nullptr) return Status::kNoCaller;
  bool non_blocking = false;
  Status loaded = load_message(frame, true, &non_blocking);
  if (loaded != Status::kOk) return loaded;
  return ipc_reply_receive(*endpoint);
}

}  // namespace kernel
