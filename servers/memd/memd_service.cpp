// serve_request: the memd protocol on top of HeapManager.
#include "servers/memd/memd_service.h"

#include "ipc/memd.h"
#include "servers/memd/memd_status.h"

namespace bm::memd {

namespace {

using ipc::ProtocolStatus;
using ipc::WireMessage;
namespace protocol = ipc::memd;

template <uint32_t kLabel>
void reply_address(const Result<uint64_t>& result, WireMessage* reply) {
  protocol::AddressReply<kLabel> answer{memd_status(result.error()), result.value_or(0)};
  if (!encode(answer, reply)) {
    // Only an address the codec refuses gets here, which HeapManager never returns.
    ipc::encode_status_reply(kLabel, ProtocolStatus::kOutOfMemory, reply);
  }
}

void serve_alloc(HeapManager& heap, uint64_t badge, const WireMessage& request,
                 WireMessage* reply) {
  protocol::AllocRequest alloc;
  if (ProtocolStatus status = decode(request, &alloc); status != ProtocolStatus::kOk) {
    return ipc::encode_status_reply(request.label, status, reply);
  }
  auto slot = heap.add_client(badge);
  if (!slot.ok()) return ipc::encode_status_reply(request.label, memd_status(slot.error()), reply);
  reply_address<protocol::kAlloc>(heap.alloc(badge, alloc.size, alloc.alignment), reply);
}

void serve_free(HeapManager& heap, uint64_t badge, const WireMessage& request, WireMessage* reply) {
  protocol::FreeRequest free;
  ProtocolStatus status = decode(request, &free);
  if (status == ProtocolStatus::kOk) {
    if (heap.has_client(badge)) {
      status = memd_status(heap.free(badge, free.address).error());
    } else if (free.address != 0) {
      status = ProtocolStatus::kNotAllocated;  // it never allocated anything
    }
  }
  ipc::encode_status_reply(request.label, status, reply);
}

void serve_realloc(HeapManager& heap, uint64_t badge, const WireMessage& request,
                   WireMessage* reply) {
  protocol::ReallocRequest realloc;
  if (ProtocolStatus status = decode(request, &realloc); status != ProtocolStatus::kOk) {
    return ipc::encode_status_reply(request.label, status, reply);
  }
  if (!heap.has_client(badge)) {
    if (realloc.address != 0) {
      return ipc::encode_status_reply(request.label, ProtocolStatus::kNotAllocated, reply);
    }
    auto slot = heap.add_client(badge);
    if (!slot.ok()) {
      return ipc::encode_status_reply(request.label, memd_status(slot.error()), reply);
    }
  }
  reply_address<protocol::kRealloc>(heap.realloc(badge, realloc.address, realloc.size), reply);
}

void serve_stats(HeapManager& heap, uint64_t badge, const WireMessage& request,
                 WireMessage* reply) {
  protocol::StatsRequest stats;
  if (ProtocolStatus status = decode(request, &stats); status != ProtocolStatus::kOk) {
    return ipc::encode_status_reply(request.label, status, reply);
  }
  auto found = stats.index == protocol::kOwnStats ? heap.stats_of(badge) : heap.stats(stats.index);
  protocol::StatsReply answer{memd_status(found.error()), {}};
  if (found.ok()) answer.stats = *found;
  if (!encode(answer, reply)) {
    ipc::encode_status_reply(request.label, ProtocolStatus::kBadValue, reply);
  }
}

}  // namespace

void serve_request(HeapManager& heap, uint64_t badge, const WireMessage& request,
                   WireMessage* reply) {
  switch (request.label) {
    case protocol::kAlloc:
      return serve_alloc(heap, badge, request, reply);
    case protocol::kFree:
      return serve_free(heap, badge, request, reply);
    case protocol::kRealloc:
      return serve_realloc(heap, badge, request, reply);
    case protocol::kStats:
      return serve_stats(heap, badge, request, reply);
    default:
      ipc::encode_status_reply(request.label, ProtocolStatus::kUnknownLabel, reply);
  }
}

}  // namespace bm::memd
