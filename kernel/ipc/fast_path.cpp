// The IPC fast path (see fast_path.h for when it applies). The general
// path's steps for the same calls are in ipc.cpp (ipc_send, then
// ipc_reply_receive): these do the same things in the same order, with
// every condition that would make them differ checked first.
#include "kernel/ipc/fast_path.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/obj/abi_values.h"
#include "kernel/sched/scheduler.h"
#include "kernel/task/handles.h"
#include "kernel/task/task.h"
#include "kernel/wait/endpoint.h"
#include "kernel/wait/notification.h"
#include "lib/abi/message.h"

namespace kernel {
namespace {

using bm::abi::Status;

// syscall_entry.S leaves a blocked thread's continuation (six registers and
// a return address) just below its frame.
constexpr uint64_t kContinuationBytes = 7 * sizeof(uint64_t);

// What a fast path returns when it has finished the call itself and the
// caller goes on (syscall_entry.S's FAST_PATH_DONE); 0 declines.
constexpr uint64_t kFastPathDone = 1;

FastPathCounts counts;

uint64_t decline() {
  ++counts.declined;
  return 0;
}

// Words 4 and up of a long message, from IPC buffer to IPC buffer. False,
// having copied nothing, when either thread has no buffer (a kernel
// thread).
bool copy_buffer_words(uint64_t words, const Thread* from, const Thread* to) {
  if (from->ipc_buffer_page == nullptr || to->ipc_buffer_page == nullptr) return false;
  arch::copy_quadwords(to->ipc_buffer_page->words, from->ipc_buffer_page->words,
                       words - bm::abi::kRegisterWords);
  return true;
}

// The words of a long message have reached the partner's buffer (or the
// message has none beyond the registers).
bool long_words_delivered(uint64_t tag, const Thread* from, const Thread* to) {
  uint64_t words = (tag & bm::abi::kTagWordsMask) >> bm::abi::kTagWordsShift;
  return words <= bm::abi::kRegisterWords || copy_buffer_words(words, from, to);
}

// The partner's system call returns kOk with the message: the badge in
// rdi, the tag in rsi, the words in rdx, r10, r8, r9 (the same registers
// the sender filled).
void deliver_registers(const arch::InterruptFrame& from, arch::InterruptFrame* to,
                       uint64_t badge) {
  to->rax = static_cast<uint64_t>(Status::kOk);
  to->rdi = badge;
  to->rsi = from.rsi;
  to->rdx = from.rdx;
  to->r10 = from.r10;
  to->r8 = from.r8;
  to->r9 = from.r9;
}

// Blocks the running thread in its system call at `frame` and makes
// `partner` the running thread; returns the partner's stack for the
// assembly to switch to.
uint64_t switch_to_partner(arch::InterruptFrame* frame, Thread* partner, BlockReason reason) {
  hand_off_directly(partner, reason, reinterpret_cast<uint64_t>(frame) - kContinuationBytes);
  ++counts.taken;
  return partner->saved_rsp;
}

}  // namespace

}  // namespace kernel

// syscall_entry.S jumps through this table: a call number's fast path, or
// the general path. Turning the fast paths off points every entry at the
// general path.
extern "C" {
void syscall_general_path();  // labels in syscall_entry.S
void syscall_call_fast_path();
void syscall_reply_receive_fast_path();
void syscall_yield_fast_path();
void syscall_notification_wait_fast_path();
void syscall_notification_signal_fast_path();
}

namespace {

using EntryPoint = void (*)();
struct EntryPoints {
  EntryPoint entry[bm::abi::kSyscallCount];
};

constexpr EntryPoints entry_points(bool fast_paths_on) {
  EntryPoints table{};
  for (EntryPoint& entry : table.entry) entry = &syscall_general_path;
  if (fast_paths_on) {
    using bm::abi::Syscall;
    table.entry[static_cast<uint64_t>(Syscall::ipc_call)] = &syscall_call_fast_path;
    table.entry[static_cast<uint64_t>(Syscall::ipc_reply_recv)] = &syscall_reply_receive_fast_path;
    table.entry[static_cast<uint64_t>(Syscall::yield)] = &syscall_yield_fast_path;
    table.entry[static_cast<uint64_t>(Syscall::notification_wait)] =
        &syscall_notification_wait_fast_path;
    table.entry[static_cast<uint64_t>(Syscall::notification_signal)] =
        &syscall_notification_signal_fast_path;
  }
  return table;
}

}  // namespace

// Read only by the assembly: `used` keeps link-time optimisation from
// dropping them.
extern "C" {
[[gnu::used]] EntryPoints syscall_entry_points = entry_points(true);
[[gnu::used]] extern const uint64_t syscall_entry_point_count = bm::abi::kSyscallCount;
}

namespace kernel {

void set_ipc_fast_path_enabled(bool on) { syscall_entry_points = entry_points(on); }
bool ipc_fast_path_enabled() {
  return syscall_entry_points.entry[static_cast<uint64_t>(bm::abi::Syscall::ipc_call)] !=
         &syscall_general_path;
}
FastPathCounts ipc_fast_path_counts() { return counts; }

}  // namespace kernel

