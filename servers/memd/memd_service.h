// One memd request in, one reply out: decodes with ipc/memd.h, asks the HeapManager, encodes
// the answer. The server's loop feeds it what it receives; host tests feed it directly.
#pragma once

#include <stdint.h>

#include "ipc/protocol.h"
#include "servers/memd/heap_manager.h"

namespace bm::memd {

// `badge` names the caller. A caller becomes a client with its first alloc or refill (or
// realloc of address 0); a free, realloc or drain from a caller that never allocated is
// kNotAllocated (free of 0 is kOk), and stats may come from anyone. Malformed requests get the one-word error reply.
void serve_request(HeapManager& heap, uint64_t badge, const ipc::WireMessage& request,
                   ipc::WireMessage* reply);

}  // namespace bm::memd
