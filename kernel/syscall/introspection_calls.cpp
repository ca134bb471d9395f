// Looking at the running system from ring 3 (ps, dmesg).
//   thread_list(first_index) -> rdi = records written, rsi = live threads
//   log_read(position)       -> rdi = bytes copied, rsi = next position,
//                               rdx = oldest position still held
// Both write their results into the caller's own IPC buffer, never through
// a pointer the caller passes.
#include "kernel/debug/log.h"
#include "kernel/ipc/ipc.h"
#include "kernel/task/task.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall_table.h"
#include "lib/abi/thread_record.h"

namespace kernel {

using bm::abi::Status;
using bm::abi::ThreadRecord;
using bm::abi::ThreadRunState;

namespace {

static_assert(bm::abi::kThreadRecordsPerCall * sizeof(ThreadRecord) <= sizeof(bm::abi::IpcBuffer));
static_assert(bm::abi::kMaxLogRead <= sizeof(bm::abi::IpcBuffer));
static_assert(Task::kNameLength == bm::abi::kMaxTaskNameLength + 1);

// The caller's IPC buffer as the kernel sees it. The kernel mapped this page
// itself when it made the thread (one whole user page, writable, at an
// address the thread record holds) and memory_unmap cannot remove it, so
// unlike a pointer argument there is nothing the caller could get wrong:
// no range, alignment or permission to check. We write through the direct
// map after the page-table lookup, as message delivery does; the lookup
// still fails safely (kBadAddress) should the page ever be missing.
uint8_t* own_ipc_buffer() { return reinterpret_cast<uint8_t*>(ipc_buffer_of(current_thread())); }

ThreadRunState run_state(const Thread& thread) {
  if (thread.in_fault) return ThreadRunState::kFaulted;
  if (thread.state == ThreadState::kRunning) return ThreadRunState::kRunning;
  if (thread.state != ThreadState::kBlocked) return ThreadRunState::kReady;
  switch (thread.block_reason) {
    case BlockReason::kIpcSend:
      return ThreadRunState::kBlockedSend;
    case BlockReason::kIpcReceive:
      return ThreadRunState::kBlockedReceive;
    case BlockReason::kIpcReply:
      return ThreadRunState::kBlockedReply;
    case BlockReason::kNotification:
      return ThreadRunState::kWaitingNotification;
    case BlockReason::kSleep:
      return ThreadRunState::kSleeping;
    case BlockReason::kNone:
      break;  // every block names its reason
  }
  return ThreadRunState::kReady;
}

ThreadRecord record_of(const Task& task, const Thread& thread) {
  ThreadRecord record{};
  record.task_id = task.id();
  record.thread_id = thread.id;
  const char* name = task.name();
  for (size_t i = 0; i < bm::abi::kMaxTaskNameLength && name[i] != '\0'; ++i) {
    record.task_name[i] = name[i];
  }
  record.priority = thread.priority;
  record.state = run_state(thread);
  record.user_ticks = thread.user_ticks;
  return record;
}

}  // namespace

// Threads in (task id, thread id) order: tasks and their threads are kept in
// creation order, and ids only grow, so paging with first_index is stable
// while nothing starts or ends. The idle thread belongs to no task and is
// not listed.
Status sys_thread_list(arch::InterruptFrame& frame) {
  uint64_t first_index = frame.rdi;
  uint8_t* out = own_ipc_buffer();
  if (out == nullptr) return Status::kBadAddress;
  uint64_t index = 0;
  uint64_t written = 0;
  for (Task* task = Task::first_live(); task != nullptr; task = Task::next_live(task)) {
    for (Thread* thread = task->first_thread(); thread != nullptr;
         thread = task->next_thread(thread), ++index) {
      if (index < first_index || written == bm::abi::kThreadRecordsPerCall) continue;
      ThreadRecord record = record_of(*task, *thread);
      __builtin_memcpy(out + written * sizeof(ThreadRecord), &record, sizeof(record));
      ++written;
    }
  }
  frame.rdi = written;
  frame.rsi = index;
  return Status::kOk;
}

Status sys_log_read(arch::InterruptFrame& frame) {
  uint64_t position = frame.rdi;
  uint64_t end = log_end_position();
  if (position > end) return Status::kInvalidArgument;  // not logged yet
  uint8_t* out = own_ipc_buffer();
  if (out == nullptr) return Status::kBadAddress;
  uint64_t oldest = log_oldest_position();
  if (position < oldest) position = oldest;  // overwritten: the caller sees rdx > its position
  uint64_t copied = log_read_at(position, reinterpret_cast<char*>(out), bm::abi::kMaxLogRead);
  frame.rdi = copied;
  frame.rsi = position + copied;
  frame.rdx = oldest;
  return Status::kOk;
}

}  // namespace kernel
