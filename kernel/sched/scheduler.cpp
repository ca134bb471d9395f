// Run queues, the timer queue and the context switch.
#include "kernel/sched/scheduler.h"

#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/cpu_local.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/pit.h"
#include "kernel/debug/panic.h"
#include "lib/sched/run_queue.h"
#include "lib/sched/timer_queue.h"

extern "C" void switch_context(uint64_t* save_rsp, uint64_t load_rsp);

namespace kernel {
namespace {

bm::RunQueue<Thread, &Thread::wait_node, kPriorityLevels> run_queue;
bm::TimerQueue<Thread, &Thread::timer_node, &Thread::wake_tick> timers;
WaitQueue dead_threads;
Thread* running;
Thread* idle;

// Work the general scheduler must do before a fast path may switch on its
// own: a reschedule (a more urgent thread became ready, or the slice ran
// out) and dead threads to reap. One byte, so a fast path tests both with
// one compare.
constexpr uint8_t kReschedule = 1;
constexpr uint8_t kReap = 2;  // set exactly while dead_threads is not empty
uint8_t pending_work;

void request_reschedule() { pending_work |= kReschedule; }
bool reschedule_requested() { return (pending_work & kReschedule) != 0; }
bool reaping_pending() { return (pending_work & kReap) != 0; }

// Frees threads that have exited, except the running one: it is still on
// its kernel stack and is reaped after the switch away from it.
void reap_dead_threads() {
  Thread* dead = dead_threads.front();
  while (dead != nullptr) {
    Thread* next = dead_threads.next(dead);
    if (dead != running) {
      dead_threads.remove(dead);
      dead->release();  // the scheduler's reference: frees the stack and object
    }
    dead = next;
  }
  if (dead_threads.empty()) pending_work &= ~kReap;
}

// Lazy FPU switching. The FPU registers hold fpu_owner's state until another
// thread uses the FPU. The trap (CR0.TS) stays armed, so the first FPU
// instruction of a thread raises #NM, and take_fpu saves the owner's state
// and loads the thread's own. Threads that never touch the FPU (most
// servers' hot paths) cost no save, no restore and no CR0 write.
//
// A thread that does use it would trap at every switch to it; so after a
// trap its next kEagerFpuRuns switches to it load its state in advance (as
// an eager kernel would), and no trap is armed for it. Then the trap is
// armed again, to learn whether it still uses the FPU. Two threads that
// both use the FPU and take turns (a client and a server copying messages
// through SSE registers) thus pay one trap each per kEagerFpuRuns switches.
constexpr uint8_t kEagerFpuRuns = 64;
Thread* fpu_owner;
bool fpu_trap_armed;

void disarm_fpu_trap() {
  if (!fpu_trap_armed) return;
  arch::fpu_allow_use();
  fpu_trap_armed = false;
}

// Makes the FPU registers hold `thread`'s state.
void load_fpu_state_of(Thread* thread) {
  if (fpu_owner == thread) return;
  if (fpu_owner != nullptr) arch::fpu_save(&fpu_owner->fpu);
  arch::fpu_restore(&thread->fpu);
  fpu_owner = thread;
}

[[gnu::always_inline]] inline void switch_fpu(Thread* next) {
  if (next->fpu_eager_runs > 0) {
    --next->fpu_eager_runs;
    disarm_fpu_trap();  // fxsave and fxrstor themselves trap while TS is set
    load_fpu_state_of(next);
  } else if (!fpu_trap_armed) {
    arch::fpu_trap_next_use();
    fpu_trap_armed = true;
  }
}

// Everything a switch changes but the stack: the FPU registers, the
// address space, where ring-3 entries land, and who is running.
[[gnu::always_inline]] inline void make_running(Thread* previous, Thread* next) {
  switch_fpu(next);
  // Kernel threads run in whatever address space is loaded: they only
  // touch the kernel half, which every space shares.
  if (next->task_context != nullptr && previous->task_context != next->task_context) {
    load_task_context(*next->task_context);
  }
  arch::set_kernel_entry_stack(next->stack.top);
  running = next;
  arch::cpu_local().current = next;
  next->state = ThreadState::kRunning;
}

void switch_to(Thread* next) {
  Thread* previous = running;
  if (next == previous) {
    next->state = ThreadState::kRunning;
    return;
  }
  make_running(previous, next);
  switch_context(&previous->saved_rsp, next->saved_rsp);
  // Running as `previous` again.
  if (reaping_pending()) reap_dead_threads();
}

// make_ready's work, inline where a fast path needs it.
[[gnu::always_inline]] inline void queue_ready(Thread* thread) {
  thread->state = ThreadState::kReady;
  thread->block_reason = BlockReason::kNone;
  if (thread->ticks_left == 0) thread->ticks_left = kTimeSliceTicks;
  run_queue.enqueue(thread, thread->priority);
  if (running == idle || thread->priority > running->priority) request_reschedule();
}

Thread* pick_next() {
  Thread* next = run_queue.dequeue_highest();
  return next != nullptr ? next : idle;
}

void on_tick(arch::InterruptFrame&) {
  while (Thread* sleeper = timers.pop_expired(arch::pit_ticks())) {
    sleeper->in_timer_queue = false;
    wake(sleeper, sleeper->block_reason == BlockReason::kSleep ? bm::abi::Status::kOk
                                                               : bm::abi::Status::kTimedOut);
  }
  if (running != idle) {
    ++running->user_ticks;
    if (running->ticks_left > 0) --running->ticks_left;
    if (running->ticks_left == 0) request_reschedule();
  }
}

}  // namespace

void scheduler_init() {
  auto boot = Thread::create_kernel(nullptr, 0);
  if (!boot) panic("no memory for the idle thread");
  idle = *boot;
  idle->stack = {arch::boot_stack().bottom, arch::boot_stack().top};
  idle->state = ThreadState::kRunning;
  running = idle;
  arch::cpu_local().current = idle;
  arch::set_kernel_entry_stack(idle->stack.top);
  arch::pit_set_tick_listener(on_tick);
}

Thread* current_thread() { return running; }
uint64_t scheduler_ticks() { return arch::pit_ticks(); }

void make_ready(Thread* thread) { queue_ready(thread); }

namespace {

// The running thread gives the CPU up while still able to run. One with slice left was
// preempted by a higher priority: it keeps its place at the front; an expired slice goes to
// the back with a fresh one. Inline: the signal fast path (switch_to_woken) uses it too.
[[gnu::always_inline]] inline void requeue_preempted(Thread* thread) {
  thread->state = ThreadState::kReady;
  if (thread->ticks_left > 0) {
    run_queue.enqueue_front(thread, thread->priority);
  } else {
    thread->ticks_left = kTimeSliceTicks;
    run_queue.enqueue(thread, thread->priority);
  }
}

}  // namespace

void schedule() {
  pending_work &= ~kReschedule;
  if (reaping_pending()) reap_dead_threads();
  Thread* previous = running;
  if (previous != idle && previous->state == ThreadState::kRunning) requeue_preempted(previous);
  switch_to(pick_next());
}

// Inline: every system call ends here, the fast paths' too.
[[gnu::always_inline]] void preempt_if_needed() {
  if (reschedule_requested()) schedule();
}

bm::abi::Status block_current(BlockReason reason, WaitQueue* queue, uint64_t deadline) {
  Thread* self = running;
  self->state = ThreadState::kBlocked;
  self->block_reason = reason;
  if (queue != nullptr) {
    queue->push_back(self);
    self->waiting_in = queue;
  }
  if (deadline != kNoTimeout) {
    timers.insert(self, deadline);
    self->in_timer_queue = true;
  }
  schedule();
  return self->wake_status;
}

namespace {

// Takes a thread off its wait queue and the timer queue (inline: it is on
// the IPC fast path).
[[gnu::always_inline]] inline void leave_wait_queues(Thread* thread) {
  if (thread->waiting_in != nullptr) {
    thread->waiting_in->remove(thread);
    thread->waiting_in = nullptr;
  }
  if (thread->in_timer_queue) {
    timers.remove(thread);
    thread->in_timer_queue = false;
  }
}

// Takes a blocked thread off whatever it waits on and records its result,
// without queueing it anywhere yet.
[[gnu::always_inline]] inline void unblock(Thread* thread, bm::abi::Status result) {
  leave_wait_queues(thread);
  thread->wake_status = result;
  if (thread->syscall_frame != nullptr) {
    thread->syscall_frame->rax = static_cast<uint64_t>(result);
  }
}

}  // namespace

void wake(Thread* thread, bm::abi::Status result) {
  if (thread->state != ThreadState::kBlocked) return;
  unblock(thread, result);
  make_ready(thread);
}

// Inline: the notification fast path's wake.
[[gnu::always_inline]] void wake_taken(Thread* thread) {
  unblock(thread, bm::abi::Status::kOk);
  queue_ready(thread);
}

bm::abi::Status hand_off(Thread* next, bm::abi::Status next_result, BlockReason reason) {
  Thread* self = running;
  unblock(next, next_result);
  self->state = ThreadState::kBlocked;
  self->block_reason = reason;
  if (run_queue.highest_priority() > static_cast<int>(next->priority)) {
    // Someone more urgent is ready: no shortcut past it.
    make_ready(next);
    schedule();
  } else {
    next->block_reason = BlockReason::kNone;
    if (next->ticks_left == 0) next->ticks_left = kTimeSliceTicks;
    switch_to(next);
  }
  return self->wake_status;
}

[[gnu::always_inline]] bool can_hand_off_directly(const Thread& next) {
  return pending_work == 0 &&
         run_queue.highest_priority() <= static_cast<int>(next.priority);
}

[[gnu::always_inline]] void hand_off_directly(Thread* next, BlockReason reason, uint64_t resume_stack) {
  Thread* self = running;
  self->state = ThreadState::kBlocked;
  self->block_reason = reason;
  self->saved_rsp = resume_stack;
  leave_wait_queues(next);
  next->wake_status = bm::abi::Status::kOk;
  next->block_reason = BlockReason::kNone;
  if (next->ticks_left == 0) next->ticks_left = kTimeSliceTicks;
  make_running(self, next);
}

[[gnu::always_inline]] uint64_t yield_directly(uint64_t resume_stack) {
  Thread* self = running;
  const int highest = run_queue.highest_priority();
  // Nobody of this priority or above waits (the general path returns at
  // once), or the general scheduler has work to do first.
  if (pending_work != 0 || highest < static_cast<int>(self->priority)) {
    return 0;
  }
  Thread* next = run_queue.dequeue_from(static_cast<unsigned>(highest));
  self->state = ThreadState::kReady;
  self->ticks_left = kTimeSliceTicks;  // to the back of its priority, as yield_current does
  run_queue.enqueue(self, self->priority);
  self->saved_rsp = resume_stack;
  make_running(self, next);
  return next->saved_rsp;
}

uint64_t block_directly(BlockReason reason, WaitQueue* queue, uint64_t resume_stack) {
  if (pending_work != 0) return 0;
  Thread* self = running;
  Thread* next = pick_next();
  self->state = ThreadState::kBlocked;
  self->block_reason = reason;
  queue->push_back(self);
  self->waiting_in = queue;
  self->saved_rsp = resume_stack;
  make_running(self, next);
  return next->saved_rsp;
}

uint64_t switch_to_woken(Thread* woken, uint64_t resume_stack) {
  Thread* self = running;
  if (pending_work != 0 || woken->priority <= self->priority ||
      run_queue.highest_priority() > static_cast<int>(woken->priority)) {
    return 0;
  }
  requeue_preempted(self);
  self->saved_rsp = resume_stack;
  unblock(woken, bm::abi::Status::kOk);
  woken->block_reason = BlockReason::kNone;
  if (woken->ticks_left == 0) woken->ticks_left = kTimeSliceTicks;
  make_running(self, woken);
  return woken->saved_rsp;
}

void take_fpu() {
  disarm_fpu_trap();
  running->fpu_eager_runs = kEagerFpuRuns;
  load_fpu_state_of(running);
}

void forget_fpu_state_of(const Thread* thread) {
  if (fpu_owner == thread) fpu_owner = nullptr;
}

void yield_current() {
  running->ticks_left = 0;  // to the back of its priority level
  schedule();
}

void cancel_thread(Thread* thread) {
  if (thread->state == ThreadState::kReady) run_queue.remove(thread, thread->priority);
  leave_wait_queues(thread);
  thread->state = ThreadState::kDead;
}

void exit_current_thread() {
  Thread* self = running;
  self->state = ThreadState::kDead;
  dead_threads.push_back(self);
  pending_work |= kReap;
  schedule();
  panic("a dead thread was scheduled");
}

void preemption_point() {
  arch::let_interrupts_in();
  preempt_if_needed();
}

}  // namespace kernel

extern "C" void finish_resumed_system_call() {
  using namespace kernel;
  if (reaping_pending()) reap_dead_threads();
  preempt_if_needed();
}

namespace kernel {

void run_idle_loop() {
  // Whatever boot made ready (init) runs now, not at the first timer tick up to a tick later.
  schedule();
  for (;;) {
    arch::enable_interrupts_and_halt();
    arch::disable_interrupts();
    preempt_if_needed();
  }
}

}  // namespace kernel
