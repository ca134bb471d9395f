// The heartbeat (label 0xf01): init asks each server whose manifest line has heartbeat=MS
// whether its loop still turns. Every server built on user::serve_protocol answers it
// without its handler seeing it; a server that misses two is killed and restarted
// (docs/reliability.md). Request: no words. Reply: w0 = kOk.
#pragma once

#include <stdint.h>

#include "ipc/wire_codec.h"

namespace bm::ipc::heartbeat {

using ipc::decode;  // the codecs of ipc/wire_codec.h
using ipc::encode;

constexpr uint32_t kHeartbeat = kHeartbeatLabelBase + 1;
constexpr MessageSpec kHeartbeatSpec{kHeartbeat, "heartbeat", 0, 0, 1, 1};

struct HeartbeatRequest {
  using Wire = Request<kHeartbeatSpec>;
};
using HeartbeatReply = StatusReply<kHeartbeatSpec>;

// Asking twice is asking once.
constexpr uint32_t kIdempotent[] = {kHeartbeat};

}  // namespace bm::ipc::heartbeat
