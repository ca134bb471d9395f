// Console protocol client: encodes writes into wire messages and calls.
#include "user/console_client.h"

#include "ipc/console.h"
#include "user/protocol_client.h"

namespace user {
namespace {
bm::ipc::WireMessage request;
bm::ipc::WireMessage reply;
}  // namespace

Status console_write(bm::ipc::ServiceConnection* console, const char* text, size_t length) {
  namespace protocol = bm::ipc::console;
  while (length > 0) {
    uint32_t piece = length > protocol::kMaxWriteBytes ? protocol::kMaxWriteBytes
                                                       : static_cast<uint32_t>(length);
    protocol::WriteRequest write{{reinterpret_cast<const uint8_t*>(text), piece}};
    if (!protocol::encode(write, &request)) return Status::kInvalidArgument;
    Status status = call_service(console, request, &reply);
    if (status != Status::kOk) return status;
    protocol::WriteReply written;
    if (protocol::decode(reply, &written) != bm::ipc::ProtocolStatus::kOk ||
        written.status != bm::ipc::ProtocolStatus::kOk) {
      return Status::kInvalidArgument;
    }
    text += piece;
    length -= piece;
  }
  return Status::kOk;
}

}  // namespace user
