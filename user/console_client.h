// Writing to whatever server answers the console protocol (ipc/console.h):
// the VGA server, or a serial one.
#pragma once

#include <stddef.h>

#include "ipc/client_recovery.h"
#include "user/ipc.h"
#include "user/protocol_client.h"

namespace user {

// Writes `length` bytes (any length: split into protocol-sized pieces, and what a server took
// only part of is sent again) to the console service, following it to a restarted server
// (user::call_service). Returns once the server has taken every byte: kOk, the transport's
// failure (kPeerGone: no server has the name now), the server's refusal of a piece (kNoDevice:
// the device is gone), or kBadValue for a malformed reply.
ProtocolStatus console_write(bm::ipc::ServiceConnection* console, const char* text, size_t length);

}  // namespace user
