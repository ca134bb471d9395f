// What init knows about each server of the manifest while it runs: its task,
// the grants it has not fetched yet, restarts.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/abi/syscalls.h"
#include "lib/manifest/manifest.h"
#include "servers/init/grants.h"

namespace init {

struct ServerState {
  const bm::manifest::Server* entry = nullptr;
  bm::abi::Handle task = 0;
  uint32_t task_id = 0;  // the kernel's id, 0 while not running
  GrantList grants;
  size_t grants_given = 0;
  bool running = false;
  uint32_t restarts = 0;
  // memd's endpoint badged for this server, once it became memd's client (see
  // ipc/memd_admin.h); init hands out duplicates when the server looks up "memd".
  bm::abi::Handle heap = 0;
};

}  // namespace init
