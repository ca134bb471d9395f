// Reading keys from whatever server answers the keyboard protocol (ipc/keyboard.h): the PS/2
// keyboard server, or a serial server standing in for one.
#pragma once

#include "ipc/client_recovery.h"
#include "ipc/keyboard.h"
#include "user/ipc.h"
#include "user/protocol_client.h"

namespace user {

// The next key event from the keyboard service, following it to a restarted server
// (user::call_service). kWouldBlock when !blocking and none is waiting; kPeerGone when no
// server has the name now; the server's refusal (kBusy: it keeps too many reads already);
// kBadValue for a malformed reply. A blocking read that the server answers kWouldBlock all the
// same (it could not keep the call) is sent again here, so it returns only with a key or an
// error. Safe to call from several threads at once (each with its own connection).
ProtocolStatus read_key_event(bm::ipc::ServiceConnection* keyboard, bool blocking,
                              bm::ipc::keyboard::KeyEvent* out);

}  // namespace user
