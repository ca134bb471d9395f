// The heartbeat (label 0xf01): init asks each server whose manifest line has heartbeat=MS
// whether its loop still turns. Every server built on user::serve_protocol answers it
// without its handler seeing it; a server that misses two is killed and restarted
// (docs/reliability.md). Request: no words. Reply: w0 = kOk.
#pragma once

#include <stdint.h>

#include "ipc/protocol.h"

namespace bm::ipc::heartbeat {

using ipc::decode;  // the shared status-only reply
using ipc::encode;

constexpr uint32_t kHeartbeat = kHeartbeatLabelBase + 1;
constexpr MessageSpec kHeartbeatSpec{kHeartbeat, "heartbeat", 0, 0, 1, 1};

struct HeartbeatRequest {};
using HeartbeatReply = StatusReply<kHeartbeat>;

constexpr bool encode(const HeartbeatRequest&, WireMessage* out) {
  out->label = kHeartbeat;
  out->words = 0;
  return true;
}
constexpr ProtocolStatus decode(const WireMessage& message, HeartbeatRequest*) {
  return check_request(message, kHeartbeatSpec);
}

// Asking twice is asking once.
constexpr uint32_t kIdempotent[] = {kHeartbeat};

}  // namespace bm::ipc::heartbeat
