// Items the system_info call reports (its rdi argument).
#pragma once

#include <stdint.h>

namespace bm::abi {

enum class SystemInfo : uint64_t {
  kFreeFrames = 0,       // physical frames free now
  kUsableFrames = 1,     // physical frames of usable RAM
  kTicks = 2,            // timer ticks since boot
  kTimerHz = 3,          // timer ticks per second
  kTaskCount = 4,        // live tasks
  kThreadCount = 5,      // live threads
  kCurrentTask = 6,      // id of the calling task
  kCurrentThread = 7,    // id of the calling thread
  kIpcBuffer = 8,        // user address of the calling thread's IPC buffer page
  kCurrentPriority = 9,  // priority of the calling thread
  // The kernel heap (lib/alloc statistics of the strategy the build picked).
  kHeapStrategy = 10,     // the kernel_heap option, a HeapStrategy (lib/abi/heap_strategy.h)
  kHeapCapacity = 11,     // bytes mapped for the heap and handed to its allocator
  kHeapBytesInUse = 12,   // bytes callers asked for, over the live blocks
  kHeapPeakBytes = 13,    // highest kHeapBytesInUse since boot
  kHeapFreeBytes = 14,    // bytes a future allocation could still be carved from
  kHeapBlocksInUse = 15,  // live allocations
  kHeapAllocations = 16,  // successful allocations since boot
  // TSC when IRQ line rsi (0-15) last reached the kernel, 0 if never. With the TSC at the
  // moment something became visible, this gives interrupt-to-effect latency.
  kLastIrqTsc = 17,
  // The calling task's frame quota (task_create's frame_limit): the most frames it may hold,
  // ~0 for no limit, and the frames charged to it now.
  kFrameLimit = 18,
  kFramesCharged = 19,
  // The IPC fast path (docs/kernel.md): 1 if it is on (the kernel command line's
  // ipc_fast_path=off turns it off), and how many ipc_call / ipc_reply_recv calls it took and
  // declined since boot.
  kIpcFastPathEnabled = 20,
  kIpcFastPathTaken = 21,
  kIpcFastPathDeclined = 22,
};

}  // namespace bm::abi
