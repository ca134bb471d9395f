// Items the system_info call reports (its rdi argument).
#pragma once

#include <stdint.h>

namespace bm::abi {

enum class SystemInfo : uint64_t {
  kFreeFrames = 0,     // physical frames free now
  kUsableFrames = 1,   // physical frames of usable RAM
  kTicks = 2,          // timer ticks since boot
  kTimerHz = 3,        // timer ticks per second
  kTaskCount = 4,      // live tasks
  kThreadCount = 5,    // live threads
  kCurrentTask = 6,    // id of the calling task
  kCurrentThread = 7,  // id of the calling thread
  kIpcBuffer = 8,      // user address of the calling thread's IPC buffer page
  kCurrentPriority = 9,  // priority of the calling thread
};

}  // namespace bm::abi
