// Thread creation: a kernel stack whose top holds the frame the first
// switch_context "returns" through.
#include "kernel/sched/thread.h"

#include "kernel/arch/x86_64/gdt.h"

extern "C" char interrupt_return[];

namespace kernel {
namespace {

constexpr uint64_t kUserInitialFlags = 0x202;  // IF set, bit 1 always set (SDM vol. 1 §3.4.3)
constexpr int kCalleeSavedRegisters = 6;       // see context_switch.S
uint32_t next_thread_id = 1;
uint32_t live_threads;

void push(uint64_t*& stack_pointer, uint64_t value) { *--stack_pointer = value; }

}  // namespace

bm::Result<Thread*> Thread::create_user(uint64_t entry, uint64_t stack_top, uint64_t argument,
                                        unsigned priority) {
  auto* thread = new Thread();
  if (thread == nullptr) return bm::Error::kOutOfMemory;
  auto stack = allocate_kernel_stack();
  if (!stack) {
    delete thread;
    return stack.error();
  }
  thread->stack = *stack;
  thread->priority = priority;
  thread->id = next_thread_id++;
  arch::fpu_initial_state(&thread->fpu);

  // The first switch pops six callee-saved registers, returns to
  // interrupt_return, which pops this frame and irets to ring 3.
  auto* top = reinterpret_cast<uint64_t*>(thread->stack.top);
  auto* frame = reinterpret_cast<arch::InterruptFrame*>(top) - 1;
  *frame = arch::InterruptFrame{};
  thread->syscall_frame = frame;  // every later entry from ring 3 builds its frame here
  frame->rdi = argument;
  frame->rip = entry;
  frame->cs = arch::kUserCodeSelector;
  frame->rflags = kUserInitialFlags;
  // As if `entry` had just been called: rsp + 8 is 16-byte aligned (System V
  // ABI §3.2.2) and the "return address" slot holds 0, so returning faults.
  frame->rsp = stack_top - 8;
  frame->ss = arch::kUserDataSelector;
  uint64_t* stack_pointer = reinterpret_cast<uint64_t*>(frame);
  push(stack_pointer, reinterpret_cast<uint64_t>(interrupt_return));
  for (int i = 0; i < kCalleeSavedRegisters; ++i) push(stack_pointer, 0);
  thread->saved_rsp = reinterpret_cast<uint64_t>(stack_pointer);

  thread->retain();  // the scheduler's reference, dropped when it is reaped
  ++live_threads;
  return thread;
}

bm::Result<Thread*> Thread::create_kernel(void (*entry)(), unsigned priority) {
  auto* thread = new Thread();
  if (thread == nullptr) return bm::Error::kOutOfMemory;
  thread->priority = priority;
  thread->id = next_thread_id++;
  arch::fpu_initial_state(&thread->fpu);
  if (entry != nullptr) {
    auto stack = allocate_kernel_stack();
    if (!stack) {
      delete thread;
      return stack.error();
    }
    thread->stack = *stack;
    auto* stack_pointer = reinterpret_cast<uint64_t*>(thread->stack.top);
    push(stack_pointer, 0);  // where entry's return address would be: keeps the ABI alignment
    push(stack_pointer, reinterpret_cast<uint64_t>(entry));
    for (int i = 0; i < kCalleeSavedRegisters; ++i) push(stack_pointer, 0);
    thread->saved_rsp = reinterpret_cast<uint64_t>(stack_pointer);
  }
  thread->retain();
  ++live_threads;
  return thread;
}

void Thread::destroy() {
  // The boot stack (idle thread) is not a slot stack and is never freed.
  if (task != nullptr) free_kernel_stack(stack);
  --live_threads;
  delete this;  // drops task_reference: the last thread may free its task
}

uint32_t thread_count() { return live_threads; }

}  // namespace kernel
