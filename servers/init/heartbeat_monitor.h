// init's heartbeats (docs/reliability.md): one thread per server whose manifest line has
// heartbeat=MS calls it with ipc/heartbeat.h every MS, and a watchdog thread notices a call
// that has waited two periods. IPC calls have no timeout and init's main loop must never
// wait on a server, so only these threads call servers; they tell the main loop, which owns
// every ServerState, through init's own endpoint (badge kMonitorBadge), and the main loop
// kills and restarts the server, which also ends the stuck call with kPeerGone.
#pragma once

#include <stdint.h>

#include "lib/abi/syscalls.h"
#include "lib/manifest/manifest.h"

namespace init {

// The badge of the monitor threads' handle to init's endpoint: no server has it (server i
// has badge i + 1).
constexpr uint64_t kMonitorBadge = 0x10000;

enum MonitorLabel : uint32_t {
  // w0 = manifest index. Reply: w0 = Status, w1 = generation of the running instance, a
  // handle to its heartbeat endpoint attached (kNotFound while it has none).
  kHeartbeatTarget = 0x31,
  // w0 = manifest index, w1 = generation, w2 = ticks the heartbeat has waited. Reply: w0.
  kHeartbeatMissed = 0x32,
};

// Starts the threads for the servers of `manifest` with a heartbeat; `monitor_handle` is a
// handle to init's endpoint badged kMonitorBadge, which they keep. False if a thread could not
// start (logged); heartbeats then are off for the servers without one.
bool start_heartbeats(const bm::manifest::Manifest& manifest, bm::abi::Handle monitor_handle);

}  // namespace init
