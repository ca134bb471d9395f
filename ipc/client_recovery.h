// What a protocol client does when its server dies (docs/protocols.md, "Client recovery"):
// it looks the service's name up again, since a restarted server registers a new endpoint,
// and sends an idempotent request (ipc/idempotent.h) once more. Header-only and generic over
// the transport, so the runtime (user/protocol_client.cpp) and host tests share it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/idempotent.h"
#include "ipc/names.h"
#include "ipc/protocol.h"
#include "lib/abi/syscalls.h"

namespace bm::ipc {

// A service found by name: the name to look up again, the endpoint while it answers.
struct ServiceConnection {
  char name[kMaxNameLength + 1] = {};
  abi::Handle handle = 0;  // 0: not connected; the next call looks the name up first
  uint32_t lookups = 0;    // look-ups made, for tests and for the cost of a dead server
};

// How long a look-up may wait for the name. A server that just died is being restarted
// (init starts it again before it answers anyone else), so the first look-up after kPeerGone
// waits a few ticks for it to register; while the name stays missing, later calls try once
// and do not wait, so a dead console costs a write one quick failed look-up.
constexpr uint64_t kRelookupTicks = 20;

// Transport: ProtocolStatus call(abi::Handle, const WireMessage& request, WireMessage* reply);
//            ProtocolStatus lookup(const char* name, uint64_t wait_ticks, abi::Handle* out);
//            (a failed system call as ipc/kernel_status.h maps it)
//            void close(abi::Handle).
// Calls the service; on kPeerGone (or a handle that is no longer valid) looks the name up
// again and, if the request is idempotent, calls the new server once more. `request` and
// `reply` must be different objects (the request is sent again). Returns the last call's
// status; kPeerGone when the name has no server now, or for a non-idempotent request that
// met a dead server (the connection then points at the new one, if any).
template <typename Transport>
ProtocolStatus recovering_call(Transport& transport, ServiceConnection* connection,
                               const WireMessage& request, WireMessage* reply) {
  bool was_connected = connection->handle != 0;
  if (was_connected) {
    ProtocolStatus status = transport.call(connection->handle, request, reply);
    if (status != ProtocolStatus::kPeerGone && status != ProtocolStatus::kInvalidHandle) {
      return status;
    }
    transport.close(connection->handle);
    connection->handle = 0;
  }
  abi::Handle fresh = 0;
  ++connection->lookups;
  if (transport.lookup(connection->name, was_connected ? kRelookupTicks : 0, &fresh) !=
      ProtocolStatus::kOk) {
    return ProtocolStatus::kPeerGone;
  }
  connection->handle = fresh;
  if (was_connected && !is_idempotent(request.label)) return ProtocolStatus::kPeerGone;
  return transport.call(connection->handle, request, reply);
}

}  // namespace bm::ipc
