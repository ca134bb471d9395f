// What thread_list writes into the caller's IPC buffer: one fixed-size
// record per live thread, for `ps`.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/abi/syscalls.h"
#include "lib/core/page_size.h"

namespace bm::abi {

// What a thread is doing, as the scheduler sees it. A thread that reported
// a fault and waits for its supervisor's decision is kFaulted, whatever
// queue it is in.
enum class ThreadRunState : uint32_t {
  kRunning = 0,              // on the CPU (in thread_list: the caller itself)
  kReady = 1,                // waiting for the CPU
  kBlockedSend = 2,          // in an endpoint's send queue (send, or call not yet received)
  kBlockedReceive = 3,       // in an endpoint's receive queue
  kBlockedReply = 4,         // call received, waiting for the reply
  kWaitingNotification = 5,  // in notification_wait
  kSleeping = 6,             // in sleep
  kFaulted = 7,              // reported a fault, waiting for the supervisor
};

struct ThreadRecord {
  uint32_t task_id;
  uint32_t thread_id;
  char task_name[kMaxTaskNameLength + 1];  // NUL-padded
  uint32_t priority;
  ThreadRunState state;
  uint64_t user_ticks;  // timer ticks this thread was running when they came
};
static_assert(sizeof(ThreadRecord) == 48, "the layout docs/syscalls.md describes");

// Records one thread_list call can write: as many as fit in the 4 KiB IPC buffer.
constexpr uint64_t kThreadRecordsPerCall = kPageSize / sizeof(ThreadRecord);

}  // namespace bm::abi
