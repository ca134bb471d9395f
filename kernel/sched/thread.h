// A thread: registers (saved on its kernel stack), FPU state, scheduling
// state and the IPC state of a call in progress.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/fpu.h"
#include "kernel/arch/x86_64/interrupt_frame.h"
#include "kernel/mm/kernel_stacks.h"
#include "kernel/obj/kernel_object.h"
#include "kernel/sched/task_context.h"
#include "lib/abi/message.h"
#include "lib/abi/syscalls.h"
#include "lib/containers/intrusive_list.h"
#include "lib/core/result.h"

namespace kernel {

class Task;
class Endpoint;
class ReplyObject;
class WaitQueue;

enum class ThreadState : uint8_t { kReady, kRunning, kBlocked, kDead };

// Why a blocked thread waits; decides what a timeout or a kill must undo.
enum class BlockReason : uint8_t {
  kNone,
  kSleep,
  kIpcSend,       // in an endpoint's send queue (send or the first half of call)
  kIpcReceive,    // in an endpoint's receive queue
  kIpcReply,      // call sent, waiting for the reply
  kNotification,  // in a notification's wait queue
};

// The message a thread is sending or has received: tag, the register words
// and the badge of the endpoint handle it came through.
struct IpcMessage {
  uint64_t tag = 0;
  uint64_t words[bm::abi::kRegisterWords] = {};
};

class Thread final : public KernelObject {
 public:
  static constexpr bm::abi::ObjectType kType = bm::abi::ObjectType::kThread;

  // A ring-3 thread that starts at `entry` with rsp = stack_top and
  // rdi = argument. Its task (Task::spawn_thread) fills in the task fields
  // below before the thread first runs.
  static bm::Result<Thread*> create_user(uint64_t entry, uint64_t stack_top, uint64_t argument,
                                         unsigned priority);
  // A kernel thread (the idle thread).
  static bm::Result<Thread*> create_kernel(void (*entry)(), unsigned priority);

  // Scheduling. The lists a thread can be on: one of {run queue, an
  // endpoint or notification wait queue} through wait_node, the timer queue
  // through timer_node, its task's thread list through task_node.
  bm::ListNode wait_node;
  bm::ListNode timer_node;
  bm::ListNode task_node;
  WaitQueue* waiting_in = nullptr;
  uint64_t wake_tick = 0;
  bool in_timer_queue = false;

  uint64_t saved_rsp = 0;  // while switched out
  KernelStack stack;
  arch::FpuState fpu;        // saved while another thread owns the FPU registers
  uint8_t fpu_eager_runs = 0;  // switches left that load its FPU state in advance
  ThreadState state = ThreadState::kReady;
  BlockReason block_reason = BlockReason::kNone;
  unsigned priority = 0;
  uint32_t ticks_left = 0;  // of the current time slice
  uint32_t id = 0;
  // The task this thread runs in, null for kernel threads. The reference
  // keeps the task alive as long as the thread exists (held as its base
  // type: the scheduler uses no more of a task than its context).
  Task* task = nullptr;
  RefPtr<KernelObject> task_reference;
  TaskContext* task_context = nullptr;  // what a switch to this thread loads

  // Where the thread's system-call frame lies: every entry from ring 3
  // builds it at the top of the kernel stack, so it never moves, and results
  // of a blocking call go there. Null for kernel threads, and while the
  // thread reports a fault (ipc_report_fault), so no reply lands in its
  // user registers.
  arch::InterruptFrame* syscall_frame = nullptr;

  // The status a wake() delivered: what a blocking call returns.
  bm::abi::Status wake_status = bm::abi::Status::kOk;

  // IPC. `message` is what this thread sends (kept while it waits in a
  // send queue); `reply_to` is the caller this thread must answer;
  // `serving_us` is the server holding this thread's call, or
  // `deferred_reply` the reply object it moved the call into
  // (kernel/wait/reply_object.h): at most one of the two is set.
  IpcMessage message;
  uint64_t message_badge = 0;
  bool message_is_call = false;
  bool in_fault = false;            // blocked reporting a fault to the supervisor
  Thread* reply_to = nullptr;
  Thread* serving_us = nullptr;
  ReplyObject* deferred_reply = nullptr;
  uint64_t ipc_buffer = 0;          // user address of the thread's IPC buffer page
  // The same page through the kernel's direct map, found once when the
  // thread is made: ring 3 cannot unmap it (memory_unmap removes only object
  // mappings), so it stays the thread's until the thread ends. Null for
  // kernel threads.
  bm::abi::IpcBuffer* ipc_buffer_page = nullptr;
  uint64_t user_stack_bottom = 0;   // the user stack the kernel mapped for it
  uint64_t user_stack_bytes = 0;

  uint64_t user_ticks = 0;  // ticks spent running, for ps

 private:
  Thread() : KernelObject(kType) {}
  void destroy() override;
};

// Threads waiting for the same thing, in FIFO order.
class WaitQueue : public bm::IntrusiveList<Thread, &Thread::wait_node> {};

uint32_t thread_count();

}  // namespace kernel
