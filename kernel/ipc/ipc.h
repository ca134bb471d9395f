// Synchronous IPC between threads: call, send, receive and reply. The
// system calls in syscall/ipc_calls.cpp check handles and arguments; these
// functions do the rendezvous and the copy.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/interrupt_frame.h"
#include "kernel/wait/endpoint.h"
#include "kernel/sched/thread.h"
#include "lib/abi/message.h"
#include "lib/abi/syscalls.h"

namespace kernel {

// The thread's IPC buffer page, through the kernel's direct map, or null for
// a kernel thread, which has none (Thread::ipc_buffer_page).
inline bm::abi::IpcBuffer* ipc_buffer_of(Thread* thread) { return thread->ipc_buffer_page; }

// Words 4 and up of a `words`-word message, from one IPC buffer to another,
// with one `rep movsq`, as the fast path copies them (fast_path.cpp calls
// arch::copy_quadwords itself: through this helper it measured 2 instructions
// more per round trip).
inline void copy_message_words(uint32_t words, const bm::abi::IpcBuffer* from,
                               bm::abi::IpcBuffer* to) {
  arch::copy_quadwords(to->words, from->words, words - bm::abi::kRegisterWords);
}

// Sends the running thread's message (already in self->message) on
// `endpoint` with `badge`. A call waits for the reply, which arrives in the
// thread's registers. Returns the final status.
bm::abi::Status ipc_send(Endpoint* endpoint, uint64_t badge, bool is_call, bool non_blocking);

// Receives on `endpoint` into the running thread's registers; `deadline` is
// a tick, kNoTimeout, or kDontWait (fail with kWouldBlock if nobody sends).
bm::abi::Status ipc_receive(Endpoint* endpoint, uint64_t deadline, bool dont_wait);

// Replies with the running thread's message to the caller it received last.
bm::abi::Status ipc_reply();

// Replies with the running thread's message to `caller`, a call that a reply
// object held (kernel/wait/reply_object.h), and wakes it. On failure (the
// message's handle cannot move, its IPC buffer is gone) nothing changed and
// the caller still waits.
bm::abi::Status ipc_reply_to(Thread* caller);

// Reply, then receive on `endpoint` (blocking), as one step: when nobody
// else is queued the CPU goes straight back to the caller.
bm::abi::Status ipc_reply_receive(Endpoint* endpoint);

// Reports a fault of the running thread to its task's supervisor as a call
// with kFaultLabel; returns false when there is no supervisor to tell.
// Returns when the supervisor resumes the thread.
bool ipc_report_fault(uint64_t badge, Endpoint* supervisor, const uint64_t words[4]);

}  // namespace kernel