// yield with a thread of the same priority ready: the same switch as the
// IPC fast path's, without the message.
extern "C" uint64_t fast_yield(arch::InterruptFrame* frame) {
  uint64_t next_stack =
      kernel::yield_directly(reinterpret_cast<uint64_t>(frame) - kernel::kContinuationBytes);
  if (next_stack != 0) frame->rax = static_cast<uint64_t>(kernel::Status::kOk);
  return next_stack;
}

// notification_wait that must block (nothing pending) with no timeout: the
// thread waits on the notification and the next ready thread runs, as
// block_current would arrange, but switched to like the IPC fast path's
// partner. The signal that wakes it stores the bits and the status in its
// frame (Notification::signal), so when it runs again it has nothing left
// to do in the kernel.
extern "C" uint64_t fast_notification_wait(arch::InterruptFrame* frame) {
  if (frame->rsi != bm::abi::kWaitForever) return 0;
  kernel::Thread* self = kernel::current_thread();
  auto entry = self->task->handles.lookup(kernel::handle_argument(frame->rdi),
                                          bm::abi::ObjectType::kNotification,
                                          bm::abi::kRightRead);
  if (!entry) return 0;  // the general path reports the error
  auto* notification = static_cast<kernel::Notification*>(entry->object);
  if (notification->pending() != 0) return 0;  // no wait: the general path takes the bits
  return kernel::block_directly(kernel::BlockReason::kNotification, &notification->waiters,
                                reinterpret_cast<uint64_t>(frame) - kernel::kContinuationBytes);
}

using kernel::Endpoint;
using kernel::Thread;

extern "C" uint64_t ipc_fast_call(arch::InterruptFrame* frame) {
  if (!bm::abi::is_plain_message(frame->rsi)) return kernel::decline();
  Thread* self = kernel::current_thread();
  auto entry = self->task->handles.lookup(kernel::handle_argument(frame->rdi),
                                          bm::abi::ObjectType::kEndpoint, bm::abi::kRightWrite);
  if (!entry) return kernel::decline();  // the general path reports the error
  auto* endpoint = static_cast<Endpoint*>(entry->object);
  // A receiver is a ring-3 thread in ipc_recv or ipc_reply_recv: its
  // syscall_frame is where the message goes.
  Thread* server = endpoint->receivers.front();
  if (server == nullptr || !endpoint->has_receiver_handle() ||
      !kernel::can_hand_off_directly(*server) ||
      !kernel::long_words_delivered(frame->rsi, self, server)) {
    return kernel::decline();
  }
  endpoint->receivers.pop_front();  // the server, at the front: cheaper than remove()
  server->waiting_in = nullptr;
  kernel::deliver_registers(*frame, server->syscall_frame, entry->badge);
  server->reply_to = self;  // the server now owes this thread a reply
  self->serving_us = server;
  return kernel::switch_to_partner(frame, server, kernel::BlockReason::kIpcReply);
}

extern "C" uint64_t ipc_fast_reply_receive(arch::InterruptFrame* frame) {
  if (!bm::abi::is_plain_message(frame->rsi)) return kernel::decline();
  Thread* self = kernel::current_thread();
  Thread* caller = self->reply_to;
  // A caller not reporting a fault is in ipc_call: its syscall_frame is set.
  if (caller == nullptr || caller->in_fault) return kernel::decline();
  auto entry = self->task->handles.lookup(kernel::handle_argument(frame->rdi),
                                          bm::abi::ObjectType::kEndpoint, bm::abi::kRightRead);
  if (!entry) return kernel::decline();
  auto* endpoint = static_cast<Endpoint*>(entry->object);
  // A queued sender is the next message: the general path takes it.
  if (!endpoint->senders.empty() || !kernel::can_hand_off_directly(*caller) ||
      !kernel::long_words_delivered(frame->rsi, self, caller)) {
    return kernel::decline();
  }
  kernel::deliver_registers(*frame, caller->syscall_frame, 0);  // replies carry no badge
  self->reply_to = nullptr;
  caller->serving_us = nullptr;
  endpoint->receivers.push_back(self);
  self->waiting_in = &endpoint->receivers;
  return kernel::switch_to_partner(frame, caller, kernel::BlockReason::kIpcReceive);
}

// notification_signal, all of it: sys_notification_signal's work without
// the general dispatch. A waiter that outranks the caller runs at once,
// the caller going back to the front of its run queue level, as a
// preemption would put it.
extern "C" uint64_t fast_notification_signal(arch::InterruptFrame* frame) {
  if (frame->rsi == 0) return 0;  // the general path refuses it
  kernel::Thread* self = kernel::current_thread();
  auto entry = self->task->handles.lookup(kernel::handle_argument(frame->rdi),
                                          bm::abi::ObjectType::kNotification,
                                          bm::abi::kRightWrite);
  if (!entry) return 0;
  frame->rax = static_cast<uint64_t>(kernel::Status::kOk);
  kernel::Thread* waiter = static_cast<kernel::Notification*>(entry->object)->deliver(frame->rsi);
  if (waiter == nullptr) return kernel::kFastPathDone;
  if (waiter->priority > self->priority) {
    uint64_t waiter_stack = kernel::switch_to_woken(
        waiter, reinterpret_cast<uint64_t>(frame) - kernel::kContinuationBytes);
    if (waiter_stack != 0) return waiter_stack;
  }
  kernel::wake_taken(waiter);
  kernel::preempt_if_needed();
  return kernel::kFastPathDone;
}
