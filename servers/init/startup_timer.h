// The thread that wakes init's main loop when a kept startup_done call's wait runs out
// (servers/init/startup.h). The main loop answers kept calls itself as servers come up; it
// needs a clock only for a server that never does. IPC receives in init's loop have no
// deadline, so, as the heartbeat threads do, this thread calls the loop through init's own
// endpoint (badge kMonitorBadge).
#pragma once

#include <stdint.h>

#include "lib/abi/syscalls.h"

namespace init {

// w0: none. Reply: w0 = kOk, w1 = ticks to the earliest deadline of a kept call, 0 when init
// keeps none. The loop first answers every call whose deadline has passed.
constexpr uint32_t kStartupTimer = 0x33;

// Starts the thread; `monitor_handle` is a handle to init's endpoint badged kMonitorBadge,
// which it keeps. The main loop signals `armed` (a notification) after keeping a call, so the
// thread asks it for the earliest deadline. False if the thread could not start (logged):
// kept calls are then answered only as servers come up.
bool start_startup_timer(bm::abi::Handle monitor_handle, bm::abi::Handle armed);

}  // namespace init
