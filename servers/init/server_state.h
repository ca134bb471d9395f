// What init knows about each server of the manifest while it runs: its task,
// the grants it has not fetched yet, restarts, where its heartbeats go.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/client_admin.h"
#include "lib/abi/syscalls.h"
#include "lib/manifest/manifest.h"
#include "servers/init/grants.h"
#include "servers/init/restart_policy.h"

namespace init {

struct ServerState {
  const bm::manifest::Server* entry = nullptr;
  bm::abi::Handle task = 0;
  uint32_t task_id = 0;  // the kernel's id, 0 while not running
  GrantList grants;
  size_t grants_given = 0;
  bool running = false;
  RestartPolicy restart_policy;  // its restarts() is what ps shows
  // Bumped at every start, so a heartbeat report about an earlier instance is ignored.
  uint32_t generation = 0;
  // TSC when init last ended it for a restart, until the new instance registers a name: the
  // kill-to-answer time init logs (guest instructions under -icount, see tools/bench).
  uint64_t ended_tsc = 0;
  // Whether this instance registered a name yet (servers/init/startup.h).
  bool registered_a_name = false;
  // A copy of the first endpoint the server registered: where its heartbeats go.
  bm::abi::Handle heartbeat_endpoint = 0;
  // For each service of ipc/client_admin.h (memd, fs): its endpoint badged for this server,
  // once the server became its client; init hands out duplicates when the server looks the
  // name up. Closed when either of them ends.
  bm::abi::Handle client_handles[bm::ipc::client_admin::kIntroducedServiceCount] = {};
};

}  // namespace init
