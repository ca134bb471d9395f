// Reading keys from whatever server answers the keyboard protocol (ipc/keyboard.h): the PS/2
// keyboard server, or a serial server standing in for one.
#pragma once

#include "ipc/keyboard.h"
#include "user/ipc.h"

namespace user {

// The next key event. kWouldBlock when !blocking and none is waiting; an IPC status (such as
// kPeerGone) when the server is unreachable; kInvalidArgument for a malformed reply.
// Safe to call from several threads at once.
Status read_key_event(Handle keyboard, bool blocking, bm::ipc::keyboard::KeyEvent* out);

}  // namespace user
