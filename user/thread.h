// More threads in the caller's own task: a driver's interrupt thread next to
// its service loop, a shell's input readers.
#pragma once

#include <stdint.h>

#include "user/syscalls.h"

namespace user {

using ThreadBody = void (*)(uint64_t argument);

// Runs body(argument) on a new thread of this task at `priority` (at most the
// caller's). The thread ends with thread_exit when body returns. At most
// kMaxStartedThreads threads started this way may be starting at once.
Status start_thread(ThreadBody body, uint64_t argument, uint32_t priority);

constexpr uint32_t kMaxStartedThreads = 8;

// The calling thread's priority, as set when it was created.
uint32_t current_priority();

}  // namespace user
