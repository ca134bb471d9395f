// The console client's write loop, apart from the IPC call so host tests can run it: split the
// text into protocol-sized pieces and send each until the server has taken all of it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "ipc/console.h"
#include "lib/abi/syscalls.h"

namespace user {

// Writes all `length` bytes through call(request, reply) -> bm::abi::Status (the IPC call).
// A kOk reply may take only a prefix of a piece (docs/protocols.md, console write): the rest
// is sent again, so nothing is lost. kOk when all of it went; the IPC status if a call
// failed; kInvalidArgument if the server refused a piece (kNoDevice and the like) or took
// nothing of it, which would otherwise loop for ever. `request` and `reply` are the caller's
// storage (a WireMessage is 4 KiB, too big for a small stack).
template <typename Call>
bm::abi::Status console_write_all(const char* text, size_t length, bm::ipc::WireMessage* request,
                                  bm::ipc::WireMessage* reply, Call call) {
  namespace protocol = bm::ipc::console;
  while (length > 0) {
    uint32_t piece = length > protocol::kMaxWriteBytes ? protocol::kMaxWriteBytes
                                                       : static_cast<uint32_t>(length);
    protocol::WriteRequest write{{reinterpret_cast<const uint8_t*>(text), piece}};
    if (!protocol::encode(write, request)) return bm::abi::Status::kInvalidArgument;
    bm::abi::Status status = call(*request, reply);
    if (status != bm::abi::Status::kOk) return status;
    protocol::WriteReply written;
    if (protocol::decode(*reply, &written) != bm::ipc::ProtocolStatus::kOk ||
        written.status != bm::ipc::ProtocolStatus::kOk || written.written == 0 ||
        written.written > piece) {
      return bm::abi::Status::kInvalidArgument;
    }
    text += written.written;
    length -= written.written;
  }
  return bm::abi::Status::kOk;
}

}  // namespace user
