// The client half of serve_protocol: send an ipc/ WireMessage as a call and take the reply
// back as one. Each protocol client (console, keyboard) is encode, this, decode.
#pragma once

#include "ipc/protocol.h"
#include "user/ipc.h"

namespace user {

// Calls `server` with `request` (words 4 and up through this thread's IPC buffer) and
// loads the reply into *reply. An IPC status on failure; kInvalidArgument for a reply that
// does not fit a WireMessage. `request` and `reply` may be the same object.
Status call_protocol(Handle server, const bm::ipc::WireMessage& request,
                     bm::ipc::WireMessage* reply);

}  // namespace user
