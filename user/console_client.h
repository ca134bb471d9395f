// Writing to whatever server answers the console protocol (ipc/console.h):
// the VGA server, or a serial one.
#pragma once

#include <stddef.h>

#include "ipc/client_recovery.h"
#include "user/ipc.h"

namespace user {

// Writes `length` bytes (any length: split into protocol-sized pieces, and what a server took
// only part of is sent again) to the console service, following it to a restarted server
// (user::call_service). Returns once the server has taken every byte: kOk, an IPC status
// (kPeerGone: no server has the name now), or kInvalidArgument if the server refused a piece
// (kNoDevice: the device is gone).
Status console_write(bm::ipc::ServiceConnection* console, const char* text, size_t length);

}  // namespace user
