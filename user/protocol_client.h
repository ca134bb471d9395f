// The client half of serve_protocol: send an ipc/ WireMessage as a call and take the reply
// back as one, or send a request struct and take its reply struct back (encode, call, decode).
#pragma once

#include "ipc/client_recovery.h"
#include "ipc/protocol.h"
#include "ipc/wire_codec.h"
#include "user/ipc.h"

namespace user {

// What every protocol client of the runtime returns: the server's answer, or the transport's
// failure mapped by bm::ipc::from_kernel (ipc/kernel_status.h). System calls keep Status.
using ProtocolStatus = bm::ipc::ProtocolStatus;

// Calls `server` with `request` (words 4 and up through this thread's IPC buffer, its handle
// if it has one) and loads the reply, and any handle that came with it, into *reply. The IPC
// failure (from_kernel) if the call failed; kTooLong for a reply that does not fit a
// WireMessage.
// `request` and `reply` may be the same object.
ProtocolStatus call_protocol(Handle server, const bm::ipc::WireMessage& request,
                             bm::ipc::WireMessage* reply);

// call_protocol with the codecs of ipc/: encodes `request`, calls, decodes the reply into *out.
// Returns the transport's failure, the server's answer (the reply's w0), or kBadValue for a
// request that cannot be encoded or a malformed reply (a handle that came with one is closed).
template <bm::ipc::WireDescribed Request, bm::ipc::WireDescribed Reply>
ProtocolStatus call_protocol(Handle server, const Request& request, Reply* out) {
  bm::ipc::WireMessage wire;
  if (!encode(request, &wire)) return ProtocolStatus::kBadValue;
  ProtocolStatus status = call_protocol(server, wire, &wire);
  if (status != ProtocolStatus::kOk) return status;
  if (decode(wire, out) != ProtocolStatus::kOk) {
    if (wire.has_handle) (void)handle_close(wire.handle);
    return ProtocolStatus::kBadValue;
  }
  return out->status;
}

// call_protocol to a service found by name through init (the bootstrap handle main was
// started with), recovering from a restart as bm::ipc::recovering_call says: a look-up again
// on kPeerGone, and the request once more if it is idempotent. `request` and `reply` must be
// different objects.
ProtocolStatus call_service(bm::ipc::ServiceConnection* service,
                            const bm::ipc::WireMessage& request, bm::ipc::WireMessage* reply);

}  // namespace user
