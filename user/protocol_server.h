// The receive-and-answer loop every protocol server runs: it takes each request off the
// endpoint as an ipc/ WireMessage, lets the server fill in the reply, and answers it while
// waiting for the next. Servers differ only in their handler.
#pragma once

#include "ipc/protocol.h"
#include "user/ipc.h"

namespace user {

// Fills `reply` (always) for `request`; `badge` tells the callers apart.
using RequestHandler = void (*)(const bm::ipc::WireMessage& request, uint64_t badge,
                                bm::ipc::WireMessage* reply);

// Serves `endpoint` for ever; several threads may each run it (on the same or other
// endpoints). A handle attached to a request is closed (these protocols carry none); a
// request longer than a WireMessage gets kTooLong without reaching the handler. init's
// heartbeat (ipc/heartbeat.h) is answered here, so every server gets it for free; a handler
// must therefore come back within the server's heartbeat period (docs/reliability.md).
[[noreturn]] void serve_protocol(Handle endpoint, RequestHandler handler);

}  // namespace user
