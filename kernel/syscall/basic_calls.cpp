// The simplest system calls: the kernel log, time, and ending threads and
// tasks.
#include "kernel/arch/x86_64/pic.h"
#include "kernel/arch/x86_64/pit.h"
#include "kernel/debug/log.h"
#include "kernel/ipc/fast_path.h"
#include "kernel/mm/kernel_heap.h"
#include "kernel/mm/physical_memory.h"
#include "kernel/task/irq.h"
#include "kernel/task/task.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/syscall_table.h"
#include "lib/abi/system_info.h"

namespace kernel {

using bm::abi::Status;

namespace {
// Longest text one debug_write copies; longer writes are refused, not cut.
constexpr uint64_t kMaxDebugWrite = 4096;
// Longest sleep: about 49 days at 1000 Hz; keeps deadline arithmetic exact.
constexpr uint64_t kMaxSleepTicks = 1ull << 32;
}  // namespace

// debug_write(text, length): appends to the kernel log (COM1, screen, ring).
Status sys_debug_write(arch::InterruptFrame& frame) {
  uint64_t text = frame.rdi;
  uint64_t length = frame.rsi;
  if (length > kMaxDebugWrite) return Status::kTooLong;
  char buffer[256];
  Task* task = current_thread()->task;
  // Validate the whole range first: a bad tail must not print a partial text.
  if (!task->address_space.check_user_range(text, length, false)) return Status::kBadAddress;
  for (uint64_t done = 0; done < length;) {
    uint64_t chunk = bm::min<uint64_t>(length - done, sizeof(buffer));
    if (!task->address_space.copy_from_user(buffer, text + done, chunk)) {
      return Status::kBadAddress;
    }
    log_write(buffer, chunk);
    done += chunk;
  }
  return Status::kOk;
}

Status sys_yield(arch::InterruptFrame&) {
  yield_current();
  return Status::kOk;
}

// sleep(ticks): blocks for at least that many timer ticks; 0 just yields.
Status sys_sleep(arch::InterruptFrame& frame) {
  uint64_t sleep_ticks = frame.rdi;
  if (sleep_ticks > kMaxSleepTicks) return Status::kInvalidArgument;
  if (sleep_ticks == 0) return sys_yield(frame);
  return block_current(BlockReason::kSleep, nullptr, scheduler_ticks() + sleep_ticks);
}

Status sys_thread_exit(arch::InterruptFrame&) {
  Thread* self = current_thread();
  self->task->on_thread_exit(self);
  exit_current_thread();
}

Status sys_task_exit(arch::InterruptFrame& frame) {
  current_thread()->task->exit(static_cast<int64_t>(frame.rdi));
  return Status::kOk;  // not reached: the calling thread is gone
}

namespace {
// The kernel heap's figures (system_info kHeapCapacity ... kHeapAllocations), read only when
// one is asked for: the other items, such as kTicks, sit on polling paths.
uint64_t heap_figure(bm::abi::SystemInfo item) {
  using bm::abi::SystemInfo;
  const bm::AllocStats heap = kernel_heap_stats();
  switch (item) {
    case SystemInfo::kHeapCapacity: return heap.capacity_bytes;
    case SystemInfo::kHeapBytesInUse: return heap.bytes_in_use;
    case SystemInfo::kHeapPeakBytes: return heap.peak_bytes_in_use;
    case SystemInfo::kHeapFreeBytes: return heap.free_bytes;
    case SystemInfo::kHeapBlocksInUse: return heap.blocks_in_use;
    default: return heap.total_allocations;  // kHeapAllocations
  }
}

}  // namespace

// system_info(item): one figure about the system in rdi.
Status sys_system_info(arch::InterruptFrame& frame) {
  using bm::abi::SystemInfo;
  auto item = static_cast<SystemInfo>(frame.rdi);
  switch (item) {
    case SystemInfo::kFreeFrames: frame.rdi = frame_allocator().free_frames(); break;
    case SystemInfo::kUsableFrames: frame.rdi = frame_allocator().total_usable_frames(); break;
    case SystemInfo::kTicks: frame.rdi = scheduler_ticks(); break;
    case SystemInfo::kTimerHz: frame.rdi = arch::pit_frequency_hz(); break;
    case SystemInfo::kTaskCount: frame.rdi = Task::count(); break;
    case SystemInfo::kThreadCount: frame.rdi = thread_count(); break;
    case SystemInfo::kCurrentTask: frame.rdi = current_thread()->task->id(); break;
    case SystemInfo::kCurrentThread: frame.rdi = current_thread()->id; break;
    case SystemInfo::kIpcBuffer: frame.rdi = current_thread()->ipc_buffer; break;
    case SystemInfo::kCurrentPriority: frame.rdi = current_thread()->priority; break;
    case SystemInfo::kHeapStrategy: frame.rdi = static_cast<uint64_t>(config::kHeapStrategy); break;
    case SystemInfo::kHeapCapacity:
    case SystemInfo::kHeapBytesInUse:
    case SystemInfo::kHeapPeakBytes:
    case SystemInfo::kHeapFreeBytes:
    case SystemInfo::kHeapBlocksInUse:
    case SystemInfo::kHeapAllocations: frame.rdi = heap_figure(item); break;
    case SystemInfo::kLastIrqTsc:
      if (frame.rsi >= arch::kIrqLines) return Status::kInvalidArgument;
      frame.rdi = irq_last_delivery_tsc(static_cast<uint8_t>(frame.rsi));
      break;
    case SystemInfo::kFrameLimit: frame.rdi = current_thread()->task->frame_quota.limit(); break;
    case SystemInfo::kFramesCharged: frame.rdi = current_thread()->task->frame_quota.used(); break;
    case SystemInfo::kIpcFastPathEnabled: frame.rdi = ipc_fast_path_enabled() ? 1 : 0; break;
    case SystemInfo::kIpcFastPathTaken: frame.rdi = ipc_fast_path_counts().taken; break;
    case SystemInfo::kIpcFastPathDeclined: frame.rdi = ipc_fast_path_counts().declined; break;
    default: return Status::kInvalidArgument;
  }
  return Status::kOk;
}

}  // namespace kernel
