// The scheduler: fixed priorities (higher number runs first), round robin
// inside a priority, PIT-driven time slices, sleeping and blocking with
// timeouts. One CPU; the kernel itself is not preemptible (system calls run
// with interrupts off), so every reschedule happens at a known point: the
// end of an interrupt from ring 3 or idle, or the end of a system call.
#pragma once

#include <stdint.h>

#include "kernel/sched/thread.h"
#include "lib/abi/syscalls.h"

namespace kernel {

constexpr unsigned kPriorityLevels = 32;
constexpr unsigned kDefaultPriority = 8;
constexpr uint32_t kTimeSliceTicks = 10;
constexpr uint64_t kNoTimeout = 0;

// Turns the boot context into the idle thread and claims the PIT tick.
void scheduler_init();

Thread* current_thread();
uint64_t scheduler_ticks();

// Puts a thread on the run queue; reschedules at the next preemption point
// if it outranks the running thread.
void make_ready(Thread* thread);

// Blocks the running thread (on `queue` if not null) until wake() or, if
// deadline != kNoTimeout, until that tick. Returns the wake status.
bm::abi::Status block_current(BlockReason reason, WaitQueue* queue, uint64_t deadline);

// Ends a block: removes the thread from its wait queue and the timer queue,
// stores `result` as its wake_status (and its system call's rax), and makes
// it ready.
void wake(Thread* thread, bm::abi::Status result);

// wake() for a blocked thread its waker has just taken off its wait queue,
// with kOk (notification_signal's fast path).
void wake_taken(Thread* thread);

// The IPC fast path: the running thread blocks (its wait queue, if any,
// already set up) and `next`, a blocked thread, runs at once with
// `next_result`, skipping the run queue unless a more urgent thread is
// ready. Returns the running thread's own wake status when it runs again.
bm::abi::Status hand_off(Thread* next, bm::abi::Status next_result, BlockReason reason);

// The IPC fast path's switch (kernel/ipc/fast_path.cpp). True when `next`,
// a ring-3 thread blocked in a system call (so its syscall_frame is set: it
// is not reporting a fault), may run at once in place of the running
// thread: nothing more urgent is ready, and no reschedule or reaping is
// pending.
bool can_hand_off_directly(const Thread& next);

// Blocks the running thread for `reason` (its wait queue, if any, already
// set up), with its kernel stack pointer at `resume_stack`, where the
// assembly caller leaves a continuation that finishes its system call; and
// makes `next` the running thread, off its queues and with status kOk, in
// everything but the stack, which the caller switches itself.
void hand_off_directly(Thread* next, BlockReason reason, uint64_t resume_stack);

// yield's fast path (kernel/ipc/fast_path.cpp): when a thread of at least
// the running thread's priority is ready, queues the running thread behind
// it, with its kernel stack pointer at `resume_stack` (where the assembly
// caller leaves its continuation), makes that thread the running one and
// returns its saved stack pointer; else 0, having changed nothing.
uint64_t yield_directly(uint64_t resume_stack);

// notification_wait's fast path: blocks the running thread on `queue` for
// `reason` (no timeout), with its kernel stack pointer at `resume_stack`
// (where the assembly caller leaves its continuation), makes the next ready
// thread (or idle) the running one and returns its saved stack pointer;
// else 0, having changed nothing, when the general scheduler has work to do
// first.
uint64_t block_directly(BlockReason reason, WaitQueue* queue, uint64_t resume_stack);

// notification_signal's fast path: when `woken`, a thread just taken off
// a wait queue with its result stored, outranks the running thread and
// nothing more urgent is ready, makes it the running one with status kOk
// and returns its saved stack pointer, the running thread going back to the
// front of its run queue level (preempted) with its kernel stack pointer at
// `resume_stack`. Else 0, having changed nothing: the caller wakes it.
uint64_t switch_to_woken(Thread* woken, uint64_t resume_stack);

// The #NM trap (kernel/boot/exceptions.cpp): the running thread used the
// FPU while its registers held another thread's state. Saves that state,
// loads the running thread's own and lets the instruction run again.
void take_fpu();

// A thread is going away: its state in the FPU registers, if there, is
// nobody's now.
void forget_fpu_state_of(const Thread* thread);

void yield_current();

// Gives up the CPU for good; the thread is reaped after the next switch.
[[noreturn]] void exit_current_thread();

// Removes a thread that is not running from every scheduler structure (a
// thread of a task being killed). The caller then releases it.
void cancel_thread(Thread* thread);

// Called at preemption points: switches if a higher-priority thread became
// ready or the time slice is used up.
void preempt_if_needed();

// A preemption point inside a long system call: lets pending interrupts
// (the tick) in, then preempt_if_needed. The caller must be in a consistent
// state and hold no pointer it would use afterwards without checking again
// (memory_map looks everything up anew): a thread killed meanwhile never
// returns here, and others may close handles or end tasks.
void preemption_point();

// Picks the next thread and switches to it.
void schedule();


// The idle loop of the boot context: runs what is ready first, then halts
// until an interrupt makes a thread ready. Never returns.
[[noreturn]] void run_idle_loop();

}  // namespace kernel

// Where a thread the IPC fast path blocked continues when the general
// scheduler resumes it (syscall_entry.S): reaps what the switch left, ends
// the system call and takes a pending reschedule, like the end of
// syscall_dispatch.
extern "C" void finish_resumed_system_call();
