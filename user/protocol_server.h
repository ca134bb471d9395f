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

// What a DeferringHandler did with a request.
enum class Handled : uint8_t {
  kAnswered,  // `reply` is filled in: the loop answers it now
  kDeferred,  // the handler kept the call in a reply object and answers it later
};
// A handler that may keep a call, such as a blocking read with nothing to read yet, so the
// loop goes on answering other callers: it moves the call into a reply object of its own
// (user::reply_take) and answers it later with answer_later.
using DeferringHandler = Handled (*)(const bm::ipc::WireMessage& request, uint64_t badge,
                                     bm::ipc::WireMessage* reply);

// Serves `endpoint` for ever; several threads may each run it (on the same or other
// endpoints). A handle attached to a request is closed (these protocols carry none); a
// request longer than a WireMessage gets kTooLong without reaching the handler. init's
// heartbeat (ipc/heartbeat.h) is answered here, so every server gets it for free; a handler
// must therefore come back within the server's heartbeat period (docs/reliability.md).
[[noreturn]] void serve_protocol(Handle endpoint, RequestHandler handler);
[[noreturn]] void serve_protocol(Handle endpoint, DeferringHandler handler);

// Answers a call that a DeferringHandler kept (user::answer_deferred): kOk, or kPeerGone when
// the caller is gone, and the reply object is empty again; any other status, it was closed.
Status answer_later(Handle reply_handle, const bm::ipc::WireMessage& reply);

}  // namespace user
