// Asking init to list, kill, stop, restart, halt or reboot (ipc/supervisor.h). init
// answers only servers whose manifest line says control=yes; everyone else
// gets kNoRights.
#pragma once

#include <stdint.h>

#include "ipc/supervisor.h"
#include "lib/abi/power.h"
#include "user/ipc.h"
#include "user/protocol_client.h"

namespace user {

// Server number `index` of the manifest: name, task id, state and grants.
// kBadValue past the last one.
ProtocolStatus list_server(Handle bootstrap, uint64_t index, bm::ipc::ServerEntry* out);
// Ends the server running as task `task_id` as a crash would: init restarts it if its
// manifest line says restart=yes.
ProtocolStatus kill_server(Handle bootstrap, uint64_t task_id);
// Ends the server running as task `task_id` for good.
ProtocolStatus stop_server(Handle bootstrap, uint64_t task_id);
// Stops server number `index` of the manifest if it runs, and starts it again.
ProtocolStatus restart_server(Handle bootstrap, uint64_t index);
// Halts or reboots the machine through init; returns only on failure.
ProtocolStatus request_power(Handle bootstrap, bm::abi::PowerAction action);

}  // namespace user
