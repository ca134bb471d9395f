// Starting init's own helper threads (heartbeats, the watchdog, the start-up timer).
#pragma once

#include <stdint.h>

#include "user/thread.h"

namespace init {

// Runs body(argument) on a new thread of init at init's priority. A start record
// (user/thread.h) is busy only while a thread is starting, and init starts several in a row:
// while all are busy this yields, so the threads starting (at init's priority) run, and tries
// again. kOk, or why the thread could not start.
bm::abi::Status start_init_thread(user::ThreadBody body, uint64_t argument);

}  // namespace init
