// The console client's write loop, apart from the IPC call so host tests can run it: split the
// text into protocol-sized pieces and send each until the server has taken all of it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/console.h"
#include "ipc/protocol.h"

namespace user {

// Writes all `length` bytes through call(request, reply) -> ProtocolStatus (the IPC call).
// A kOk reply may take only a prefix of a piece (docs/protocols.md, console write): the rest
// is sent again, so nothing is lost. kOk when all of it went; the call's status if it
// failed; the server's status if it refused a piece (kNoDevice and the like); kBadValue for
// a malformed reply or one that took nothing, which would otherwise loop for ever. `request` and
// `reply` are the caller's storage (a WireMessage is 4 KiB, too big for a small stack).
template <typename Call>
bm::ipc::ProtocolStatus console_write_all(const char* text, size_t length,
                                          bm::ipc::WireMessage* request,
                                          bm::ipc::WireMessage* reply, Call call) {
  using bm::ipc::ProtocolStatus;
  namespace protocol = bm::ipc::console;
  while (length > 0) {
    uint32_t piece = length > protocol::kMaxWriteBytes ? protocol::kMaxWriteBytes
                                                       : static_cast<uint32_t>(length);
    protocol::WriteRequest write{{reinterpret_cast<const uint8_t*>(text), piece}};
    if (!protocol::encode(write, request)) return ProtocolStatus::kBadValue;
    ProtocolStatus status = call(*request, reply);
    if (status != ProtocolStatus::kOk) return status;
    protocol::WriteReply written;
    if (protocol::decode(*reply, &written) != ProtocolStatus::kOk) return ProtocolStatus::kBadValue;
    if (written.status != ProtocolStatus::kOk) return written.status;
    if (written.written == 0 || written.written > piece) return ProtocolStatus::kBadValue;
    text += written.written;
    length -= written.written;
  }
  return ProtocolStatus::kOk;
}

}  // namespace user
