// serve_request: the memd protocol on top of HeapManager.
#include "servers/memd/memd_service.h"

#include "ipc/dispatch.h"
#include "ipc/memd.h"
#include "servers/memd/memd_status.h"

namespace bm::memd {

namespace {

using ipc::ProtocolStatus;
namespace protocol = ipc::memd;

// The reply to alloc or realloc: the block's address, or why there is none.
template <typename Reply>
Reply address_reply(const Result<uint64_t>& result) {
  return {memd_status(result.error()), result.value_or(0)};
}

}  // namespace

void serve_request(HeapManager& heap, uint64_t badge, const ipc::WireMessage& request,
                   ipc::WireMessage* reply) {
  ipc::dispatch(
      request, reply,
      [&](const protocol::AllocRequest& alloc) {
        auto slot = heap.add_client(badge);
        if (!slot.ok()) return protocol::AllocReply{memd_status(slot.error())};
        return address_reply<protocol::AllocReply>(heap.alloc(badge, alloc.size, alloc.alignment));
      },
      [&](const protocol::FreeRequest& free) {
        if (heap.has_client(badge)) return memd_status(heap.free(badge, free.address).error());
        // It never allocated anything: only address 0 is fine.
        return free.address == 0 ? ProtocolStatus::kOk : ProtocolStatus::kNotAllocated;
      },
      [&](const protocol::ReallocRequest& realloc) {
        if (!heap.has_client(badge)) {
          if (realloc.address != 0) return protocol::ReallocReply{ProtocolStatus::kNotAllocated};
          auto slot = heap.add_client(badge);
          if (!slot.ok()) return protocol::ReallocReply{memd_status(slot.error())};
        }
        return address_reply<protocol::ReallocReply>(
            heap.realloc(badge, realloc.address, realloc.size));
      },
      [&](const protocol::RefillRequest& refill) {
        // Like alloc, the first refill makes the caller a client.
        auto slot = heap.add_client(badge);
        if (!slot.ok()) return protocol::RefillReply{memd_status(slot.error())};
        protocol::RefillReply answer;
        auto placed = heap.refill(badge, refill.size, static_cast<uint32_t>(refill.count),
                                  answer.blocks.word);
        answer.status = memd_status(placed.error());
        answer.blocks.count = placed.value_or(0);
        return answer;
      },
      [&](const protocol::DrainRequest& drain) {
        if (!heap.has_client(badge)) return ProtocolStatus::kNotAllocated;
        return memd_status(heap.drain(badge, drain.blocks.word, drain.blocks.count).error());
      },
      [&](const protocol::StatsRequest& stats) {
        auto found =
            stats.index == protocol::kOwnStats ? heap.stats_of(badge) : heap.stats(stats.index);
        protocol::StatsReply answer{memd_status(found.error()), {}};
        if (found.ok()) answer.stats = *found;
        return answer;
      });
}

}  // namespace bm::memd
