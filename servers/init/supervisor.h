// init's side of the supervisor protocol (ipc/supervisor.h): list servers,
// kill, stop or restart one, halt or reboot, for servers whose manifest line says
// control=yes.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/protocol.h"
#include "lib/abi/init_boot_info.h"
#include "lib/abi/power.h"
#include "lib/abi/syscalls.h"
#include "servers/init/server_state.h"

namespace init {

// What the protocol reads and changes in init.
struct SupervisorContext {
  ServerState* servers;
  size_t server_count;
  const bm::abi::InitBootInfo* boot;  // module sizes for the grant list
  uint64_t own_task_id;               // init's: never killed
  // Ends a server (task_kill, handles and names go) as a crash would: restarted if its line
  // says restart=yes and it is not crash-looping.
  void (*kill_server)(ServerState& server, const char* why);
  // Ends a server for good: no restart.
  void (*stop_server)(ServerState& server);
  // Stops the server if it runs and starts it again; false if the start failed.
  bool (*restart_server)(ServerState& server);
  // Closes a handle a request brought (supervisor requests take none).
  void (*close)(bm::abi::Handle handle);
  // system_power: returns only if the kernel refused the action.
  bm::abi::Status (*power)(bm::abi::PowerAction action);
  // init's log (user::printf).
  size_t (*log)(const char* format, ...);
};

// Answers one supervisor request (bm::ipc::is_supervisor_label) from
// `caller`, the server its badge names (null if none); the reply goes in
// `reply`, always. Closes any handle the request carried.
void on_supervisor_request(const SupervisorContext& context, const bm::ipc::WireMessage& request,
                           const ServerState* caller, bm::ipc::WireMessage* reply);

}  // namespace init
