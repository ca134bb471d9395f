// init's side of the supervisor protocol (ipc/supervisor.h): list servers,
// kill one, halt or reboot, for servers whose manifest line says control=yes.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/abi/init_boot_info.h"
#include "servers/init/server_state.h"
#include "user/ipc.h"

namespace init {

// What the protocol reads and changes in init.
struct SupervisorContext {
  ServerState* servers;
  size_t server_count;
  const bm::abi::InitBootInfo* boot;  // module sizes for the grant list
  uint64_t own_task_id;               // init's: never killed
  // Ends a server for good: task_kill, handles and names go, no restart.
  void (*stop_server)(ServerState& server);
};

// Answers one supervisor request (bm::ipc::is_supervisor_label) from
// `caller`, the server its badge names (null if none); the reply goes in
// `reply`. Closes any handle the request carried.
void on_supervisor_request(const SupervisorContext& context, const user::Message& request,
                           const ServerState* caller, user::Message* reply);

}  // namespace init
