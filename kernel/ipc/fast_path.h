// The IPC fast path, in the style of seL4's: the two calls a client-server
// exchange is made of, ipc_call and ipc_reply_recv, when nothing about
// them is unusual, go from the caller's registers to the partner's user
// code without the general machinery. Unlike seL4's, it also carries long
// messages: copying the words is the same work on either path. syscall_entry.S calls these before
// the general dispatch; the general path (ipc.cpp) stays the reference and
// handles everything they decline.
//
// The kernel command line can turn the fast paths off (ipc_fast_path=off):
// then syscall_entry.S's table sends every call to the general path. What "nothing unusual" means, checked
// in this order (any miss: decline, having changed nothing):
//   - the message is plain: words only (up to 512; words 4 and up go from
//     IPC buffer to IPC buffer), no handle, no options, a protocol label
//     (not a kernel one);
//   - the handle is a live endpoint handle with the right the call needs;
//   - the partner waits: for a call, a server in the endpoint's receive
//     queue; for reply_recv, the caller this thread must answer, in a
//     normal call (not a fault report), and nobody queued to send;
//   - the partner may run at once: nothing of higher priority is ready,
//     and no reschedule or reaping is pending.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_frame.h"

namespace kernel {

// Whether the fast paths run (default on). kernel_main turns them off for
// the `ipc_fast_path=off` command-line word, so the ring-3 suite can run
// every IPC case on the general path too.
void set_ipc_fast_path_enabled(bool enabled);
bool ipc_fast_path_enabled();

// How many calls each fast path took and declined since boot (system_info).
struct FastPathCounts {
  uint64_t taken;
  uint64_t declined;
};
FastPathCounts ipc_fast_path_counts();

}  // namespace kernel

// yield to a ready thread of the same priority switches the same way,
// continuation and all; so does a notification_wait that blocks with no
// timeout, to the next ready thread. Same contract as the two below.
extern "C" uint64_t fast_yield(arch::InterruptFrame* frame);
extern "C" uint64_t fast_notification_wait(arch::InterruptFrame* frame);
// notification_signal: finishes the call (returning 1, the caller goes
// on), or switches to a waiter that outranks the caller.
extern "C" uint64_t fast_notification_signal(arch::InterruptFrame* frame);

// Called by syscall_entry.S with the caller's system-call frame. Each
// returns the partner's saved kernel stack pointer, having blocked the
// running thread and made the partner the running one (the assembly then
// switches stacks), or 0 to send the call down the general path.
extern "C" uint64_t ipc_fast_call(arch::InterruptFrame* frame);
extern "C" uint64_t ipc_fast_reply_receive(arch::InterruptFrame* frame);
